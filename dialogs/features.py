"""The registry: every feature of the bot, one line each, and what the rest collects from them.

A new feature adds its ``FEATURE`` (see ``dialogs.feature``) to ``FEATURES`` below and to the import
line; the engine's flows and commands, the messengers' command menus, the role's main menu and the
NLU routes all follow from here.
"""

from __future__ import annotations

from dialogs.context import Services
from dialogs.feature import Command, Feature, MenuEntry, MyDataLine
from dialogs.flow import Flow
from dialogs.flows import (
    alerts,
    career,
    centre,
    colleges,
    consent,
    events,
    family,
    feedback,
    graduate,
    jobs,
    menu,
    mydata,
    operator,
    plan,
    profile,
    settings,
    start,
    system,
    understand,
)
from dialogs.global_commands import GLOBAL_COMMANDS, LISTED_FIRST, LISTED_LAST
from dialogs.intents import COMING, COMING_INTENTS, REPLIES, Route

FEATURES: tuple[Feature, ...] = (
    start.FEATURE,
    consent.FEATURE,
    family.FEATURE,
    profile.FEATURE,
    career.FEATURE,
    colleges.FEATURE,
    mydata.FEATURE,
    settings.FEATURE,
    events.FEATURE,
    jobs.FEATURE,
    alerts.FEATURE,
    graduate.FEATURE,
    centre.FEATURE,
    plan.FEATURE,
    feedback.FEATURE,
    system.FEATURE,
    operator.FEATURE,
    menu.FEATURE,
    understand.FEATURE,
)


def all_flows(services: Services) -> list[Flow]:
    """Every feature's conversation, built with the ports it uses."""
    return [feature.flow(services) for feature in FEATURES]


def commands() -> dict[str, Command]:
    """``/name`` -> what it does: the global commands and every feature's."""
    table: dict[str, Command] = dict(GLOBAL_COMMANDS)
    for feature in FEATURES:
        table.update(feature.commands)
        table.update(feature.operator_commands)
    return table


def listed_commands(*, operator: bool = False) -> list[str]:
    """The commands a messenger lists, in their order; the operators' ones only in operators' chats."""
    names = [*LISTED_FIRST, *(name for feature in FEATURES for name in feature.commands), *LISTED_LAST]
    if operator:
        names += [name for feature in FEATURES for name in feature.operator_commands]
    return names


def menu_entries() -> tuple[MenuEntry, ...]:
    """The main menu's buttons of every feature, in their order (each entry says who sees it)."""
    return tuple(sorted((entry for feature in FEATURES for entry in feature.menu), key=lambda e: e.order))


def public_actions() -> dict[str, tuple[str, str]]:
    """Verb of a public button -> (flow, entry) that takes it."""
    table: dict[str, tuple[str, str]] = {}
    for feature in FEATURES:
        for verb, entry in feature.public.items():
            if verb in table:
                raise ValueError(f"public button {verb!r} is claimed by {table[verb][0]} and {feature.name}")
            table[verb] = (feature.name, entry)
    return table


def my_data_lines(services: Services) -> tuple[MyDataLine, ...]:
    """The lines «Мои данные» shows about each feature's records, in the features' order."""
    return tuple(feature.my_data(services) for feature in FEATURES if feature.my_data is not None)


def intent_routes() -> dict[str, Route]:
    """Intent -> route: the pure replies, «скоро» for what is not built, and every feature's routes."""
    routes: dict[str, Route] = {**REPLIES, **dict.fromkeys(COMING_INTENTS, COMING)}
    for feature in FEATURES:
        routes.update(feature.intents)
    return routes
