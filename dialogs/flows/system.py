"""«Сообщения системы»: current and upcoming planned works and emergency notices, for everyone to read."""

from __future__ import annotations

from enum import StrEnum

from backend_client.ports import Broadcasts
from dialogs.context import Ctx
from dialogs.feature import Feature, MenuEntry
from dialogs.flow import Flow, action, on_press
from dialogs.texts import t
from dialogs.ui import Button, column


class Step(StrEnum):
    """The one screen of ``system.mmd``; the flow never waits for text."""

    MESSAGES = "messages"


class SystemFlow(Flow):
    name = "system"
    steps = Step

    def __init__(self, broadcasts: Broadcasts | None) -> None:
        self.broadcasts = broadcasts  # None: no system messages to read

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        broadcasts = self.broadcasts
        messages = await broadcasts.system_messages() if broadcasts else []
        text = "\n\n".join([t("system.title"), *(m.text for m in messages)]) if messages else t("system.none")
        ctx.say(text, column(Button(t("btn.back_to_menu"), action("menu", "show"))))

    @on_press("show")
    async def show(self, ctx: Ctx) -> None:
        await self.enter(ctx)


FEATURE = Feature(
    name="system",
    flow=lambda services: SystemFlow(services.broadcasts),
    menu=(MenuEntry("btn.system", action("system", "show"), order=90),),
)
