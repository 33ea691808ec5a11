"""What every room of the operator's desk shares: its steps, its draft, its clock and its ports (``Desk``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from backend_client.broadcasts import Actor, Audience
from backend_client.ports import Broadcasts, CareerReports
from dialogs.context import Ctx
from dialogs.flow import action

NAME = "operator"


class Step(StrEnum):
    """The desk's screens and waiting steps, named as in ``operator.mmd``; the values of the waiting
    ones are what conversation states store, so they never change."""

    HOME = "home"
    TEXT = "text"  # waiting: the campaign's text
    AUDIENCE = "audience"
    MUNICIPALITY = "municipality"  # waiting: a filter
    GRADE = "grade"  # waiting: a filter
    INSTITUTION = "institution"  # waiting: a filter
    SCHEDULE = "schedule"  # «Когда?»: now or later
    WHEN = "when"  # waiting: the campaign's moment
    NEXT_YEAR = "next_year"  # «Вы имели в виду … следующего года?»
    CONFIRM = "confirm"
    CAMPAIGNS = "campaigns"
    STATS = "stats"
    START = "start"  # waiting: planned works begin
    FINISH = "end"  # waiting: planned works end
    WORKS = "works"  # waiting: what is unavailable
    PREVIEW = "preview"  # the three maintenance texts
    EMERGENCY = "emergency"  # waiting: the emergency text
    EMERGENCY_CONFIRM = "emergency_confirm"
    SYSTEM = "system"
    REPORT = "report"


def act(verb: str, arg: object = "") -> str:
    """A button of the desk (the verbs are ``OperatorFlow``'s ``on_press`` table)."""
    return action(NAME, verb, str(arg))


def draft(ctx: Ctx) -> dict[str, object]:
    """The desk's work in progress (a campaign or a system message), kept in the conversation."""
    op = ctx.data.get("op")
    if isinstance(op, dict):
        return op
    fresh: dict[str, object] = {"audience": Audience().as_json()}
    ctx.data["op"] = fresh
    return fresh


def local(ctx: Ctx, moment: datetime) -> str:
    return f"{moment.astimezone(ctx.services.timezone):%d.%m.%Y %H:%M}"


@dataclass(frozen=True, slots=True)
class Desk:
    """The ports the desk uses: the operators' powers (None: an install without operators, where the desk
    does not exist) and the anonymous career report."""

    broadcasts: Broadcasts | None
    reports: CareerReports

    def powers(self, ctx: Ctx) -> tuple[Broadcasts, Actor]:
        """The operator's powers for this turn; the desk's guard has checked the role already."""
        if self.broadcasts is None:
            raise LookupError("the operator desk runs without broadcasts")
        incoming = ctx.incoming
        return self.broadcasts, Actor(incoming.channel, incoming.account_id, ctx.press)

    async def admits(self, ctx: Ctx) -> bool:
        """Whether the account writing holds the operator role."""
        incoming = ctx.incoming
        return self.broadcasts is not None and await self.broadcasts.is_operator(
            incoming.channel, incoming.account_id
        )
