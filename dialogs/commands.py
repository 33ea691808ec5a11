"""The slash commands a messenger lists in its command menu, with their Russian descriptions: the global
ones and every feature's for everyone, plus the operator's desk in operators' own chats. What each
command does is collected in ``dialogs.features.commands``."""

from __future__ import annotations

from dialogs.features import listed_commands
from dialogs.texts import t


def command_list(*, operator: bool = False) -> list[tuple[str, str]]:
    return [(name, t(f"commands.{name}")) for name in listed_commands(operator=operator)]
