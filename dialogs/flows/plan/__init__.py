"""«Мой план» and the outcome check-ins after graduation (issue 17): ``flow`` routes the person's side,
``desk`` the operators' ``/plan``, ``graduation`` reads a graduation date; the diagram is ``plan.mmd``.
The reminders are rules of their own (``notifications/rules/plan_reminders.py`` and ``check_ins.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from backend_client.plans import PLAN_ROLES
from backend_client.ports import Plans
from dialogs.context import Ctx, Services
from dialogs.feature import Feature, MenuEntry, MyDataLine
from dialogs.flow import Flow, action
from dialogs.flows.plan.flow import PlanFlow
from dialogs.texts import t
from dialogs.views.plan import CHECK_IN, DONE, NAME

__all__ = ["FEATURE", "PlanFlow"]


def _flow(services: Services) -> Flow:
    return PlanFlow(services.plans, services.plans, services.broadcasts)  # no store: «недоступно»


@dataclass(frozen=True, slots=True)
class _Desk:
    """``/plan …``: the operators' command; its arguments go to the flow (which checks the role)."""

    async def __call__(self, ctx: Ctx, arg: str) -> None:
        await ctx.go(NAME, "desk", arg)


def _my_data(services: Services) -> MyDataLine:
    if services.plans is None:
        return _nothing_kept
    return partial(_line, services.plans)


async def _line(plans: Plans, person_id: int) -> str:
    steps = await plans.plan_of(person_id)
    graduated = await plans.graduation_of(person_id)
    answers = await plans.outcomes_of(person_id)
    if not steps and graduated is None and not answers:
        return t("plan.mydata_none")
    when = f"{graduated:%m.%Y}" if graduated else t("plan.mydata_graduation_none")
    done = sum(step.done for step in steps)
    return t("plan.mydata", steps=len(steps), done=done, graduation=when, answers=len(answers))


async def _nothing_kept(person_id: int) -> str:
    return t("plan.mydata_none")


FEATURE = Feature(
    name=NAME,
    flow=_flow,
    menu=(MenuEntry("plan.btn.plan", action(NAME, "show"), order=67, roles=PLAN_ROLES),),
    operator_commands={"plan": _Desk()},  # listed only in operators' chats; unknown to everyone else
    # «Сделано» under a reminder and the answers under a check-in (the flow finds the presser's own only)
    public={DONE: "done", CHECK_IN: "checkin"},
    my_data=_my_data,
)
