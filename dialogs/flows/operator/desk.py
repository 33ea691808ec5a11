"""The operator's desk: campaigns, planned works, emergency notices, delivery figures, test reports.

Only accounts holding the operator role reach it, and the role is checked twice on every step: here
(so a non-operator never sees a screen) and again by each use case in its own transaction (so a role
revoked mid-conversation stops the very next action). To anyone else the desk does not exist: the
command is unknown and a forged button is a stale one.

Typed dates are never moved silently: «01.12 10:00» typed after the 1st of December asks «Вы имели в
виду 01.12.2027?», and a moment already gone (today's earlier hour, or a year given) is refused. System
messages are numbered by their own id here as on the command line, their stages included.

This module is the desk's routing table (one handler per button verb and per waiting step); the screens
live in ``composer`` (campaigns being written), ``system`` (system messages) and ``reports``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from backend_client.broadcasts import Audience, NoticeTooShort, OperatorError, check_text
from backend_client.calendar import WorkingDays
from backend_client.models import Role
from backend_client.ports import Broadcasts, CareerReports
from dialogs.context import Ctx
from dialogs.flow import Flow, Run, action, on_answer, on_press
from dialogs.flows.operator import composer, reports, system
from dialogs.flows.operator.common import NAME, Desk, Step, draft, local
from dialogs.flows.operator.moments import next_year, parse_when
from dialogs.texts import t
from dialogs.ui import Button, column

ONE_HOUR = timedelta(hours=1)
Filter = Literal["municipality", "grade", "institution"]
Moment = Literal["when", "start", "end"]
ASK = {Step.WHEN: "operator.ask_when", Step.START: "operator.ask_start", Step.FINISH: "operator.ask_end"}


class OperatorFlow(Flow):
    name = NAME
    steps = Step

    def __init__(self, broadcasts: Broadcasts | None, reports: CareerReports) -> None:
        self.desk = Desk(broadcasts, reports)

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        if not await self.desk.admits(ctx):
            ctx.say(t("engine.unknown_command"))  # the desk does not exist for anyone else
            return
        self._home(ctx)

    async def guard_press(self, ctx: Ctx, run: Run) -> None:
        if not await self.desk.admits(ctx):
            await ctx.stale()
            return
        await self._refusing(ctx, run)

    async def guard_answer(self, ctx: Ctx, run: Run) -> None:
        if not await self.desk.admits(ctx):
            ctx.state.clear_step()
            await ctx.menu()
            return
        await self._refusing(ctx, run)

    async def _refusing(self, ctx: Ctx, run: Run) -> None:
        """Run a step; a use case's refusal is told and leads home."""
        try:
            await run()
        except NoticeTooShort as error:
            provisional = WorkingDays.russian().provisional(error.earliest.year)
            ctx.say(
                t("operator.error.notice_too_short", earliest=f"{error.earliest:%d.%m.%Y}")
                + ("\n" + t("operator.provisional") if provisional else "")
            )
            self._home(ctx)
        except OperatorError as error:
            ctx.say(t(f"operator.error.{error.code}"))
            self._home(ctx)

    def _home(self, ctx: Ctx) -> None:
        ctx.state.clear_step()
        ctx.say(
            t("operator.title"),
            column(
                Button(t("operator.btn.compose"), self.act("compose")),
                Button(t("operator.btn.campaigns"), self.act("campaigns")),
                Button(t("operator.btn.maintenance"), self.act("maintenance")),
                Button(t("operator.btn.emergency"), self.act("emergency")),
                Button(t("operator.btn.system"), self.act("system")),
                Button(t("operator.btn.report"), self.act("report")),
                Button(t("feedback.btn.inbox"), action("feedback", "inbox")),
                Button(t("btn.back_to_menu"), action("menu", "show")),
            ),
        )

    # -- buttons -----------------------------------------------------------------------------------
    @on_press("home")
    async def home(self, ctx: Ctx) -> None:
        self._home(ctx)

    @on_press("compose")
    async def compose(self, ctx: Ctx) -> None:
        ctx.data["op"] = {"audience": Audience().as_json()}
        ctx.say(t("operator.ask_text"))
        self.wait(ctx, Step.TEXT)

    @on_press("role")
    async def role(self, ctx: Ctx, role: Role) -> None:
        if role not in composer.ROLES:
            await ctx.stale()
            return
        composer.toggle_role(ctx, role)
        await composer.audience_screen(ctx, self.desk)

    @on_press("filter")
    async def ask_filter(self, ctx: Ctx, kind: Filter) -> None:
        ctx.say(t(f"operator.ask_{kind}"))
        self.wait(ctx, Step(kind))

    @on_press("reset")
    async def reset(self, ctx: Ctx) -> None:
        draft(ctx)["audience"] = Audience().as_json()
        await composer.audience_screen(ctx, self.desk)

    @on_press("when")
    async def schedule(self, ctx: Ctx) -> None:
        await composer.schedule_screen(ctx)

    @on_press("now")
    async def now(self, ctx: Ctx) -> None:
        draft(ctx)["at"] = ctx.now().isoformat()
        await composer.confirm_screen(ctx, self.desk)

    @on_press("later")
    async def later(self, ctx: Ctx) -> None:
        ctx.say(t("operator.ask_when"))
        self.wait(ctx, Step.WHEN)

    @on_press("send")
    async def send(self, ctx: Ctx) -> None:
        if not await composer.send(ctx, self.desk):
            await ctx.stale()  # an old confirmation button after the draft was sent or dropped
            return
        self._home(ctx)

    @on_press("campaigns")
    async def campaigns(self, ctx: Ctx) -> None:
        await reports.campaigns(ctx, self.desk)

    @on_press("open")
    async def open(self, ctx: Ctx, campaign_id: int) -> None:
        if not await reports.stats(ctx, self.desk, campaign_id):
            await ctx.stale()

    @on_press("cancel")
    async def cancel(self, ctx: Ctx, campaign_id: int) -> None:
        broadcasts, actor = self.desk.powers(ctx)
        withdrawn = await broadcasts.cancel_campaign(actor, campaign_id)
        ctx.say(t("operator.cancelled", number=campaign_id, withdrawn=withdrawn))
        await self.open(ctx, campaign_id)

    @on_press("maintenance")
    async def maintenance(self, ctx: Ctx) -> None:
        ctx.data["op"] = {}
        ctx.say(t("operator.ask_start"))
        self.wait(ctx, Step.START)

    @on_press("plan")
    async def plan(self, ctx: Ctx) -> None:
        if not await system.plan(ctx, self.desk):
            await ctx.stale()
            return
        self._home(ctx)

    @on_press("emergency")
    async def emergency(self, ctx: Ctx) -> None:
        ctx.data["op"] = {}
        ctx.say(t("operator.ask_emergency"))
        self.wait(ctx, Step.EMERGENCY)

    @on_press("alarm")
    async def alarm(self, ctx: Ctx) -> None:
        broadcasts, actor = self.desk.powers(ctx)
        text = str(draft(ctx).get("text", ""))
        message = await broadcasts.announce_emergency(actor, t("system.emergency", text=text))
        ctx.say(t("operator.emergency_sent", number=message.id))
        self._home(ctx)

    @on_press("system")
    async def system_list(self, ctx: Ctx) -> None:
        await system.system_messages(ctx, self.desk)

    @on_press("calloff")
    async def calloff(self, ctx: Ctx, message_id: int) -> None:
        await self._close_system_message(ctx, message_id, None, "operator.called_off")

    @on_press("resolve")
    async def resolve(self, ctx: Ctx, message_id: int) -> None:
        await self._close_system_message(ctx, message_id, t("system.resolved_notice"), "operator.resolved")

    @on_press("withdraw")
    async def withdraw(self, ctx: Ctx, message_id: int) -> None:
        await self._close_system_message(ctx, message_id, None, "operator.withdrawn")

    async def _close_system_message(
        self, ctx: Ctx, message_id: int, resolved: str | None, answer: str
    ) -> None:
        broadcasts, actor = self.desk.powers(ctx)
        done = await broadcasts.cancel_system_message(
            actor, message_id, works_off=t("system.cancelled_notice"), resolved=resolved
        )
        ctx.say(t(answer) if done else t("operator.error.campaign_closed"))
        await system.system_messages(ctx, self.desk)

    @on_press("year")
    async def year(self, ctx: Ctx, moment: Moment) -> None:
        held = draft(ctx).pop(f"next_year_{moment}", None)
        if held is None:
            await ctx.stale()
            return
        await self._moment_taken(ctx, Step(moment), datetime.fromisoformat(str(held)))

    @on_press("retype")
    async def retype(self, ctx: Ctx, moment: Moment) -> None:
        draft(ctx).pop(f"next_year_{moment}", None)
        ctx.say(t(ASK[Step(moment)]))
        self.wait(ctx, Step(moment))

    @on_press("report")
    async def report(self, ctx: Ctx) -> None:
        await reports.career_report(ctx, self.desk)

    # -- typed answers -----------------------------------------------------------------------------
    @on_answer(Step.TEXT)
    async def campaign_text(self, ctx: Ctx, text: str) -> None:
        draft(ctx)["text"] = check_text(text)
        await composer.audience_screen(ctx, self.desk)

    @on_answer(Step.MUNICIPALITY)
    async def municipality(self, ctx: Ctx, text: str) -> None:
        if not composer.filter_municipality(ctx, text):
            ctx.say(t("operator.bad_municipality"))
            return
        await composer.audience_screen(ctx, self.desk)

    @on_answer(Step.GRADE)
    async def grade(self, ctx: Ctx, text: str) -> None:
        if not composer.filter_grade(ctx, text):
            ctx.say(t("operator.bad_grade"))
            return
        await composer.audience_screen(ctx, self.desk)

    @on_answer(Step.INSTITUTION)
    async def institution(self, ctx: Ctx, text: str) -> None:
        composer.set_audience(ctx, [text.strip()[:160]], "institutions")
        await composer.audience_screen(ctx, self.desk)

    @on_answer(Step.WORKS)
    async def works(self, ctx: Ctx, text: str) -> None:
        draft(ctx)["text"] = check_text(text)
        system.preview(ctx)

    @on_answer(Step.EMERGENCY)
    async def emergency_text(self, ctx: Ctx, text: str) -> None:
        checked = draft(ctx)["text"] = check_text(text)
        system.confirm_emergency(ctx, checked)

    @on_answer(Step.WHEN, Step.START, Step.FINISH)
    async def moment(self, ctx: Ctx, step: Step, text: str) -> None:
        """A typed date and time: taken when it is ahead; a day gone this year is asked back with next
        year's date; a moment already gone (a year given, or earlier today) is refused. Never moved
        silently."""
        typed = parse_when(text, ctx)
        if typed is None:
            ctx.say(t("operator.bad_when"))
            return
        moment, now = typed.moment, ctx.now()
        if moment > now:
            await self._moment_taken(ctx, step, moment)
            return
        later = next_year(moment)
        if typed.year_given or moment.date() == ctx.local_now().date() or later is None:
            example = f"{ctx.local_now().replace(second=0, microsecond=0) + ONE_HOUR:%d.%m %H:%M}"
            ctx.say(t("operator.past_when", date=local(ctx, moment), example=example))
            return
        draft(ctx)[f"next_year_{step}"] = later.isoformat()
        ctx.state.clear_step()
        ctx.say(
            t("operator.next_year", typed=text.strip(), date=local(ctx, later)),
            column(
                Button(t("operator.btn.year_yes", date=local(ctx, later)), self.act("year", step)),
                Button(t("operator.btn.year_no"), self.act("retype", step)),
                Button(t("operator.btn.abort"), self.act("home")),
            ),
        )

    async def _moment_taken(self, ctx: Ctx, step: Step, moment: datetime) -> None:
        op = draft(ctx)
        if step is Step.WHEN:
            op["at"] = moment.isoformat()
            await composer.confirm_screen(ctx, self.desk)
            return
        op[step] = moment.isoformat()
        ctx.say(t("operator.ask_end" if step is Step.START else "operator.ask_works"))
        self.wait(ctx, Step.FINISH if step is Step.START else Step.WORKS)
