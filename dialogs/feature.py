"""What a feature hands the rest of the product: the one object it registers in ``dialogs/features.py``.

A feature is its own module or folder under ``dialogs/flows/``; it exports ``FEATURE = Feature(...)`` and
adds one line to ``dialogs/features.py``. Its flow is built with the narrow ports it uses (``flow``
receives the composition root's ``Services`` and picks them); its commands, menu entries and the intents
it serves are routed from here, so no shared table names it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from backend_client.models import AgeBand, Role
from dialogs.context import Ctx, Services
from dialogs.flow import Flow
from dialogs.intents import Route

Command = Callable[[Ctx, str], Awaitable[None]]  # (context, the text after the command)


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """A button of the role's main menu."""

    label: str  # text key of the button
    action: str  # the flow action it presses (``dialogs.flow.action``)
    order: int  # place in the menu, low first; leave gaps (10, 20 …) for features to come
    roles: frozenset[Role] | None = None  # who sees it; None: every role
    ages: frozenset[AgeBand] | None = None  # and at which ages; None: any


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    flow: Callable[[Services], Flow]
    commands: Mapping[str, Command] = field(default_factory=dict)
    menu: tuple[MenuEntry, ...] = ()
    intents: Mapping[str, Route] = field(default_factory=dict)
