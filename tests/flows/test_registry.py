"""The feature registry (``dialogs.features``) holds together: unique names, every command, menu button
and intent reaching a registered flow (a button: a verb that flow declares), nothing claimed twice, and
the main menu exactly as the roles had it before it was collected from the features."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from itertools import product
from typing import get_args, get_type_hints

import pytest

from backend_client.models import AgeBand, ConsentStatus, Person, Profile, Role
from backend_client.ports import Records
from dialogs.engine import Engine
from dialogs.feature import Opens, Viewer
from dialogs.features import (
    FEATURES,
    commands,
    intent_routes,
    listed_commands,
    menu_entries,
    public_actions,
)
from dialogs.flow import parse_action
from dialogs.global_commands import GLOBAL_COMMANDS
from dialogs.intents import COMING_INTENTS, REPLIES
from dialogs.texts import catalog


def test_feature_names_are_unique() -> None:
    names = Counter(feature.name for feature in FEATURES)
    assert [name for name, count in names.items() if count > 1] == []


def test_every_feature_builds_one_flow_of_a_name_of_its_own(sqlite_engine: Engine) -> None:
    built = [feature.flow(sqlite_engine.services) for feature in FEATURES]
    names = Counter(flow.name for flow in built)
    assert [name for name, count in names.items() if count > 1] == []
    assert set(names) == set(sqlite_engine.flows)


def test_no_two_features_claim_one_command_or_intent() -> None:
    claimed = Counter(
        name for feature in FEATURES for name in (*feature.commands, *feature.operator_commands)
    )
    claimed.update(list(GLOBAL_COMMANDS))
    assert [name for name, count in claimed.items() if count > 1] == []
    intents = Counter(intent for feature in FEATURES for intent in feature.intents)
    assert [intent for intent, count in intents.items() if count > 1] == []
    assert set(intents) & set(REPLIES) == set()  # a pure reply is nobody's feature


def test_every_command_opens_a_registered_flow_and_is_listed_with_its_text(sqlite_engine: Engine) -> None:
    table = commands()
    for name, command in table.items():
        if isinstance(command, Opens):
            assert command.flow in sqlite_engine.flows, name
    assert set(listed_commands(operator=True)) == table.keys()
    assert len(listed_commands(operator=True)) == len(table)
    for name in table:
        assert f"commands.{name}" in catalog(), name


def test_every_menu_entry_presses_a_verb_its_flow_declares(sqlite_engine: Engine) -> None:
    for entry in menu_entries():
        flow_name, verb, _ = parse_action(entry.action)
        flow = sqlite_engine.flows.get(flow_name)
        assert flow is not None, entry
        assert verb in flow._presses, entry
        assert entry.label in catalog(), entry


def test_every_intent_reaches_a_registered_flow_or_answers_itself(sqlite_engine: Engine) -> None:
    routes = intent_routes()
    for intent, route in routes.items():
        assert route.flow in sqlite_engine.flows or (not route.flow and (route.reply or route.coming)), intent
    registered = {intent for feature in FEATURES for intent in feature.intents}
    assert set(routes) == set(REPLIES) | set(COMING_INTENTS) | registered
    for intent in set(COMING_INTENTS) - registered:
        assert routes[intent].coming


def test_the_messengers_list_the_commands_as_before() -> None:
    everyone = ["start", "menu", "profile", "tests", "mydata", "settings"]
    everyone += ["graduate", "centre", "feedback", "help", "cancel"]
    assert listed_commands() == everyone
    assert listed_commands(operator=True) == [*everyone, "invite_graduates", "plan", "operator"]


def _menu_before(role: Role, age: AgeBand, filled: bool, operator: bool) -> list[str]:
    """The menu as it was built by hand before the registry (text keys, in order), with the features
    registered since: «Работа и стажировки» / «Подработка» (issue 15), «Колледжи и техникумы», «Анкета
    выпускника» and «Центр занятости» for graduates (issue 17; students of the graduating courses too, which
    needs a course), «Мой план» (issue 17), «Написать в центр» (issue 18)."""
    items = ["btn.my_profile" if filled else "btn.fill_profile"]
    if role is Role.PARENT:
        items += ["btn.my_children", "btn.link_child"]
    elif age in (AgeBand.CHILD, AgeBand.MINOR):
        items.append("btn.my_guardians")
    items.append("btn.career")
    if role in (Role.PUPIL, Role.COLLEGE_STUDENT, Role.PARENT):
        items.append("btn.colleges")
    if role is Role.GRADUATE:
        items += ["graduate.btn.menu", "centre.btn.menu"]
    if role in (Role.PUPIL, Role.COLLEGE_STUDENT, Role.UNIVERSITY_STUDENT, Role.GRADUATE):
        items.append("btn.events")
    if role in (Role.COLLEGE_STUDENT, Role.UNIVERSITY_STUDENT, Role.GRADUATE, Role.JOBSEEKER):
        items.append("btn.jobs")
    elif role is Role.PUPIL and age in (AgeBand.MINOR, AgeBand.ADULT):
        items.append("btn.jobs_teen")  # from 14: the minors' law decides what is shown
    if role in (Role.COLLEGE_STUDENT, Role.UNIVERSITY_STUDENT, Role.GRADUATE):
        items.append("plan.btn.plan")  # «Мой план» (issue 17)
    items += ["btn.settings", "btn.my_data", "btn.system", "feedback.btn.menu"]
    if operator:
        items.append("btn.operator")
    return [*items, "btn.help"]


@pytest.mark.parametrize(
    ("role", "age", "filled", "operator"), list(product(Role, AgeBand, (False, True), (False, True)))
)
def test_the_menu_shows_what_each_role_and_age_saw_before(
    role: Role, age: AgeBand, filled: bool, operator: bool
) -> None:
    person = Person(1, role, age, ConsentStatus.GRANTED, datetime(2026, 1, 1, tzinfo=UTC))
    profile = Profile(1, display_name="Аня") if filled else Profile(1)
    viewer = Viewer(person, profile, operator)
    shown = [entry.label for entry in menu_entries() if entry.shown_to(viewer)]
    assert shown == _menu_before(role, age, filled, operator)


def test_every_public_button_reaches_a_registered_flow(sqlite_engine: Engine) -> None:
    table = public_actions()
    assert set(table) >= {"stop", "followup"}
    assert all(flow in sqlite_engine.flows for flow, _ in table.values())


def test_flows_are_built_with_narrow_ports_never_the_whole_store(sqlite_engine: Engine) -> None:
    """A flow declares the ports it uses in its constructor; ``Records`` (all of them) is nobody's."""
    for flow in sqlite_engine.flows.values():
        wants = get_type_hints(type(flow).__init__).values() if "__init__" in vars(type(flow)) else ()
        assert Records not in wants, flow.name
        assert not any(Records in get_args(kind) for kind in wants), flow.name
