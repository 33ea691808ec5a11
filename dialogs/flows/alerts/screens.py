"""The screens of vacancy alerts: a new subscription confirmed, «Мои подписки», one subscription, the
alert's vacancies («показать все») and the optional reason after «Отписаться».

Every read and change goes through the port with the person's own id: another person's subscription
or alert is never found (the store answers SavedSearchNotFound), which the flow says politely.
"""

from __future__ import annotations

from enum import StrEnum

from backend_client.models import AgeBand, ConsentStatus
from backend_client.ports import AlertSubscriptions
from backend_client.vacancies.alerts import (
    MAX_SEARCHES,
    AlertContents,
    SavedSearch,
    UnsubscribeReason,
)
from backend_client.vacancies.models import VacancyQuery
from dialogs.context import Ctx
from dialogs.flow import Flow, action
from dialogs.flows.jobs.search import Search
from dialogs.texts import t
from dialogs.ui import Button, column, rows
from dialogs.views.alerts import frequency_text, search_words
from dialogs.views.events import label
from dialogs.views.jobs import list_line

NAME = "alerts"
PAGE = 5
REASONS = tuple(UnsubscribeReason)


class Step(StrEnum):
    """The screens of ``alerts.mmd``; the word steps wait with the subscription they change ("new": the
    one being set up)."""

    CONFIRM = "confirm"
    WORDS = "words"
    EXCLUDE = "exclude"
    SUBSCRIBED = "subscribed"
    LIST = "list"
    SUBSCRIPTION = "subscription"
    ALL = "all"
    STOPPED = "stopped"


class Screens(Flow):
    name = NAME
    steps = Step

    def __init__(self, alerts: AlertSubscriptions | None) -> None:
        self._alerts = alerts  # None: an engine built without the store (the flow says it is unavailable)

    @property
    def available(self) -> bool:
        return self._alerts is not None

    @property
    def alerts(self) -> AlertSubscriptions:
        if self._alerts is None:  # the guards answer before any screen asks
            raise LookupError("vacancy alerts are not configured")
        return self._alerts

    # -- the pending subscription, kept in the conversation state ----------------------------------
    @staticmethod
    def _kept(ctx: Ctx) -> dict[str, object]:
        kept = ctx.data.get(NAME)
        if not isinstance(kept, dict):
            kept = {}
            ctx.data[NAME] = kept
        return kept

    def pending(self, ctx: Ctx) -> VacancyQuery:
        raw = self._kept(ctx).get("q")
        return decode(raw) if isinstance(raw, str) else VacancyQuery()

    def keep(self, ctx: Ctx, query: VacancyQuery) -> None:
        self._kept(ctx)["q"] = encode(query)

    @staticmethod
    def child(ctx: Ctx) -> bool:
        return ctx.person.age_band is AgeBand.CHILD

    async def consented(self, ctx: Ctx) -> bool:
        if ctx.person.consent is ConsentStatus.GRANTED:
            return True
        ctx.state.clear_step()
        ctx.say(t("alerts.needs_consent"))
        await ctx.menu()
        return False

    # -- a new subscription -------------------------------------------------------------------------
    def confirm(self, ctx: Ctx, query: VacancyQuery) -> None:
        self.keep(ctx, query)
        words = search_words(SavedSearch(0, ctx.person.id, query))
        ctx.say(
            f"{t('alerts.confirm.title')}\n\n{t('alerts.confirm.body', search=words)}",
            column(
                Button(t("alerts.btn.instant"), self.act("frequency", "instant")),
                Button(t("alerts.btn.daily"), self.act("frequency", "daily")),
                Button(t("alerts.btn.words"), self.act("words")),
                Button(t("alerts.btn.cancel"), self.act("cancel")),
            ),
        )
        self.wait(ctx, Step.CONFIRM)

    def ask_words(self, ctx: Ctx, subscription: int | None = None, note: str = "") -> None:
        key = "alerts.ask_words" if subscription is None else "alerts.ask_words_edit"
        back = self.act("cancel") if subscription is None else self.act("show", subscription)
        text = f"{note}\n\n{t(key)}" if note else t(key)
        ctx.say(text, column(Button(t("alerts.btn.back"), back)))
        self.wait(ctx, Step.WORDS, "new" if subscription is None else subscription)

    def subscribed(self, ctx: Ctx, saved: SavedSearch, *, known: bool) -> None:
        words = search_words(saved)
        text = (
            t("alerts.same", search=words)
            if known
            else t("alerts.subscribed", search=words, frequency=frequency_text(saved.frequency))
        )
        ctx.state.clear_step()
        ctx.say(text, self.after_buttons())

    def after_buttons(self) -> tuple[tuple[Button, ...], ...]:
        return column(
            Button(t("alerts.btn.list"), self.act("list")),
            Button(t("alerts.btn.search"), action("jobs", "home")),
            Button(t("btn.back_to_menu"), action("menu", "show")),
        )

    # -- «Мои подписки» and one subscription ---------------------------------------------------------
    async def show_list(self, ctx: Ctx, note: str = "") -> None:
        mine = await self.alerts.saved_searches(ctx.person.id)
        lines = [note] if note else []
        if not mine:
            lines.append(t("alerts.list.empty"))
        else:
            lines.append(t("alerts.list.title", count=len(mine), limit=MAX_SEARCHES))
            lines += [_line(number, saved) for number, saved in enumerate(mine, start=1)]
            lines.append(t("alerts.list.hint"))
        openers = [
            Button(t("alerts.btn.open", number=n, title=label(search_words(s))), self.act("show", s.id))
            for n, s in enumerate(mine, start=1)
        ]
        ctx.state.clear_step()
        ctx.say(
            "\n".join(lines),
            column(
                *openers,
                Button(t("alerts.btn.search"), action("jobs", "home")),
                Button(t("btn.back_to_menu"), action("menu", "show")),
            ),
        )

    def subscription(self, ctx: Ctx, saved: SavedSearch, note: str = "") -> None:
        lines = [note] if note else []
        lines.append(t("alerts.card.title", search=search_words(saved)))
        lines.append(t("alerts.card.frequency", frequency=frequency_text(saved.frequency)))
        if saved.paused:
            lines.append(t("alerts.card.paused"))
        if saved.created_at is not None:
            local = saved.created_at.astimezone(ctx.services.timezone)
            lines.append(t("alerts.card.since", date=f"{local:%d.%m.%Y}"))
        daily = saved.frequency.value == "daily"
        switch = ("to_instant", "instant") if daily else ("to_daily", "daily")
        pause = ("resume", "resume") if saved.paused else ("pause", "pause")
        ctx.state.clear_step()
        ctx.say(
            "\n".join(lines),
            (
                *rows(
                    [Button(t(f"alerts.btn.{switch[0]}"), self.act(switch[1], saved.id))],
                    [Button(t(f"alerts.btn.{pause[0]}"), self.act(pause[1], saved.id))],
                    [
                        Button(t("alerts.btn.words"), self.act("edit_words", saved.id)),
                        Button(t("alerts.btn.exclude"), self.act("exclude", saved.id)),
                    ],
                    [Button(t("alerts.btn.delete"), self.act("delete", saved.id))],
                ),
                *column(
                    Button(t("alerts.btn.list"), self.act("list")),
                    Button(t("btn.back_to_menu"), action("menu", "show")),
                ),
            ),
        )

    def ask_exclude(self, ctx: Ctx, subscription: int, note: str = "") -> None:
        text = f"{note}\n\n{t('alerts.ask_exclude')}" if note else t("alerts.ask_exclude")
        ctx.say(text, column(Button(t("alerts.btn.back"), self.act("show", subscription))))
        self.wait(ctx, Step.EXCLUDE, subscription)

    # -- an alert's vacancies and the reason after «Отписаться» ---------------------------------------
    def all_vacancies(self, ctx: Ctx, alert: AlertContents, page: int) -> None:
        title = search_words(alert.search) if alert.search is not None else ""
        ctx.state.clear_step()
        if not alert.vacancies:
            ctx.say(t("alerts.all.empty"), self.after_buttons())
            return
        pages = -(-len(alert.vacancies) // PAGE)
        page = min(max(0, page), pages - 1)
        first = page * PAGE
        shown = alert.vacancies[first : first + PAGE]
        lines = [t("alerts.all.title", search=title), ""]
        lines += [list_line(number, vacancy) for number, vacancy in enumerate(shown, first + 1)]
        if pages > 1:
            lines.append(t("alerts.all.page", page=page + 1, pages=pages))
        paging = []
        if page > 0:
            paging.append(Button(t("alerts.btn.back"), self.act("page", f"{alert.alert_id}:{page - 1}")))
        if page + 1 < pages:
            paging.append(Button(t("alerts.btn.more"), self.act("page", f"{alert.alert_id}:{page + 1}")))
        openers = [
            Button(t("alerts.btn.open", number=n, title=label(v.title)), self.act("open", v.id))
            for n, v in enumerate(shown, first + 1)
        ]
        ctx.say("\n".join(lines), (*column(*openers), *rows(paging), *self.after_buttons()))

    def why(self, ctx: Ctx, words: str, unsubscribed: int) -> None:
        ctx.state.clear_step()
        reasons = [
            Button(t(f"alerts.btn.{reason.value}"), self.act("reason", f"{unsubscribed}:{reason.value}"))
            for reason in REASONS
        ]
        ctx.say(
            f"{t('alerts.stopped', search=words)}\n\n{t('alerts.why')}",
            column(*reasons, Button(t("btn.back_to_menu"), action("menu", "show"))),
        )


def _line(number: int, saved: SavedSearch) -> str:
    line = t(
        "alerts.list.line",
        number=number,
        search=search_words(saved),
        frequency=frequency_text(saved.frequency),
    )
    return line + (t("alerts.list.paused") if saved.paused else "")


def encode(query: VacancyQuery) -> str:
    """The jobs flow's compact form of a search («t=повар;m=36401;…»), shared by both flows' buttons."""
    return Search(
        text=query.text,
        place=query.municipality,
        kinds=query.kinds,
        part_time=query.part_time,
        salary=query.salary_from,
        no_experience=query.no_experience,
        remote=query.remote,
    ).encode()


def decode(raw: str) -> VacancyQuery:
    return Search.decode(raw).query(0, PAGE)
