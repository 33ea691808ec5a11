"""The global commands every messenger should list in its menu, with their Russian descriptions."""

from __future__ import annotations

from dialogs.texts import t

GLOBAL_COMMANDS = ("start", "menu", "profile", "tests", "mydata", "settings", "help", "cancel")


def command_list() -> list[tuple[str, str]]:
    return [(name, t(f"commands.{name}")) for name in GLOBAL_COMMANDS]
