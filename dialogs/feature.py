"""What a feature hands the rest of the product: the one object it registers in ``dialogs/features.py``.

A feature is its own module or folder under ``dialogs/flows/``; it exports ``FEATURE = Feature(...)`` and
adds one line to ``FEATURES`` (and its module to the import line) in ``dialogs/features.py``. Nothing else
names it: the engine's flows, slash commands, the messengers' command menus, the role's main menu and the
NLU routes are all collected from there. For example (``dialogs/flows/settings.py``)::

    FEATURE = Feature(
        name="settings",
        flow=lambda services: SettingsFlow(services.records),  # as the NotificationPreferences it uses
        commands={"settings": opens("settings")},  # listed in every messenger: text ``commands.settings``
        menu=(MenuEntry("btn.settings", action("settings", "show"), order=70),),
        intents={"unsubscribe": Route(flow="settings")},
    )

- ``flow`` builds the feature's conversation from the composition root's ``Services``, handing its
  constructor only the narrow ports (``backend_client.ports``) it uses; while it answers, a flow reads
  only settings from ``ctx.services`` (``FlowSettings``), never a store. The flow's ``name`` is what
  actions, commands and routes refer to. Its ``.mmd`` diagram, named after the flow, names its steps.
  A port ``Services`` does not hold yet is added there with a default, given by an ``Engine`` keyword.
- ``commands``: ``/name`` -> what it does (``opens(flow)`` for the usual «leave what you were doing and
  open it»). Each is listed in the messengers' command menus with the text ``commands.<name>``;
  ``operator_commands`` are listed only in operators' own chats (their flow checks who may use them).
- ``menu``: buttons of the main menu with who sees them (``MenuEntry``: roles, ages and, for a condition
  on the person's data, ``when(viewer)``), placed by ``order``.
- ``intents``: the NLU intents the feature answers (``dialogs.intents.Route``); an intent still listed as
  coming in ``dialogs/intents.py`` stops being «скоро» once a feature registers it.
- ``public``: buttons under proactive messages (``notifications.buttons``), which no turn issued: public
  verb -> the entry of this feature's flow that takes them (it must find only the presser's own records).
- ``my_data``: for a feature that keeps personal data, the line «Мои данные» shows about it, built with
  its ports (``MyDataLine``: person id -> text); the export and erasure are the store's side
  (``backend_client/sql/export.py``).

``tests/flows/test_registry.py`` checks the whole: unique names, every action, command and route
reaching a registered flow (and a button verb it declares), no command or intent claimed twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from dialogs.context import Ctx, Services
from dialogs.flow import Flow
from dialogs.intents import Route
from dialogs.menu_entry import MenuEntry, Viewer

__all__ = ["Command", "Feature", "MenuEntry", "MyDataLine", "Opens", "Viewer", "opens"]

Command = Callable[[Ctx, str], Awaitable[None]]  # (context, the text after the command)
MyDataLine = Callable[[int], Awaitable[str]]  # person id -> what «Мои данные» says of a feature's records


@dataclass(frozen=True, slots=True)
class Opens:
    """A command that leaves whatever the person was doing and opens ``flow`` (at ``entry``)."""

    flow: str
    entry: str = ""

    async def __call__(self, ctx: Ctx, arg: str) -> None:
        ctx.state.reset()
        await ctx.go(self.flow, self.entry)


def opens(flow: str, entry: str = "") -> Opens:
    return Opens(flow, entry)


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    flow: Callable[[Services], Flow]
    commands: Mapping[str, Command] = field(default_factory=dict)
    menu: tuple[MenuEntry, ...] = ()
    intents: Mapping[str, Route] = field(default_factory=dict)
    operator_commands: Mapping[str, Command] = field(default_factory=dict)
    public: Mapping[str, str] = field(default_factory=dict)
    my_data: Callable[[Services], MyDataLine] | None = None
