"""«Профтуры и профпробы» over SQLite and PostgreSQL: catalogue, sign-ups, capacity races, operators."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest

from backend_client.broadcasts import CLI, Actor, NotOperator
from backend_client.errors import ConsentRequired
from backend_client.events import (
    BadEvent,
    EventAudience,
    EventClosed,
    EventDraft,
    EventKind,
    EventNotFound,
    EventStatus,
    ImportResult,
    SignupOutcome,
    SignupStatus,
)
from backend_client.models import AgeBand, Role

SAMARA, TOGLIATTI = "36401", "36440"


async def someone(
    records, account: str, role: Role = Role.PUPIL, band=AgeBand.MINOR, *, consent=True, **profile
):
    person = await records.identify("test", account, account)
    await records.choose_role(person.id, role, band)
    if consent:
        await records.give_own_consent(person.id, version="v1", channel="test")
        if profile:
            await records.save_profile(person.id, profile)
    return person.id


def draft(
    clock, *, days: int = 3, capacity: int = 10, place: str = SAMARA, ext: str | None = None, **audience
):
    start = clock.now() + timedelta(days=days)
    return EventDraft(
        kind=EventKind.EXCURSION,
        title=f"Профтур {ext or days}",
        organisation="АО «Завод»",
        municipality=place,
        address="ул. Заводская, 1",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=capacity,
        audience=EventAudience(**audience),
        external_id=ext,
    )


async def test_upcoming_lists_the_home_municipality_first_and_only_what_fits(records, clock):
    pupil = await someone(records, "p", municipality=TOGLIATTI, grade=9)
    later_home = await records.create_event(CLI, draft(clock, days=5, place=TOGLIATTI))
    sooner_away = await records.create_event(CLI, draft(clock, days=2))
    await records.create_event(CLI, draft(clock, days=1, roles=(Role.GRADUATE,)))
    await records.create_event(CLI, draft(clock, days=1, grade_from=10, grade_to=11))
    await records.create_event(CLI, draft(clock, days=1, min_age_band=AgeBand.ADULT))
    cancelled = await records.create_event(CLI, draft(clock, days=1))
    await records.cancel_event(CLI, cancelled.id)
    tomorrow = await records.create_event(CLI, draft(clock, days=1))
    found = [e.id for e in await records.upcoming_events(pupil)]
    assert found == [later_home.id, tomorrow.id, sooner_away.id]
    clock.advance(timedelta(days=1, hours=1))  # the one-day events have started
    assert [e.id for e in await records.upcoming_events(pupil)] == [later_home.id, sooner_away.id]
    assert [e.id for e in await records.upcoming_events(pupil, municipality=SAMARA)] == [sooner_away.id]
    assert [e.id for e in await records.upcoming_events(pupil, limit=1, offset=1)] == [sooner_away.id]
    until = clock.now() + timedelta(days=2)
    assert [e.id for e in await records.upcoming_events(pupil, until=until)] == [sooner_away.id]


async def test_sign_up_is_idempotent_and_counts_places(records, clock):
    pupil = await someone(records, "p")
    event = await records.create_event(CLI, draft(clock, capacity=2))
    assert await records.sign_up(pupil, event.id) is SignupOutcome.SIGNED_UP
    assert await records.sign_up(pupil, event.id) is SignupOutcome.ALREADY
    fetched = await records.event(event.id)
    assert (fetched.taken, fetched.places_left) == (1, 1)
    [signup] = await records.signups_of(pupil)
    assert (signup.event.id, signup.status) == (event.id, SignupStatus.ACTIVE)
    assert await records.cancel_signup(pupil, event.id)
    assert not await records.cancel_signup(pupil, event.id)
    assert await records.signups_of(pupil) == []
    assert [s.status for s in await records.signups_of(pupil, active_only=False)] == [SignupStatus.CANCELLED]
    assert (await records.event(event.id)).taken == 0
    assert await records.sign_up(pupil, event.id) is SignupOutcome.SIGNED_UP  # again after cancelling
    actions = [entry.action for entry in await records.audit_log()]
    assert actions.count("event.signup") == 2
    assert actions.count("event.signup_cancel") == 1


async def test_sign_up_refusals(records, clock):
    pupil = await someone(records, "p", grade=8)
    no_consent = await someone(records, "n", consent=False)
    with pytest.raises(ConsentRequired):
        await records.sign_up(no_consent, (await records.create_event(CLI, draft(clock))).id)
    with pytest.raises(EventNotFound):
        await records.sign_up(pupil, 987_654)
    for_seniors = await records.create_event(CLI, draft(clock, grade_from=10))
    assert await records.sign_up(pupil, for_seniors.id) is SignupOutcome.NOT_FOR_YOU
    cancelled = await records.create_event(CLI, draft(clock))
    await records.cancel_event(CLI, cancelled.id)
    assert await records.sign_up(pupil, cancelled.id) is SignupOutcome.CLOSED
    soon = await records.create_event(CLI, draft(clock, days=1))
    clock.advance(timedelta(days=1, minutes=1))
    assert await records.sign_up(pupil, soon.id) is SignupOutcome.CLOSED
    full = await records.create_event(CLI, draft(clock, capacity=1))
    assert await records.sign_up(await someone(records, "q"), full.id) is SignupOutcome.SIGNED_UP
    assert await records.sign_up(pupil, full.id) is SignupOutcome.FULL
    assert full.id not in [e.id for e in await records.upcoming_events(pupil)]


async def test_two_people_racing_for_the_last_place_one_gets_it(records, clock):
    event = await records.create_event(CLI, draft(clock, capacity=1))
    racers = [await someone(records, f"r{i}") for i in range(6)]
    outcomes = await asyncio.gather(*(records.sign_up(person, event.id) for person in racers))
    assert sorted(outcomes).count(SignupOutcome.SIGNED_UP) == 1
    assert set(outcomes) == {SignupOutcome.SIGNED_UP, SignupOutcome.FULL}
    assert (await records.event(event.id)).taken == 1


async def test_the_same_person_twice_at_once_is_one_sign_up(records, clock):
    event = await records.create_event(CLI, draft(clock, capacity=5))
    pupil = await someone(records, "p")
    outcomes = await asyncio.gather(*(records.sign_up(pupil, event.id) for _ in range(4)))
    assert sorted(outcomes).count(SignupOutcome.SIGNED_UP) == 1
    assert (await records.event(event.id)).taken == 1


async def test_move_and_cancel_bump_the_version(records, clock):
    event = await records.create_event(CLI, draft(clock))
    assert (event.version, event.status) == (1, EventStatus.SCHEDULED)
    later = event.starts_at + timedelta(days=1)
    moved = await records.move_event(CLI, event.id, later, address="пр. Ленина, 5")
    assert (moved.version, moved.starts_at, moved.ends_at, moved.address) == (
        2,
        later,
        later + timedelta(hours=2),
        "пр. Ленина, 5",
    )
    with pytest.raises(BadEvent):
        await records.move_event(CLI, event.id, clock.now() - timedelta(hours=1))
    cancelled = await records.cancel_event(CLI, event.id)
    assert (cancelled.version, cancelled.status, cancelled.cancelled_at) == (
        3,
        EventStatus.CANCELLED,
        clock.now(),
    )
    with pytest.raises(EventClosed):
        await records.cancel_event(CLI, event.id)
    with pytest.raises(EventClosed):
        await records.move_event(CLI, event.id, later)
    with pytest.raises(EventNotFound):
        await records.cancel_event(CLI, 987_654)


async def test_operator_calls_check_the_role_and_audit_ids_only(database, clock):
    records = database.records
    stranger = Actor("test", "nobody")
    calls = [
        records.list_events(stranger),
        records.create_event(stranger, draft(clock)),
        records.move_event(stranger, 1, clock.now() + timedelta(days=9)),
        records.cancel_event(stranger, 1),
        records.import_events(stranger, [draft(clock, ext="x")]),
    ]
    for call in calls:
        with pytest.raises(NotOperator):
            await call
    await someone(records, "op", Role.GRADUATE, AgeBand.ADULT)
    await database.broadcasts.grant_operator("test", "op", by="test")
    created = await records.create_event(Actor("test", "op"), draft(clock))
    assert [e.id for e in await records.list_events(Actor("test", "op"))] == [created.id]
    entry = (await records.audit_log())[-1]
    assert (entry.action, entry.details) == ("event.create", {"event": str(created.id), "via": "test"})
    assert "Профтур" not in json.dumps(entry.details, ensure_ascii=False)


async def test_bad_drafts_are_refused(records, clock):
    good = draft(clock)
    for bad in (
        EventDraft(**{**_fields(good), "title": " "}),
        EventDraft(**{**_fields(good), "municipality": "99999"}),
        EventDraft(**{**_fields(good), "ends_at": good.starts_at}),
        EventDraft(**{**_fields(good), "capacity": 0}),
    ):
        with pytest.raises(BadEvent):
            await records.create_event(CLI, bad)
    with pytest.raises(BadEvent):
        await records.import_events(CLI, [good])  # no external id
    assert await records.list_events(CLI) == []


def _fields(value: EventDraft) -> dict[str, object]:
    return {name: getattr(value, name) for name in EventDraft.__dataclass_fields__}


async def test_import_is_idempotent_by_external_id(records, clock):
    catalogue = [draft(clock, ext="a"), draft(clock, days=4, ext="b")]
    assert await records.import_events(CLI, catalogue) == ImportResult(created=2)
    assert await records.import_events(CLI, catalogue) == ImportResult(unchanged=2)
    first, second = await records.list_events(CLI)
    renamed = EventDraft(**{**_fields(catalogue[0]), "title": "Новое название"})
    moved = EventDraft(**{**_fields(catalogue[1]), "starts_at": catalogue[1].starts_at + timedelta(hours=1)})
    assert await records.import_events(CLI, [renamed, moved]) == ImportResult(updated=2)
    after = {e.external_id: e for e in await records.list_events(CLI)}
    assert (after["a"].title, after["a"].version) == ("Новое название", 1)  # a title does not move it
    assert after["b"].version == 2
    await records.cancel_event(CLI, first.id)
    assert await records.import_events(CLI, [renamed]) == ImportResult(skipped=1)
    assert second.id == after["b"].id


async def test_sign_ups_are_exported_and_erased_with_the_person(records, clock):
    pupil = await someone(records, "p", display_name="Аня")
    event = await records.create_event(CLI, draft(clock))
    await records.sign_up(pupil, event.id)
    [signup] = (await records.export(pupil))["event_signups"]
    assert (signup["event_id"], signup["title"], signup["status"]) == (event.id, event.title, "active")
    assert signup["signed_up_at"] == clock.now().isoformat()
    await records.erase(pupil, reason="delete")
    assert await records.signups_of(pupil, active_only=False) == []
    assert (await records.event(event.id)).taken == 0


async def test_reminder_targets_carry_parents_and_skip_cancelled_sign_ups(records, clock):
    from backend_client.models import InvitePurpose

    pupil = await someone(records, "p", display_name="Аня")
    parent = await someone(records, "mum", Role.PARENT, AgeBand.ADULT)
    invite = await records.create_invite(pupil, InvitePurpose.LINK, timedelta(days=7))
    await records.answer_invite(invite.code, parent, accept=True, version="v1", channel="test")
    quitter = await someone(records, "q")
    soon = await records.create_event(CLI, draft(clock, days=1))
    far = await records.create_event(CLI, draft(clock, days=9))
    gone = await records.create_event(CLI, draft(clock, days=20))
    for event in (soon, far, gone):
        await records.sign_up(pupil, event.id)
        await records.sign_up(quitter, event.id)
    await records.cancel_signup(quitter, soon.id)
    await records.cancel_event(CLI, gone.id)
    targets = await records.reminder_targets(
        starting_before=clock.now() + timedelta(days=3), cancelled_since=clock.now() - timedelta(days=1)
    )
    found = {(t.event.id, t.person_id, t.guardian_ids, t.display_name) for t in targets}
    assert found == {
        (soon.id, pupil, (parent,), "Аня"),
        (gone.id, pupil, (parent,), "Аня"),
        (gone.id, quitter, (), None),
    }
