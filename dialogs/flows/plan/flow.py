"""«Мой план»: the steps agreed with the employment centre with their deadlines and a «Сделано» per step,
the graduation date, and the outcome check-in in two taps («Рассказать, как дела» → an answer).

The buttons under a reminder («Сделано») and under a check-in (an answer) are public: no turn issued
them, so the store finds only the presser's own step, and an answer is recorded for the presser only.
Everything here is personal data: shown and stored only with consent.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from backend_client.errors import ConsentRequired
from backend_client.models import ConsentStatus
from backend_client.plans import (
    CHECK_IN_MONTHS,
    GRADUATION_AHEAD_YEARS,
    GRADUATION_PAST_YEARS,
    SETTLED,
    BadGraduation,
    NotACheckIn,
    OutcomeStatus,
    StepNotFound,
    months_after,
)
from backend_client.ports import PlanDesk, Plans
from dialogs.context import Ctx
from dialogs.flow import Flow, Run, action, on_answer, on_press
from dialogs.flows.plan.desk import Desk, OperatorRole
from dialogs.flows.plan.graduation import parse_graduation
from dialogs.texts import t
from dialogs.ui import Button, column, plain_label
from dialogs.views.plan import CENTRE, NAME, answer_label, month_text, step_line

MAX_DONE_BUTTONS = 8  # «Сделано: N» for the first open steps; the rest wait until these are done


class Step(StrEnum):
    """The screens of ``plan.mmd``."""

    OVERVIEW = "overview"
    GRADUATION = "graduation"  # waits for the month and year of graduation
    CHECK_IN = "check_in"  # the answers of the due check-in


class PlanFlow(Desk, Flow):
    name = NAME
    steps = Step

    def __init__(self, plans: Plans | None, desk: PlanDesk | None, role: OperatorRole | None) -> None:
        self._plans = plans
        self._desk = desk
        self.role = role

    @property
    def plans(self) -> Plans:
        if self._plans is None:  # the guards answer first; only a wiring mistake gets here
            raise RuntimeError("the plan feature has no store")
        return self._plans

    @property
    def desk(self) -> PlanDesk:
        if self._desk is None:
            raise RuntimeError("the plan feature has no store")
        return self._desk

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        if entry == "desk":
            if self._desk is None:
                ctx.say(t("engine.unknown_command"))
            else:
                await self.desk_command(ctx, arg)
            return
        ctx.state.clear_step()
        if not await self._available(ctx) or not self._consented(ctx):
            return
        if entry == "done":
            await self._done_from_reminder(ctx, arg)
        elif entry == "checkin":
            await self._answer_from_notice(ctx, arg)
        else:
            await self.overview(ctx)

    async def guard_press(self, ctx: Ctx, run: Run) -> None:
        if await self._available(ctx) and self._consented(ctx):
            await run()

    async def _available(self, ctx: Ctx) -> bool:
        if self._plans is not None:
            return True
        ctx.state.clear_step()
        ctx.say(t("plan.unavailable"))
        await ctx.menu()
        return False

    async def guard_answer(self, ctx: Ctx, run: Run) -> None:
        await self.guard_press(ctx, run)

    @staticmethod
    def _consented(ctx: Ctx) -> bool:
        if ctx.person.consent is ConsentStatus.GRANTED:
            return True
        ctx.state.clear_step()
        ctx.say(t("plan.needs_consent"), column(Button(t("btn.back_to_menu"), action("menu", "show"))))
        return False

    # -- the plan -----------------------------------------------------------------------------------
    @on_press("show")
    async def overview(self, ctx: Ctx) -> None:
        ctx.state.clear_step()
        person, today = ctx.person.id, ctx.local_now().date()
        steps = await self.plans.plan_of(person)
        graduated = await self.plans.graduation_of(person)
        lines = [step_line(number, step, today) for number, step in enumerate(steps, start=1)]
        paragraphs = [t("plan.title"), t("plan.intro") if steps else t("plan.empty"), "\n".join(lines)]
        buttons = [
            Button(t("plan.btn.done", number=number), self.act("done", step.id))
            for number, step in enumerate(steps, start=1)
            if not step.done
        ][:MAX_DONE_BUTTONS]
        if graduated is None:
            paragraphs.append(t("plan.graduation_none"))
            buttons.append(Button(t("plan.btn.graduation"), self.act("graduation")))
        else:
            paragraphs.append(t("plan.graduation", month=month_text(graduated), year=graduated.year))
            if await self._due_check_in(person, graduated, today) is not None:
                buttons.append(Button(t("plan.btn.check_in"), self.act("check_in")))
            buttons.append(Button(t("plan.btn.graduation_change"), self.act("graduation")))
        buttons.append(Button(t("btn.back_to_menu"), action("menu", "show")))
        ctx.say("\n\n".join(paragraph for paragraph in paragraphs if paragraph), column(*buttons))

    @on_press("done")
    async def done(self, ctx: Ctx, step_id: int) -> None:
        await self._mark_done(ctx, step_id)

    async def _done_from_reminder(self, ctx: Ctx, arg: str) -> None:
        if not arg.isascii() or not arg.isdigit():
            await ctx.stale()
            return
        await self._mark_done(ctx, int(arg))

    async def _mark_done(self, ctx: Ctx, step_id: int) -> None:
        try:
            step, closed = await self.plans.mark_step_done(ctx.person.id, step_id)
        except StepNotFound:
            ctx.say(t("plan.not_yours"), self._footer())
            return
        ctx.say(t("plan.done" if closed else "plan.done_before", text=step.text), self._footer())

    def _footer(self) -> tuple[tuple[Button, ...], ...]:
        return column(
            Button(t("plan.btn.plan"), self.act("show")),
            Button(t("btn.back_to_menu"), action("menu", "show")),
        )

    # -- the graduation date ------------------------------------------------------------------------
    @on_press("graduation")
    async def ask_graduation(self, ctx: Ctx) -> None:
        self.wait(ctx, Step.GRADUATION)
        ctx.say(t("plan.ask_graduation"), column(Button(t("plan.btn.plan"), self.act("show"))))

    @on_answer(Step.GRADUATION)
    async def graduation_typed(self, ctx: Ctx, text: str) -> None:
        today = ctx.local_now().date()
        graduated = parse_graduation(text)
        if graduated is None:
            ctx.say(t("plan.graduation_bad"))
            return
        try:
            await self.plans.set_graduation(ctx.person.id, graduated, today=today)
        except BadGraduation:
            first, last = today.year - GRADUATION_PAST_YEARS, today.year + GRADUATION_AHEAD_YEARS
            ctx.say(t("plan.graduation_range", first=first, last=last))
            return
        except ConsentRequired:
            self._consented(ctx)
            return
        ctx.say(t("plan.graduation_saved", month=month_text(graduated), year=graduated.year))
        await self.overview(ctx)

    # -- the check-in -------------------------------------------------------------------------------
    async def _due_check_in(self, person: int, graduated: date, today: date) -> int | None:
        """The latest check-in whose day has come and that is not answered, unless the person is settled."""
        answers = {outcome.months: outcome.status for outcome in await self.plans.outcomes_of(person)}
        if SETTLED & set(answers.values()):
            return None
        due = [m for m in CHECK_IN_MONTHS if months_after(graduated, m) <= today and m not in answers]
        return due[-1] if due else None

    @on_press("check_in")
    async def check_in(self, ctx: Ctx) -> None:
        graduated = await self.plans.graduation_of(ctx.person.id)
        today = ctx.local_now().date()
        months = None if graduated is None else await self._due_check_in(ctx.person.id, graduated, today)
        if months is None:
            ctx.say(t("plan.check_in.none_due"), self._footer())
            return
        answers = [
            Button(answer_label(status), self.act("answer", f"{months}:{status.value}"))
            for status in OutcomeStatus
        ]
        self.wait(ctx, Step.CHECK_IN, months)
        ctx.say(t("plan.check_in.choose"), column(*answers))

    @on_answer(Step.CHECK_IN)
    async def check_in_typed(self, ctx: Ctx, months: int, text: str) -> None:
        """An answer typed as its button reads (the icon aside) counts; anything else is asked back."""
        typed = plain_label(text)
        status = next((s for s in OutcomeStatus if plain_label(answer_label(s)) == typed), None)
        if status is None:
            ctx.say(t("plan.check_in.use_buttons"))
            await self.check_in(ctx)
            return
        await self._answer(ctx, f"{months}:{status.value}")

    @on_press("answer")
    async def answer(self, ctx: Ctx, choice: str) -> None:
        await self._answer(ctx, choice)

    async def _answer_from_notice(self, ctx: Ctx, arg: str) -> None:
        await self._answer(ctx, arg)

    async def _answer(self, ctx: Ctx, choice: str) -> None:
        months_text, _, status_text = choice.partition(":")
        if not months_text.isdigit() or status_text not in set(OutcomeStatus):
            await ctx.stale()
            return
        ctx.state.clear_step()
        try:
            outcome, recorded = await self.plans.record_outcome(
                ctx.person.id, int(months_text), OutcomeStatus(status_text), today=ctx.local_now().date()
            )
        except NotACheckIn:
            ctx.say(t("plan.check_in.not_due"), self._footer())
            return
        if not recorded:
            ctx.say(t("plan.check_in.answered_before", answer=answer_label(outcome.status)), self._footer())
        elif outcome.status in SETTLED:
            ctx.say(t("plan.check_in.settled"), column(Button(t("btn.back_to_menu"), action("menu", "show"))))
        elif outcome.status is OutcomeStatus.SEARCHING:
            ctx.say(
                t("plan.check_in.searching"),
                column(Button(t("plan.btn.centre"), action(*CENTRE)), *(row[0] for row in self._footer())),
            )
        else:
            ctx.say(t("plan.check_in.deferred"), self._footer())
