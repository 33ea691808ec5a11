"""«Сообщения системы»: current and upcoming planned works and emergency notices, for everyone to read."""

from __future__ import annotations

from dialogs.context import Ctx
from dialogs.flow import Flow, action
from dialogs.texts import t
from dialogs.ui import Button, column


class SystemFlow(Flow):
    name = "system"

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        broadcasts = ctx.services.broadcasts
        messages = await broadcasts.system_messages() if broadcasts else []
        text = "\n\n".join([t("system.title"), *(m.text for m in messages)]) if messages else t("system.none")
        ctx.say(text, column(Button(t("btn.back_to_menu"), action("menu", "show"))))

    async def on_action(self, ctx: Ctx, verb: str, arg: str) -> None:
        await self.enter(ctx)
