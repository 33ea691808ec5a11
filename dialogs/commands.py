"""The commands a messenger lists in its menu, with their Russian descriptions: the global ones for
everyone, plus the operator's desk in operators' own chats."""

from __future__ import annotations

from dialogs.texts import t

GLOBAL_COMMANDS = ("start", "menu", "profile", "tests", "mydata", "settings", "help", "cancel")
OPERATOR_COMMANDS = ("operator",)


def command_list(*, operator: bool = False) -> list[tuple[str, str]]:
    names = GLOBAL_COMMANDS + (OPERATOR_COMMANDS if operator else ())
    return [(name, t(f"commands.{name}")) for name in names]
