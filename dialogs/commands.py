"""The slash commands: what each one does (``COMMANDS``, the engine's routing table) and the ones a
messenger lists in its menu, with their Russian descriptions: the global ones for everyone, plus the
operator's desk in operators' own chats."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from dialogs.context import Ctx
from dialogs.texts import t

GLOBAL_COMMANDS = ("start", "menu", "profile", "tests", "mydata", "settings", "help", "cancel")
OPERATOR_COMMANDS = ("operator",)
START_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # Telegram deep-link payload alphabet

Command = Callable[[Ctx, str], Awaitable[None]]  # (context, the text after the command)


def command_list(*, operator: bool = False) -> list[tuple[str, str]]:
    names = GLOBAL_COMMANDS + (OPERATOR_COMMANDS if operator else ())
    return [(name, t(f"commands.{name}")) for name in names]


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
    ctx.say(t("engine.help"))
    if not ctx.state.waiting:
        await ctx.menu()


def _opens(flow: str) -> Command:
    """A command that leaves whatever the person was doing and opens ``flow``."""

    async def run(ctx: Ctx, arg: str) -> None:
        ctx.state.reset()
        await ctx.go(flow)

    return run


COMMANDS: dict[str, Command] = {
    "start": _start,
    "cancel": _cancel,
    "menu": _opens("menu"),
    "help": _help,
    "profile": _opens("profile"),
    "mydata": _opens("mydata"),
    "settings": _opens("settings"),
    "tests": _opens("career"),
    "operator": _opens("operator"),  # unknown to everyone but operators (the flow checks)
}
