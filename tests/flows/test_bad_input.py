"""At least 1,000 generated inputs at every waiting step: the bot always answers and never stores junk."""

from __future__ import annotations

import logging
import zlib
from datetime import date

import pytest

from backend_client.models import AgeBand, ContactTime, Profile, Role
from backend_client.reference import BY_CODE
from dialogs.flows.profile_fields import FIELDS, ROLE_FIELDS
from dialogs.state import ConversationState
from dialogs.validation import AGE_LIMITS, parse_name
from tests.flows.fuzz_inputs import inputs

PER_STEP = 1000


def _field_role(field: str) -> Role:
    if field == "grade":
        return Role.PUPIL
    if field in ("course", "specialty"):
        return Role.COLLEGE_STUDENT
    return Role.GRADUATE


# (id, role, consent path, flow, step, data) — every step at which the bot waits for typed text
STEPS: list[tuple[str, Role | None, str, str, str, dict[str, object]]] = [
    ("start.role", None, "none", "start", "role", {}),
    ("start.age", None, "none", "start", "age", {"role": "pupil"}),
    ("consent.decide", Role.GRADUATE, "none", "consent", "decide", {}),
    ("consent.awaiting", Role.PUPIL, "child", "consent", "awaiting", {}),
    ("family.code", Role.PARENT, "granted", "family", "code", {}),
]
for _field in FIELDS:
    _role = _field_role(_field)
    _before = dict.fromkeys(ROLE_FIELDS[_role][: ROLE_FIELDS[_role].index(_field)]) | {"display_name": "Аня"}
    _before.pop(_field, None)
    STEPS.append((f"profile.ask.{_field}", _role, "granted", "profile", f"ask:{_field}", {"draft": _before}))
    STEPS.append((f"profile.edit.{_field}", _role, "granted", "profile", f"edit:{_field}", {}))


async def _person_at(records, account: str, role: Role | None, path: str) -> int:
    person = await records.identify("test", account, account)
    if role is None:
        return person.id
    band = AgeBand.CHILD if path == "child" else AgeBand.ADULT
    await records.choose_role(person.id, role, band)
    if path == "child":
        await records.await_guardian(person.id)
    elif path == "granted":
        await records.give_own_consent(person.id, version="2026-11", channel="test")
    return person.id


def _assert_valid(profile: Profile, today: date) -> None:
    if profile.display_name is not None:
        assert parse_name(profile.display_name) == profile.display_name
    if profile.birth_year is not None:
        assert today.year - 100 <= profile.birth_year <= today.year - min(x.low for x in AGE_LIMITS.values())
    assert profile.municipality is None or profile.municipality in BY_CODE
    assert profile.grade is None or 5 <= profile.grade <= 11
    assert profile.course is None or 1 <= profile.course <= 6
    for text in (profile.institution, profile.specialty, profile.interests):
        assert text is None or (2 <= len(text) <= 300 and sum(ch.isalpha() for ch in text) >= 2)
    assert profile.contact_time is None or profile.contact_time in ContactTime._value2member_map_


@pytest.mark.parametrize(("name", "role", "path", "flow", "step", "data"), STEPS, ids=[s[0] for s in STEPS])
async def test_random_input_at_every_waiting_step(
    engine, records, database, clock, caplog, name, role, path, flow, step, data
):
    from dialogs.ui import Incoming

    caplog.set_level(logging.ERROR)
    account = f"fuzz-{name}"
    person_id = await _person_at(records, account, role, path)
    key = Incoming.key_of("test", account)
    store = database.conversations
    today = clock.now().date()
    for index, text in enumerate(inputs(seed=zlib.crc32(name.encode()), count=PER_STEP)):
        if (index % 50 == 0) and role is not None:
            person_id = await _person_at(
                records, account, role, path
            )  # a command may have erased nothing, but reset
        waiting = ConversationState(flow=flow, step=step, data=dict(data))
        stored = await store.load(key)
        await store.save(key, waiting.to_blob(), stored.version if stored else 0)
        outcome = await engine.handle(Incoming.message("test", account, text))
        assert outcome.replies, f"no answer to {text!r} at {name}"
        assert all(reply.text.strip() for reply in outcome.replies)
        _assert_valid(await records.get_profile(person_id), today)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
