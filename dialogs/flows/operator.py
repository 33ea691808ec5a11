"""The operator's desk: campaigns, planned works, emergency notices, delivery figures, test reports.

Only accounts holding the operator role reach it, and the role is checked twice on every step: here
(so a non-operator never sees a screen) and again by each use case in its own transaction (so a role
revoked mid-conversation stops the very next action). To anyone else the desk does not exist: the
command is unknown and a forged button is a stale one.

Typed dates are never moved silently: «01.12 10:00» typed after the 1st of December asks «Вы имели в
виду 01.12.2027?», and a moment already gone (today's earlier hour, or a year given) is refused. System
messages are numbered by their own id here as on the command line, their stages included.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from backend_client.broadcasts import (
    Actor,
    Audience,
    Campaign,
    CampaignDraft,
    CampaignKind,
    CampaignStats,
    CampaignStatus,
    MaintenanceTexts,
    NoticeTooShort,
    OperatorError,
    SystemKind,
    check_text,
)
from backend_client.calendar import WorkingDays
from backend_client.models import Role
from backend_client.ports import Broadcasts
from backend_client.reference import municipality
from dialogs.context import Ctx
from dialogs.flow import Flow, action
from dialogs.texts import t
from dialogs.ui import Button, column
from dialogs.validation import InputError, match_municipality

ONE_HOUR = timedelta(hours=1)
WHEN = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?\s+(\d{1,2})[:.](\d{2})\s*$")
NUMBERS = re.compile(r"\d+")
ROLES = (
    Role.PUPIL,
    Role.COLLEGE_STUDENT,
    Role.UNIVERSITY_STUDENT,
    Role.GRADUATE,
    Role.PARENT,
    Role.JOBSEEKER,
)


@dataclass(frozen=True, slots=True)
class Typed:
    """A typed local moment: ``moment`` as written (this year when no year was given)."""

    moment: datetime
    year_given: bool


def parse_when(text: str, ctx: Ctx) -> Typed | None:
    """«27.11 22:00» or «27.11.2026 22:00», local time; without a year, this year's such day (the
    caller asks before taking next year's)."""
    found = WHEN.match(text)
    if found is None:
        return None
    day, month, year, hour, minute = found.groups()
    try:
        moment = datetime(
            int(year or ctx.local_now().year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            tzinfo=ctx.services.timezone,
        )
    except ValueError:
        return None
    return Typed(moment, year is not None)


def next_year(moment: datetime) -> datetime | None:
    """The same day and time a year later (None for 29 February)."""
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:
        return None


def _local(ctx: Ctx, moment: datetime) -> str:
    return f"{moment.astimezone(ctx.services.timezone):%d.%m.%Y %H:%M}"


def _system_name(campaign: Campaign) -> str:
    emergency = campaign.kind in (CampaignKind.EMERGENCY, CampaignKind.EMERGENCY_RESOLVED)
    return t(f"operator.system_name.{'emergency' if emergency else 'maintenance'}")


def campaign_title(campaign: Campaign) -> str:
    """«Рассылка №4 (рассылка)» or, for a stage of a system message, «Плановые работы №1 (…)»."""
    if campaign.system_message_id is None:
        return t("operator.stats_title", number=campaign.id, kind=t(f"operator.kind.{campaign.kind.value}"))
    return t(
        "operator.system_title",
        system=_system_name(campaign),
        number=campaign.system_message_id,
        kind=t(f"operator.stage.{campaign.kind.value}"),
    )


class OperatorFlow(Flow):
    name = "operator"

    async def _actor(self, ctx: Ctx) -> tuple[Broadcasts, Actor] | None:
        broadcasts = ctx.services.broadcasts
        incoming = ctx.incoming
        if broadcasts is None or not await broadcasts.is_operator(incoming.channel, incoming.account_id):
            return None
        return broadcasts, Actor(incoming.channel, incoming.account_id, ctx.press)

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        if await self._actor(ctx) is None:
            ctx.say(t("engine.unknown_command"))  # the desk does not exist for anyone else
            return
        self._home(ctx)

    async def on_action(self, ctx: Ctx, verb: str, arg: str) -> None:
        desk = await self._actor(ctx)
        if desk is None:
            await ctx.stale()
            return
        try:
            await self._act(ctx, desk, verb, arg)
        except OperatorError as error:
            self._refused(ctx, error)

    async def on_text(self, ctx: Ctx, step: str, text: str) -> None:
        desk = await self._actor(ctx)
        if desk is None:
            ctx.state.clear_step()
            await ctx.menu()
            return
        try:
            await self._typed(ctx, desk, step, text)
        except OperatorError as error:
            self._refused(ctx, error)

    def _refused(self, ctx: Ctx, error: OperatorError) -> None:
        if isinstance(error, NoticeTooShort):
            provisional = WorkingDays.russian().provisional(error.earliest.year)
            ctx.say(
                t("operator.error.notice_too_short", earliest=f"{error.earliest:%d.%m.%Y}")
                + ("\n" + t("operator.provisional") if provisional else "")
            )
        else:
            ctx.say(t(f"operator.error.{error.code}"))
        ctx.state.clear_step()
        self._home(ctx)

    # -- screens ---------------------------------------------------------------------------------
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
                Button(t("btn.back_to_menu"), action("menu", "show")),
            ),
        )

    async def _act(self, ctx: Ctx, desk: tuple[Broadcasts, Actor], verb: str, arg: str) -> None:
        broadcasts, actor = desk
        if verb == "home":
            self._home(ctx)
        elif verb == "compose":
            ctx.data["op"] = {"audience": Audience().as_json()}
            ctx.say(t("operator.ask_text"))
            ctx.wait(self.name, "text")
        elif verb == "role" and arg in {role.value for role in ROLES}:
            audience = self._audience(ctx)
            roles = set(audience.roles) ^ {Role(arg)}
            self._set_audience(ctx, [role for role in ROLES if role in roles], "roles")
            await self._audience_screen(ctx, desk)
        elif verb == "filter" and arg in ("municipality", "grade", "institution"):
            ctx.say(t(f"operator.ask_{arg}"))
            ctx.wait(self.name, arg)
        elif verb == "reset":
            self._op(ctx)["audience"] = Audience().as_json()
            await self._audience_screen(ctx, desk)
        elif verb == "when":
            await self._when_screen(ctx)
        elif verb == "now":
            self._op(ctx)["at"] = ctx.now().isoformat()
            await self._confirm_screen(ctx, desk)
        elif verb == "later":
            ctx.say(t("operator.ask_when"))
            ctx.wait(self.name, "when")
        elif verb == "send":
            await self._send(ctx, broadcasts, actor)
        elif verb == "campaigns":
            await self._campaigns(ctx, broadcasts, actor)
        elif verb == "open" and arg.isdigit():
            await self._open(ctx, broadcasts, actor, int(arg))
        elif verb == "cancel" and arg.isdigit():
            withdrawn = await broadcasts.cancel_campaign(actor, int(arg))
            ctx.say(t("operator.cancelled", number=arg, withdrawn=withdrawn))
            await self._open(ctx, broadcasts, actor, int(arg))
        elif verb == "maintenance":
            ctx.data["op"] = {}
            ctx.say(t("operator.ask_start"))
            ctx.wait(self.name, "start")
        elif verb == "plan":
            await self._plan(ctx, broadcasts, actor)
        elif verb == "emergency":
            ctx.data["op"] = {}
            ctx.say(t("operator.ask_emergency"))
            ctx.wait(self.name, "emergency")
        elif verb == "alarm":
            text = str(self._op(ctx).get("text", ""))
            message = await broadcasts.announce_emergency(actor, t("system.emergency", text=text))
            ctx.say(t("operator.emergency_sent", number=message.id))
            self._home(ctx)
        elif verb == "system":
            await self._system(ctx, broadcasts)
        elif verb in ("calloff", "resolve", "withdraw") and arg.isdigit():
            resolved = t("system.resolved_notice") if verb == "resolve" else None
            done = await broadcasts.cancel_system_message(
                actor, int(arg), works_off=t("system.cancelled_notice"), resolved=resolved
            )
            answer = {"calloff": "operator.called_off", "resolve": "operator.resolved"}.get(verb)
            ctx.say(t(answer or "operator.withdrawn") if done else t("operator.error.campaign_closed"))
            await self._system(ctx, broadcasts)
        elif verb == "year" and arg in ("when", "start", "end"):
            held = self._op(ctx).pop(f"next_year_{arg}", None)
            if held is None:
                await ctx.stale()
                return
            await self._moment_taken(ctx, desk, arg, datetime.fromisoformat(str(held)))
        elif verb == "retype" and arg in ("when", "start", "end"):
            self._op(ctx).pop(f"next_year_{arg}", None)
            ctx.say(
                t({"when": "operator.ask_when", "start": "operator.ask_start"}.get(arg, "operator.ask_end"))
            )
            ctx.wait(self.name, arg)
        elif verb == "report":
            await self._report(ctx, broadcasts, actor)
        else:
            await ctx.stale()

    async def _typed(self, ctx: Ctx, desk: tuple[Broadcasts, Actor], step: str, text: str) -> None:
        op = self._op(ctx)
        if step == "text":
            op["text"] = check_text(text)
            await self._audience_screen(ctx, desk)
        elif step == "municipality":
            try:
                match = match_municipality(text)
            except InputError:
                match = None
            if match is None or match.found is None:
                ctx.say(t("operator.bad_municipality"))
                return
            self._set_audience(ctx, [match.found.code], "municipalities")
            await self._audience_screen(ctx, desk)
        elif step == "grade":
            numbers = [int(n) for n in NUMBERS.findall(text)]
            course = "курс" in text.lower()
            if not numbers or any(n < 1 or n > 11 for n in numbers):
                ctx.say(t("operator.bad_grade"))
                return
            self._set_audience(ctx, numbers, "courses" if course else "grades")
            await self._audience_screen(ctx, desk)
        elif step == "institution":
            self._set_audience(ctx, [text.strip()[:160]], "institutions")
            await self._audience_screen(ctx, desk)
        elif step in ("when", "start", "end"):
            await self._typed_moment(ctx, desk, step, text)
        elif step == "works":
            op["text"] = check_text(text)
            self._maintenance_screen(ctx)
        elif step == "emergency":
            op["text"] = check_text(text)
            ctx.state.clear_step()
            ctx.say(
                t("operator.confirm_emergency", text=t("system.emergency", text=op["text"])),
                column(
                    Button(t("operator.btn.alarm"), self.act("alarm")),
                    Button(t("operator.btn.abort"), self.act("home")),
                ),
            )
        else:
            ctx.state.clear_step()
            self._home(ctx)

    async def _typed_moment(self, ctx: Ctx, desk: tuple[Broadcasts, Actor], step: str, text: str) -> None:
        """A typed date and time: taken when it is ahead; a day gone this year is asked back with next
        year's date; a moment already gone (a year given, or earlier today) is refused. Never moved
        silently."""
        typed = parse_when(text, ctx)
        if typed is None:
            ctx.say(t("operator.bad_when"))
            return
        moment, now = typed.moment, ctx.now()
        if moment > now:
            await self._moment_taken(ctx, desk, step, moment)
            return
        later = next_year(moment)
        if typed.year_given or moment.date() == ctx.local_now().date() or later is None:
            example = f"{ctx.local_now().replace(second=0, microsecond=0) + ONE_HOUR:%d.%m %H:%M}"
            ctx.say(t("operator.past_when", date=_local(ctx, moment), example=example))
            return
        self._op(ctx)[f"next_year_{step}"] = later.isoformat()
        ctx.state.clear_step()
        ctx.say(
            t("operator.next_year", typed=text.strip(), date=_local(ctx, later)),
            column(
                Button(t("operator.btn.year_yes", date=_local(ctx, later)), self.act("year", step)),
                Button(t("operator.btn.year_no"), self.act("retype", step)),
                Button(t("operator.btn.abort"), self.act("home")),
            ),
        )

    async def _moment_taken(
        self, ctx: Ctx, desk: tuple[Broadcasts, Actor], step: str, moment: datetime
    ) -> None:
        op = self._op(ctx)
        if step == "when":
            op["at"] = moment.isoformat()
            await self._confirm_screen(ctx, desk)
            return
        op[step] = moment.isoformat()
        ctx.say(t("operator.ask_end" if step == "start" else "operator.ask_works"))
        ctx.wait(self.name, "end" if step == "start" else "works")

    # -- campaigns ---------------------------------------------------------------------------------
    @staticmethod
    def _op(ctx: Ctx) -> dict[str, object]:
        op = ctx.data.get("op")
        if isinstance(op, dict):
            return op
        fresh: dict[str, object] = {"audience": Audience().as_json()}
        ctx.data["op"] = fresh
        return fresh

    def _audience(self, ctx: Ctx) -> Audience:
        raw = self._op(ctx).get("audience")
        return Audience.from_json(raw if isinstance(raw, dict) else {})

    def _set_audience(self, ctx: Ctx, values: Sequence[object], name: str) -> None:
        data = self._audience(ctx).as_json()
        data[name] = [value.value if isinstance(value, Role) else value for value in values]
        self._op(ctx)["audience"] = data

    def _describe(self, audience: Audience) -> str:
        if audience.everyone:  # system messages reach every account, consent or not
            return t(
                "operator.audience_all_accounts" if audience.all_accounts else "operator.audience_everyone"
            )
        parts = []
        if audience.roles:
            parts.append(", ".join(t(f"role.{role.value}") for role in audience.roles))
        if audience.municipalities:
            parts.append(", ".join(m.name for code in audience.municipalities if (m := municipality(code))))
        if audience.grades:
            parts.append(t("operator.grades", grades=", ".join(map(str, audience.grades))))
        if audience.courses:
            parts.append(t("operator.courses", courses=", ".join(map(str, audience.courses))))
        if audience.institutions:
            parts.append(", ".join(audience.institutions))
        return "; ".join(parts)

    async def _audience_screen(self, ctx: Ctx, desk: tuple[Broadcasts, Actor]) -> None:
        broadcasts, actor = desk
        ctx.state.clear_step()
        audience = self._audience(ctx)
        count = await broadcasts.audience_size(actor, audience)
        role_buttons = [
            Button(
                ("✅ " if role in audience.roles else "") + t(f"role.{role.value}"),
                self.act("role", role.value),
            )
            for role in ROLES
        ]
        ctx.say(
            t("operator.audience", audience=self._describe(audience), count=count),
            column(
                *role_buttons,
                Button(t("operator.btn.municipality"), self.act("filter", "municipality")),
                Button(t("operator.btn.grade"), self.act("filter", "grade")),
                Button(t("operator.btn.institution"), self.act("filter", "institution")),
                Button(t("operator.btn.reset"), self.act("reset")),
                Button(t("operator.btn.next"), self.act("when")),
                Button(t("operator.btn.abort"), self.act("home")),
            ),
        )

    async def _when_screen(self, ctx: Ctx) -> None:
        if "text" not in self._op(ctx):
            await ctx.stale()
            return
        ctx.say(
            t("operator.when"),
            column(
                Button(t("operator.btn.now"), self.act("now")),
                Button(t("operator.btn.later"), self.act("later")),
                Button(t("operator.btn.abort"), self.act("home")),
            ),
        )

    async def _confirm_screen(self, ctx: Ctx, desk: tuple[Broadcasts, Actor]) -> None:
        broadcasts, actor = desk
        ctx.state.clear_step()
        op = self._op(ctx)
        audience = self._audience(ctx)
        count = await broadcasts.audience_size(actor, audience)
        at = datetime.fromisoformat(str(op["at"]))
        ctx.say(
            t(
                "operator.confirm",
                text=op.get("text", ""),
                audience=self._describe(audience),
                count=count,
                when=t("operator.at_once") if at <= ctx.now() else _local(ctx, at),
            ),
            column(
                Button(t("operator.btn.send"), self.act("send")),
                Button(t("operator.btn.abort"), self.act("home")),
            ),
        )

    async def _send(self, ctx: Ctx, broadcasts: Broadcasts, actor: Actor) -> None:
        op = self._op(ctx)
        if "text" not in op or "at" not in op:
            await ctx.stale()  # an old confirmation button after the draft was sent or dropped
            return
        at = datetime.fromisoformat(str(op["at"]))
        campaign = await broadcasts.create_campaign(
            actor, CampaignDraft(CampaignKind.NEWS, str(op["text"]), self._audience(ctx), at)
        )
        ctx.data.pop("op", None)
        ctx.say(t("operator.created", number=campaign.id, when=_local(ctx, campaign.not_before)))
        self._home(ctx)

    async def _campaigns(self, ctx: Ctx, broadcasts: Broadcasts, actor: Actor) -> None:
        campaigns = await broadcasts.recent_campaigns(actor)
        buttons = [Button(self._campaign_line(ctx, c), self.act("open", str(c.id))) for c in campaigns]
        buttons.append(Button(t("operator.btn.home"), self.act("home")))
        ctx.say(t("operator.campaigns" if campaigns else "operator.no_campaigns"), column(*buttons))

    @staticmethod
    def _campaign_line(ctx: Ctx, c: Campaign) -> str:
        values = {
            "status": t(f"operator.status.{c.status.value}"),
            "when": f"{c.not_before.astimezone(ctx.services.timezone):%d.%m %H:%M}",
        }
        if c.system_message_id is None:
            return t("operator.campaign_line", number=c.id, kind=t(f"operator.kind.{c.kind.value}"), **values)
        stage = t(f"operator.stage.{c.kind.value}")
        return t(
            "operator.system_line", system=_system_name(c), number=c.system_message_id, kind=stage, **values
        )

    async def _open(self, ctx: Ctx, broadcasts: Broadcasts, actor: Actor, campaign_id: int) -> None:
        stats = await broadcasts.campaign(actor, campaign_id)
        if stats is None:
            await ctx.stale()
            return
        buttons = [Button(t("operator.btn.refresh"), self.act("open", str(campaign_id)))]
        open_ = stats.campaign.status is CampaignStatus.SCHEDULED or stats.queued > 0
        if stats.campaign.status is not CampaignStatus.CANCELLED and open_:
            buttons.append(Button(t("operator.btn.cancel_campaign"), self.act("cancel", str(campaign_id))))
        buttons.append(Button(t("operator.btn.campaigns"), self.act("campaigns")))
        ctx.say(self._stats_text(ctx, stats), column(*buttons))

    def _stats_text(self, ctx: Ctx, stats: CampaignStats) -> str:
        c = stats.campaign
        by = stats.by_status
        lines = [
            t(
                "operator.stats",
                title=campaign_title(c),
                status=t(f"operator.status.{c.status.value}"),
                when=_local(ctx, c.not_before),
                audience=self._describe(c.audience),
                recipients="—" if c.recipients is None else c.recipients,
                queued=stats.queued,
                quiet=stats.held_quiet,
                delivered=by.get("delivered", 0) + by.get("merged", 0),
                merged=by.get("merged", 0),
                blocked=by.get("blocked", 0),
                failed=by.get("failed", 0),
                cancelled=by.get("cancelled", 0) + by.get("expired", 0),
            )
        ]
        lines += [
            t("operator.failure_line", reason=reason or "—", count=n) for reason, n in stats.failures.items()
        ]
        return "\n".join(lines)

    # -- system messages ---------------------------------------------------------------------------
    def _maintenance_screen(self, ctx: Ctx) -> None:
        ctx.state.clear_step()
        op = self._op(ctx)
        start = datetime.fromisoformat(str(op["start"]))
        end = datetime.fromisoformat(str(op["end"]))
        texts = self._maintenance_texts(ctx, start, end, str(op["text"]))
        ctx.say(
            t(
                "operator.confirm_maintenance",
                announcement=texts.announcement,
                eve=texts.eve,
                done=texts.done,
            ),
            column(
                Button(t("operator.btn.plan"), self.act("plan")),
                Button(t("operator.btn.abort"), self.act("home")),
            ),
        )

    @staticmethod
    def _maintenance_texts(ctx: Ctx, start: datetime, end: datetime, text: str) -> MaintenanceTexts:
        window = {"start": _local(ctx, start), "end": _local(ctx, end), "text": text}
        return MaintenanceTexts(
            t("system.maintenance", **window),
            t("system.maintenance_eve", **window),
            t("system.maintenance_done", **window),
        )

    async def _plan(self, ctx: Ctx, broadcasts: Broadcasts, actor: Actor) -> None:
        op = self._op(ctx)
        if not {"start", "end", "text"} <= op.keys():
            await ctx.stale()
            return
        start = datetime.fromisoformat(str(op["start"]))
        end = datetime.fromisoformat(str(op["end"]))
        message = await broadcasts.plan_maintenance(
            actor, start, end, self._maintenance_texts(ctx, start, end, str(op["text"]))
        )
        ctx.data.pop("op", None)
        ctx.say(t("operator.planned", number=message.id))
        self._home(ctx)

    async def _system(self, ctx: Ctx, broadcasts: Broadcasts) -> None:
        messages = await broadcasts.system_messages()
        lines = [t("system.title"), *(m.text for m in messages)]
        buttons = []
        for m in messages:
            if m.kind is SystemKind.MAINTENANCE and m.starts_at > ctx.now():
                buttons.append(Button(t("operator.btn.calloff", number=m.id), self.act("calloff", str(m.id))))
            elif m.kind is SystemKind.EMERGENCY:
                number = str(m.id)
                buttons.append(Button(t("operator.btn.resolve", number=number), self.act("resolve", number)))
                buttons.append(
                    Button(t("operator.btn.withdraw", number=number), self.act("withdraw", number))
                )
        buttons.append(Button(t("operator.btn.home"), self.act("home")))
        ctx.say("\n\n".join(lines) if messages else t("system.none"), column(*buttons))

    async def _report(self, ctx: Ctx, broadcasts: Broadcasts, actor: Actor) -> None:
        await broadcasts.audience_size(actor, Audience())  # the role check of a read-only report
        report = await ctx.records.career_report()
        lines = [t("operator.report_title")]
        for figures in report.instruments:
            lines.append(
                t(
                    "operator.report_line",
                    instrument=figures.instrument,
                    started=figures.started,
                    completed=figures.completed,
                    rate=f"{figures.completion_rate:.0%}",
                    people=figures.people,
                )
            )
        share = report.pupils_8_9_tested / report.pupils_8_9 if report.pupils_8_9 else 0.0
        lines.append(
            t(
                "operator.report_pilot",
                tested=report.pupils_8_9_tested,
                total=report.pupils_8_9,
                share=f"{share:.0%}",
            )
        )
        ctx.say("\n".join(lines), column(Button(t("operator.btn.home"), self.act("home"))))
