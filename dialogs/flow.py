"""What a flow is: a named feature that starts, reacts to its buttons and, while it waits, to text."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from dialogs.context import Ctx


def action(flow: str, verb: str, arg: str = "") -> str:
    """The internal action behind a button; it never leaves the server (see dialogs.ui)."""
    return f"{flow}:{verb}:{arg}"


def parse_action(value: str) -> tuple[str, str, str]:
    flow, _, rest = value.partition(":")
    verb, _, arg = rest.partition(":")
    return flow, verb, arg


class Flow:
    """Base class of every feature's conversation. Subclasses set ``name`` and override what they need."""

    name: ClassVar[str] = ""

    def act(self, verb: str, arg: str = "") -> str:
        return action(self.name, verb, arg)

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        raise NotImplementedError

    async def on_action(self, ctx: Ctx, verb: str, arg: str) -> None:
        """A button of this flow was pressed. Unknown verbs come from old releases: treat them as stale."""
        await ctx.stale()

    async def on_text(self, ctx: Ctx, step: str, text: str) -> None:
        """Text arrived while this flow waits at ``step``."""
        await ctx.not_understood()
