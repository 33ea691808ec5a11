"""Vacancy alerts: the routing table (one handler per button verb and per waiting step, and the entries
of the intent, «Мои подписки» and the public buttons under an alert). The screens are in ``screens``.

The buttons under an alert are public (no turn issued them), so each entry reads only the presser's own
records: another person's subscription or alert is not found and gets a polite answer, never a look.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Literal

from backend_client.errors import ConsentRequired
from backend_client.vacancies.alerts import (
    MAX_SEARCHES,
    AlertFrequency,
    AlertVacancyNotFound,
    EmptySearch,
    SavedSearchNotFound,
    TooManySearches,
    UnsubscribeReason,
)
from backend_client.vacancies.models import VacancyQuery
from dialogs.context import Ctx
from dialogs.flow import Run, on_answer, on_press
from dialogs.flows.alerts.screens import Screens, Step, decode
from dialogs.texts import known_labels, t
from dialogs.validation import InputError, button_word, parse_free_text
from dialogs.views.alerts import search_words

WORDS_CHARS = 100
CLEAR_WORDS = frozenset({"-", "—", "нет", "убрать", "очистить"})
Frequency = Literal["instant", "daily"]


class AlertsFlow(Screens):
    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        ctx.state.clear_step()
        if not self.available or self.child(ctx):
            ctx.say(t("jobs.unavailable") if not self.available else t("jobs.under_14"))
            await ctx.menu()
            return
        public = self._public_entries().get(entry)
        if public is not None:
            await public(ctx, arg)
        elif entry == "new":
            await self.start(ctx, decode(arg))
        else:
            await self.show_list(ctx)

    def _public_entries(self) -> dict[str, Callable[[Ctx, str], Awaitable[None]]]:
        return {
            "open": self._open_from_alert,
            "all": self._all_from_alert,
            "rate": self._rate_alert,
            "edit": self._edit_from_alert,
            "stop": self._stop_from_alert,
        }

    async def guard_press(self, ctx: Ctx, run: Run) -> None:
        if not self.available or self.child(ctx):
            await self.enter(ctx)
        else:
            await run()

    async def guard_answer(self, ctx: Ctx, run: Run) -> None:
        await self.guard_press(ctx, run)

    # -- a new subscription -------------------------------------------------------------------------
    async def start(self, ctx: Ctx, query: VacancyQuery) -> None:
        """From a search screen or the intent: confirm the filters, or first ask for words."""
        if not await self.consented(ctx):
            return
        if query == VacancyQuery():
            self.keep(ctx, query)
            self.ask_words(ctx)
            return
        self.confirm(ctx, query)

    @on_press("subscribe")
    async def subscribe_press(self, ctx: Ctx, arg: str) -> None:
        await self.start(ctx, decode(arg))

    @on_press("frequency")
    async def frequency(self, ctx: Ctx, how: Frequency) -> None:
        query = self.pending(ctx)
        try:
            saved = await self.alerts.subscribe(
                ctx.person.id, query, frequency=AlertFrequency(how), press=ctx.press
            )
        except ConsentRequired:
            await self.consented(ctx)
            return
        except EmptySearch:
            self.ask_words(ctx, note=t("alerts.empty_search"))
            return
        except TooManySearches:
            await self.show_list(ctx, t("alerts.too_many", limit=MAX_SEARCHES))
            return
        known = saved.created_at is not None and saved.created_at < ctx.now()
        self.subscribed(ctx, saved, known=known)

    @on_press("words")
    async def words_press(self, ctx: Ctx) -> None:
        self.ask_words(ctx)

    @on_press("cancel")
    async def cancel(self, ctx: Ctx) -> None:
        ctx.state.clear_step()
        ctx.say(t("alerts.cancelled"))
        await ctx.menu()

    @on_answer(Step.CONFIRM)
    async def confirm_typed(self, ctx: Ctx, text: str) -> None:
        """Words typed while confirming replace the subscription's words."""
        words = await self._words(ctx, text)
        if words is not None:
            self.confirm(ctx, replace(self.pending(ctx), text=words))

    @on_answer(Step.WORDS)
    async def words_typed(self, ctx: Ctx, which: str, text: str) -> None:
        words = await self._words(ctx, text)
        if words is None:
            return
        if which == "new":
            self.confirm(ctx, replace(self.pending(ctx), text=words))
            return
        if not which.isdigit():
            await ctx.stale()
            return
        await self._change(ctx, int(which), words=words)

    async def _words(self, ctx: Ctx, text: str) -> str | None:
        """The typed words, or None after saying what is wrong with them (a button's label, too long)."""
        if word := button_word(text, known_labels()):
            ctx.say(t("valid.button_word", label=word))
            return None
        try:
            return parse_free_text(text, limit=WORDS_CHARS)
        except InputError as problem:
            ctx.say(t(problem.key, **problem.values))
            return None

    # -- «Мои подписки» and one subscription ---------------------------------------------------------
    @on_press("list")
    async def list_press(self, ctx: Ctx) -> None:
        await self.show_list(ctx)

    @on_press("show")
    async def show(self, ctx: Ctx, subscription: int) -> None:
        try:
            saved = await self.alerts.saved_search(ctx.person.id, subscription)
        except SavedSearchNotFound:
            await self.show_list(ctx, t("alerts.gone"))
            return
        self.subscription(ctx, saved)

    @on_press("instant")
    async def to_instant(self, ctx: Ctx, subscription: int) -> None:
        await self._change(ctx, subscription, frequency=AlertFrequency.INSTANT)

    @on_press("daily")
    async def to_daily(self, ctx: Ctx, subscription: int) -> None:
        await self._change(ctx, subscription, frequency=AlertFrequency.DAILY)

    @on_press("pause")
    async def pause(self, ctx: Ctx, subscription: int) -> None:
        await self._change(ctx, subscription, paused=True, note=t("alerts.paused"))

    @on_press("resume")
    async def resume(self, ctx: Ctx, subscription: int) -> None:
        await self._change(ctx, subscription, paused=False, note=t("alerts.resumed"))

    @on_press("edit_words")
    async def edit_words(self, ctx: Ctx, subscription: int) -> None:
        self.ask_words(ctx, subscription)

    @on_press("exclude")
    async def exclude_press(self, ctx: Ctx, subscription: int) -> None:
        self.ask_exclude(ctx, subscription)

    @on_answer(Step.EXCLUDE)
    async def exclude_typed(self, ctx: Ctx, subscription: int, text: str) -> None:
        if text.strip().casefold() in CLEAR_WORDS:
            await self._change(ctx, subscription, exclude="")
            return
        words = await self._words(ctx, text)
        if words is not None:
            await self._change(ctx, subscription, exclude=words)

    @on_press("delete")
    async def delete(self, ctx: Ctx, subscription: int) -> None:
        try:
            saved = await self.alerts.saved_search(ctx.person.id, subscription)
        except SavedSearchNotFound:
            await self.show_list(ctx, t("alerts.gone"))
            return
        await self.alerts.delete_search(ctx.person.id, subscription)
        await self.show_list(ctx, t("alerts.deleted", search=search_words(saved)))

    async def _change(
        self,
        ctx: Ctx,
        subscription: int,
        *,
        note: str = "",
        words: str | None = None,
        **changes: object,
    ) -> None:
        try:
            if words is not None:
                current = await self.alerts.saved_search(ctx.person.id, subscription)
                changes["query"] = replace(current.query, text=words)
            saved = await self.alerts.change_search(ctx.person.id, subscription, **changes)  # type: ignore[arg-type]
        except SavedSearchNotFound:
            await self.show_list(ctx, t("alerts.gone"))
            return
        except EmptySearch:
            self.ask_words(ctx, subscription, t("alerts.empty_search"))
            return
        self.subscription(ctx, saved, note or t("alerts.changed"))

    # -- «показать все» and the reason after «Отписаться» --------------------------------------------
    @on_press("page")
    async def page(self, ctx: Ctx, arg: str) -> None:
        alert, _, page = arg.partition(":")
        if not (alert.isdigit() and page.isdigit()):
            await ctx.stale()
            return
        await self._show_alert(ctx, int(alert), int(page))

    @on_press("open")
    async def open_vacancy(self, ctx: Ctx, vacancy: int) -> None:
        await self._open(ctx, vacancy)

    @on_press("reason")
    async def reason(self, ctx: Ctx, arg: str) -> None:
        number, _, value = arg.partition(":")
        if not number.isdigit() or value not in {reason.value for reason in UnsubscribeReason}:
            await ctx.stale()
            return
        reason = UnsubscribeReason(value)
        try:
            given = await self.alerts.unsubscribe_reason(ctx.person.id, int(number), reason)
        except SavedSearchNotFound:
            await ctx.stale()
            return
        ctx.state.clear_step()
        if not given:
            ctx.say(t("alerts.reason_given"))
        elif reason is UnsubscribeReason.FOUND_JOB:
            ctx.say(t("alerts.found_job"))
        else:
            ctx.say(t("alerts.thanks_reason"))
        await ctx.menu()

    # -- the public buttons under an alert ------------------------------------------------------------
    async def _open_from_alert(self, ctx: Ctx, arg: str) -> None:
        if not arg.isdigit():
            await ctx.stale()
            return
        await self._open(ctx, int(arg))

    async def _open(self, ctx: Ctx, vacancy: int) -> None:
        await self.alerts.opened(ctx.person.id, vacancy)  # counted only if an alert brought it to them
        await ctx.go("jobs", "card", str(vacancy))

    async def _all_from_alert(self, ctx: Ctx, arg: str) -> None:
        if not arg.isdigit():
            await ctx.stale()
            return
        await self._show_alert(ctx, int(arg), 0)

    async def _show_alert(self, ctx: Ctx, alert: int, page: int) -> None:
        try:
            contents = await self.alerts.alert(ctx.person.id, alert)
        except SavedSearchNotFound:
            ctx.say(t("alerts.not_yours"))
            await ctx.menu()
            return
        self.all_vacancies(ctx, contents, page)

    async def _rate_alert(self, ctx: Ctx, arg: str) -> None:
        alert, _, useful = arg.partition(":")
        if not alert.isdigit() or useful not in ("0", "1"):
            await ctx.stale()
            return
        try:
            await self.alerts.rate_alert(ctx.person.id, int(alert), useful == "1")
        except AlertVacancyNotFound:
            ctx.say(t("alerts.not_yours"))
            await ctx.menu()
            return
        ctx.say(t("alerts.rated_up" if useful == "1" else "alerts.rated_down"))

    async def _edit_from_alert(self, ctx: Ctx, arg: str) -> None:
        if not arg.isdigit():
            await ctx.stale()
            return
        await self.show(ctx, int(arg))

    async def _stop_from_alert(self, ctx: Ctx, arg: str) -> None:
        """«Отписаться»: one tap stops it (a repeat of the press answers the same), then «почему?»."""
        if not arg.isdigit():
            await ctx.stale()
            return
        try:
            saved = await self.alerts.saved_search(ctx.person.id, int(arg))
        except SavedSearchNotFound:
            await self.show_list(ctx, t("alerts.gone"))
            return
        stopped = await self.alerts.unsubscribe(ctx.person.id, saved.id, press=ctx.press)
        self.why(ctx, search_words(saved), stopped)
