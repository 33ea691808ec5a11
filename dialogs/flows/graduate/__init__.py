"""«Анкета выпускника»: the risk questionnaire of the graduates' pilot, for students of the graduating
courses and young graduates; offered from the menu, from free text (``employment_help``) and by an
operator's invitation to a course (``/invite_graduates``, a campaign whose button opens it). The
scoring is the domain's (``backend_client/graduates``); the diagram is ``graduate.mmd`` beside them."""

from __future__ import annotations

from functools import partial

from backend_client.ports import GraduateSurveys
from dialogs.context import Ctx, Services
from dialogs.feature import Feature, MenuEntry, MyDataLine, opens
from dialogs.flow import Flow, action
from dialogs.flows.graduate.flow import INVITE, NAME, GraduateFlow, graduating_viewer
from dialogs.intents import Route
from dialogs.texts import t
from dialogs.views.events import short_date

__all__ = ["FEATURE", "GraduateFlow"]


def _flow(services: Services) -> Flow:
    return GraduateFlow(services.graduates, services.broadcasts)


def _my_data(services: Services) -> MyDataLine:
    if services.graduates is None:
        return _nothing
    return partial(_line, services.graduates, services)


async def _line(surveys: GraduateSurveys, services: Services, person_id: int) -> str:
    saved = await surveys.survey(person_id)
    if saved is None:
        return t("graduate.mydata_none")
    return t("graduate.mydata", when=short_date(saved.updated_at, services.timezone))


async def _nothing(person_id: int) -> str:
    return t("graduate.mydata_none")


async def _invite(ctx: Ctx, arg: str) -> None:
    """``/invite_graduates 4 [36401]``: the operator's invitation to a course (the flow checks who asks)."""
    ctx.state.reset()
    await ctx.go(NAME, "invite", arg)


FEATURE = Feature(
    name=NAME,
    flow=_flow,
    commands={"graduate": opens(NAME)},
    operator_commands={"invite_graduates": _invite},
    menu=(MenuEntry("graduate.btn.menu", action(NAME, "result"), order=55, when=graduating_viewer),),
    intents={"employment_help": Route(flow=NAME)},
    public={INVITE: "invitation"},
    my_data=_my_data,
)
