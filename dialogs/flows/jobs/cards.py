"""A vacancy's card and what a person does with it: apply (with an optional message), save to
«Избранное», «Мои отклики», and the answer to «Работодатель ответил?».

The store decides every effect: an application is one per person and vacancy and keyed by the press, a
closed vacancy or one not legal for the person's age refuses it, and someone else's application is never
found. The card checks the law too, so a minor never reads a vacancy that is not for their age.
"""

from __future__ import annotations

from backend_client.errors import ConsentRequired
from backend_client.vacancies.errors import ApplicationNotFound, VacancyClosed, VacancyNotFound
from backend_client.vacancies.minors import ADULT, legal_for
from backend_client.vacancies.models import Application, SeekerFacts, Vacancy
from dialogs.context import Ctx
from dialogs.flows.jobs.browse import Browse
from dialogs.flows.jobs.common import Step
from dialogs.texts import known_labels, t
from dialogs.ui import Button, column
from dialogs.validation import InputError, button_word, label_key, parse_free_text
from dialogs.views.events import label
from dialogs.views.jobs import card_text, limits_text, source_name, status_text

MESSAGE_CHARS = 500
SKIP_WORDS = frozenset({"пропустить", "пропуск", "нет", "не надо", "без сообщения", "-"})


class Cards(Browse):
    # -- the card -------------------------------------------------------------------------------------
    async def card(self, ctx: Ctx, vacancy_id: int, note: str = "") -> None:
        ctx.state.clear_step()
        vacancy = await self.vacancies.vacancy(vacancy_id)
        if vacancy is None:
            ctx.say(t("jobs.gone"))
            await self.back(ctx)
            return
        seeker = await self.seeker(ctx)
        if not self._legal(ctx, vacancy, seeker):
            self._not_for_age(ctx)
            return
        applied = await self._application(ctx, vacancy_id)
        saved = await self._is_saved(ctx, vacancy_id)
        notes = [
            t("jobs.applied_note", date=_day(ctx, applied)) if applied else "",
            t("jobs.saved_note") if saved else "",
            limits_text(seeker.age, ctx.local_now().date(), studying=seeker.studying)
            if vacancy.is_open
            else "",
        ]
        buttons = []
        if vacancy.is_open and applied is None:
            buttons.append(Button(t("jobs.btn.apply"), self.act("apply", vacancy_id)))
        buttons.append(
            Button(t("jobs.btn.unsave"), self.act("unsave", vacancy_id))
            if saved
            else Button(t("jobs.btn.save"), self.act("save", vacancy_id))
        )
        buttons.append(Button(t("jobs.btn.to_results"), self.act("back")))
        text = card_text(vacancy, notes=notes)
        ctx.say(f"{note}\n\n{text}" if note else text, column(*buttons, *self.footer(ctx)))

    def _legal(self, ctx: Ctx, vacancy: Vacancy, seeker: SeekerFacts) -> bool:
        if self.under_14(ctx, seeker):
            return False
        if seeker.age is not None and seeker.age >= ADULT:
            return True
        return legal_for(vacancy, seeker.age, on=ctx.local_now().date(), studying=seeker.studying)

    def _not_for_age(self, ctx: Ctx) -> None:
        ctx.say(t("jobs.not_for_age"), column(Button(t("jobs.btn.all"), self.act("show")), *self.footer(ctx)))

    async def _application(self, ctx: Ctx, vacancy_id: int) -> Application | None:
        if not ctx.person.may_store_personal_data:
            return None
        mine = await self.vacancies.applications_of(ctx.person.id)
        return next((a for a in mine if a.vacancy_id == vacancy_id), None)

    async def _is_saved(self, ctx: Ctx, vacancy_id: int) -> bool:
        if not ctx.person.may_store_personal_data:
            return False
        return any(v.id == vacancy_id for v in await self.vacancies.saved(ctx.person.id))

    # -- applying -------------------------------------------------------------------------------------
    async def ask_message(self, ctx: Ctx, vacancy_id: int, note: str = "") -> None:
        if not await self.consented(ctx):
            return
        vacancy = await self.vacancies.vacancy(vacancy_id)
        if vacancy is None:
            await ctx.stale()
            return
        if not vacancy.is_open or not self._legal(ctx, vacancy, await self.seeker(ctx)):
            self._refused(ctx, vacancy)
            return
        applied = await self._application(ctx, vacancy_id)
        if applied is not None:
            await self.card(ctx, vacancy_id, t("jobs.apply.already", date=_day(ctx, applied)))
            return
        ask = t("jobs.apply.ask", title=vacancy.title, limit=MESSAGE_CHARS)
        ctx.say(
            f"{note}\n\n{ask}" if note else ask,
            column(
                Button(t("jobs.btn.skip"), self.act("send", vacancy_id)),
                Button(t("jobs.btn.cancel"), self.act("open", vacancy_id)),
            ),
        )
        self.wait(ctx, Step.MESSAGE, vacancy_id)

    async def typed_message(self, ctx: Ctx, vacancy_id: int, text: str) -> None:
        if label_key(text) in SKIP_WORDS:
            await self.send(ctx, vacancy_id, "")
            return
        if word := button_word(text, known_labels()):
            await self.ask_message(ctx, vacancy_id, t("valid.button_word", label=word))
            return
        try:
            message = parse_free_text(text, limit=MESSAGE_CHARS)
        except InputError as problem:
            await self.ask_message(ctx, vacancy_id, t(problem.key, **problem.values))
            return
        await self.send(ctx, vacancy_id, message)

    async def send(self, ctx: Ctx, vacancy_id: int, message: str) -> None:
        ctx.state.clear_step()
        try:
            await self.vacancies.apply(ctx.person.id, vacancy_id, message, press=ctx.press)
        except ConsentRequired:
            await self.consented(ctx, refresh=True)
            return
        except VacancyNotFound:
            ctx.say(t("jobs.gone"))
            await self.back(ctx)
            return
        except VacancyClosed:
            self._refused(ctx, await self.vacancies.vacancy(vacancy_id))
            return
        vacancy = await self.vacancies.vacancy(vacancy_id)
        assert vacancy is not None  # it was just applied for: vacancies are closed, never deleted
        lines = [t("jobs.apply.done", title=vacancy.title), t("jobs.apply.next")]
        if vacancy.source_url:
            lines.append(
                t("jobs.apply.reach_link", source=source_name(vacancy.source), url=vacancy.source_url)
            )
        else:
            lines.append(t("jobs.apply.reach_center", title=vacancy.title, employer=vacancy.employer.name))
        seeker = await self.seeker(ctx)
        if seeker.age is None or seeker.age < ADULT:
            lines.append(t("jobs.apply.teen"))
        ctx.say(
            "\n\n".join(lines),
            column(
                Button(t("jobs.btn.mine"), self.act("mine")),
                Button(t("jobs.btn.to_card"), self.act("open", vacancy_id)),
                *self.footer(ctx),
            ),
        )

    def _refused(self, ctx: Ctx, vacancy: Vacancy | None) -> None:
        """A closed vacancy, or one not (or no longer) legal for the person's age: a polite no."""
        title = vacancy.title if vacancy is not None else ""
        ctx.state.clear_step()
        ctx.say(
            t("jobs.apply.closed", title=title),
            column(Button(t("jobs.btn.all"), self.act("show")), *self.footer(ctx)),
        )

    # -- «Избранное» ----------------------------------------------------------------------------------
    async def save(self, ctx: Ctx, vacancy_id: int, keep: bool) -> None:
        if not await self.consented(ctx):
            return
        if await self.vacancies.vacancy(vacancy_id) is None:
            await ctx.stale()
            return
        try:
            if keep:
                changed = await self.vacancies.save(ctx.person.id, vacancy_id)
                note = t("jobs.saved.added" if changed else "jobs.saved.already")
            else:
                await self.vacancies.unsave(ctx.person.id, vacancy_id)
                note = t("jobs.saved.removed")
        except ConsentRequired:
            await self.consented(ctx, refresh=True)
            return
        await self.card(ctx, vacancy_id, note)

    async def saved_list(self, ctx: Ctx) -> None:
        if not await self.consented(ctx):
            return
        ctx.state.clear_step()
        self.came_from(ctx, "saved")
        saved = await self.vacancies.saved(ctx.person.id)
        if not saved:
            ctx.say(
                t("jobs.saved.none"), column(Button(t("jobs.btn.all"), self.act("show")), *self.footer(ctx))
            )
            return
        lines = [t("jobs.saved.title")]
        buttons = []
        for number, vacancy in enumerate(saved, 1):
            closed = "" if vacancy.is_open else f" — {t('jobs.closed')}"
            lines.append(f"{number}. {vacancy.title} — {vacancy.employer.name}{closed}")
            buttons.append(
                Button(
                    t("jobs.btn.open", number=number, title=label(vacancy.title)),
                    self.act("open", vacancy.id),
                )
            )
        ctx.say("\n".join(lines), column(*buttons, *self.footer(ctx)))

    # -- «Мои отклики» --------------------------------------------------------------------------------
    async def mine_list(self, ctx: Ctx) -> None:
        if not await self.consented(ctx):
            return
        ctx.state.clear_step()
        self.came_from(ctx, "mine")
        applications = await self.vacancies.applications_of(ctx.person.id)
        if not applications:
            ctx.say(
                t("jobs.mine.none"), column(Button(t("jobs.btn.all"), self.act("show")), *self.footer(ctx))
            )
            return
        lines = [t("jobs.mine.title")]
        buttons = []
        for number, application in enumerate(applications, 1):
            vacancy = await self.vacancies.vacancy(application.vacancy_id)
            title = vacancy.title if vacancy is not None else "—"
            status = status_text(application.status)
            if vacancy is not None and not vacancy.is_open:
                status = f"{status}, {t('jobs.closed')}"
            lines.append(
                t("jobs.mine.line", number=number, date=_day(ctx, application), title=title, status=status)
            )
            if vacancy is not None:
                buttons.append(
                    Button(
                        t("jobs.btn.open", number=number, title=label(title)), self.act("open", vacancy.id)
                    )
                )
        ctx.say("\n".join(lines), column(*buttons, *self.footer(ctx)))

    # -- the way back from a card -------------------------------------------------------------------
    async def back(self, ctx: Ctx) -> None:
        origin, page = self.origin(ctx)
        if origin == "matches":
            await self.matches(ctx, page)
        elif origin == "saved":
            await self.saved_list(ctx)
        elif origin == "mine":
            await self.mine_list(ctx)
        else:
            await self.results(ctx, self.search(ctx), page)

    # -- «Работодатель ответил?» ----------------------------------------------------------------------
    async def follow_up(self, ctx: Ctx, application_id: int, answered: bool) -> None:
        """The buttons under the follow-up reminder: public, so anyone could send one; the store finds
        only the presser's own application."""
        ctx.state.clear_step()
        try:
            await self.vacancies.answer_follow_up(ctx.person.id, application_id, answered)
        except (ApplicationNotFound, ConsentRequired):
            ctx.say(t("jobs.follow_up.not_yours"), column(*self.footer(ctx)))
            return
        ctx.say(
            t("jobs.follow_up.yes" if answered else "jobs.follow_up.no"),
            column(Button(t("jobs.btn.mine"), self.act("mine")), *self.footer(ctx)),
        )


def _day(ctx: Ctx, application: Application) -> str:
    return f"{application.created_at.astimezone(ctx.services.timezone):%d.%m}"
