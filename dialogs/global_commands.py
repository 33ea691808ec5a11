"""The commands every conversation knows, whatever the features: /start, /menu, /help and /cancel.

Features add their own through ``Feature.commands``; ``dialogs.features.commands`` merges both.
"""

from __future__ import annotations

import re

from dialogs.context import Ctx
from dialogs.feature import Command, opens
from dialogs.texts import t
from dialogs.views.feedback import help_text

START_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # Telegram deep-link payload alphabet
# Where they stand in a messenger's command menu: these first, the features' next, these last.
LISTED_FIRST = ("start", "menu")
LISTED_LAST = ("help", "cancel")


async def _start(ctx: Ctx, arg: str) -> None:
    ctx.state.reset()
    if arg and not START_PAYLOAD.fullmatch(arg):
        ctx.say(t("engine.bad_link"))
        arg = ""
    await ctx.go("start", "payload" if arg else "", arg)


async def _cancel(ctx: Ctx, arg: str) -> None:
    was_waiting = ctx.state.waiting
    ctx.state.reset()
    ctx.say(t("engine.cancelled" if was_waiting else "engine.nothing_to_cancel"))
    await ctx.menu()


async def _help(ctx: Ctx, arg: str) -> None:
    ctx.say(help_text(ctx.services.centre))  # with the centre's contacts, as the regulation asks
    if not ctx.state.waiting:
        await ctx.menu()


GLOBAL_COMMANDS: dict[str, Command] = {
    "start": _start,
    "cancel": _cancel,
    "menu": opens("menu"),
    "help": _help,
}
