"""The records ports over SQLite and PostgreSQL: every use case, its refusals, idempotency and races."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from backend_client.errors import (
    ConsentRequired,
    GuardianRequired,
    InviteExpired,
    InviteNotFound,
    InviteUsed,
    NotAGuardian,
    OwnInvite,
    PersonGone,
    WrongAgeBand,
)
from backend_client.models import (
    AgeBand,
    ConsentKind,
    ConsentStatus,
    GivenBy,
    InviteOutcome,
    InvitePurpose,
    Profile,
    Role,
)
from backend_client.sql.personal_data import EXPORT_SECTIONS
from backend_client.sql.schema import metadata

WEEK = timedelta(days=7)
GONE = 987_654


async def adult(records, account: str, role: Role = Role.GRADUATE):
    person = await records.identify("test", account, account)
    await records.choose_role(person.id, role, AgeBand.ADULT)
    return await records.give_own_consent(person.id, version="v1", channel="test")


async def teen(records, account: str):
    person = await records.identify("test", account, account)
    await records.choose_role(person.id, Role.PUPIL, AgeBand.MINOR)
    return await records.give_own_consent(person.id, version="v1", channel="test")


async def child(records, account: str):
    person = await records.identify("test", account, account)
    await records.choose_role(person.id, Role.PUPIL, AgeBand.CHILD)
    return await records.await_guardian(person.id)


async def answer(records, code: str, guardian_id: int, *, accept: bool = True):
    return await records.answer_invite(code, guardian_id, accept=accept, version="v1", channel="test")


async def actions(records) -> list[str]:
    return [entry.action for entry in await records.audit_log()]


@pytest.fixture(params=["sqlite", "aiosqlite", "postgres"])
async def racing_records(request, open_store):
    """Records on every backend including aiosqlite, where coroutines really interleave on SQLite."""
    return (await open_store(request.param)).records


# -- accounts and onboarding -------------------------------------------------------------------------
async def test_identify_creates_once_and_keeps_no_personal_data(records, clock):
    first = await records.identify("telegram", "42", "42")
    again = await records.identify("telegram", "42", "42")
    assert first == again
    assert (first.role, first.age_band, first.consent) == (None, None, ConsentStatus.NONE)
    assert first.created_at == clock.now()
    assert (await records.get_profile(first.id)).is_empty
    other_channel = await records.identify("vk", "42", "42")
    assert other_channel.id != first.id


async def test_identify_follows_a_changed_chat(records):
    person = await records.identify("telegram", "42", "100")
    assert (await records.identify("telegram", "42", "200")).id == person.id
    [account] = await records.accounts_of(person.id)
    assert (account.channel, account.external_id, account.chat_id) == ("telegram", "42", "200")


async def test_concurrent_first_contact_makes_one_person(racing_records):
    records = racing_records
    people = await asyncio.gather(*(records.identify("telegram", "7", "7") for _ in range(8)))
    assert len({p.id for p in people}) == 1
    assert len(await records.accounts_of(people[0].id)) == 1


async def test_blocked_flag_is_recorded_and_cleared(records, clock):
    person = await records.identify("telegram", "9", "9")
    await records.set_blocked("telegram", "9", True)
    assert (await records.accounts_of(person.id))[0].blocked_at == clock.now()
    await records.set_blocked("telegram", "9", False)
    assert (await records.accounts_of(person.id))[0].blocked_at is None
    await records.set_blocked("telegram", "unknown", True)  # no-op


async def test_choose_role_is_stored_and_audited(records):
    person = await records.identify("test", "r", "r")
    chosen = await records.choose_role(person.id, Role.COLLEGE_STUDENT, AgeBand.MINOR)
    assert (chosen.role, chosen.age_band, chosen.consent) == (
        Role.COLLEGE_STUDENT,
        AgeBand.MINOR,
        ConsentStatus.NONE,
    )
    assert (await records.identify("test", "r", "r")) == chosen
    [entry] = await records.audit_log()
    assert (entry.action, entry.actor_id, entry.subject_id) == ("role_chosen", person.id, person.id)
    assert entry.details == {"role": "college_student", "age_band": "14_17"}


async def test_times_come_back_aware_and_in_utc(records, clock):
    samara = timezone(timedelta(hours=4))
    clock.set(datetime(2026, 9, 1, 13, 0, tzinfo=samara))
    person = await records.identify("test", "t", "t")
    assert person.created_at == datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    [account] = await records.accounts_of(person.id)
    assert account.created_at.tzinfo is UTC
    await records.choose_role(person.id, Role.PUPIL, AgeBand.MINOR)
    [entry] = await records.audit_log()
    assert (entry.at, entry.at.tzinfo) == (clock.now(), UTC)


@pytest.mark.parametrize(
    "use_case",
    [
        lambda r: r.choose_role(GONE, Role.PUPIL, AgeBand.MINOR),
        lambda r: r.give_own_consent(GONE, version="v1", channel="test"),
        lambda r: r.decline(GONE),
        lambda r: r.await_guardian(GONE),
        lambda r: r.create_invite(GONE, InvitePurpose.LINK, WEEK),
        lambda r: r.save_profile(GONE, {"display_name": "x"}),
        lambda r: r.export(GONE),
    ],
    ids=[
        "choose_role",
        "give_own_consent",
        "decline",
        "await_guardian",
        "create_invite",
        "save_profile",
        "export",
    ],
)
async def test_changing_an_unknown_person_says_they_are_gone(records, use_case):
    with pytest.raises(PersonGone):
        await use_case(records)


async def test_reading_an_unknown_person_finds_nothing(records):
    assert await records.accounts_of(GONE) == []
    assert await records.consents_of(GONE) == []
    assert await records.get_profile(GONE) == Profile(GONE)
    assert await records.children_of(GONE) == []
    assert await records.guardians_of(GONE) == []
    assert not await records.unlink(GONE, GONE + 1, actor_id=GONE)
    await records.erase(GONE, reason="delete")  # no-op
    assert await records.counters() == {}


# -- consent -----------------------------------------------------------------------------------------
async def test_own_consent_is_idempotent_and_refused_for_children(records):
    person = await adult(records, "a")
    again = await records.give_own_consent(person.id, version="v1", channel="test")
    assert again.consent is ConsentStatus.GRANTED
    [consent] = await records.consents_of(person.id)
    assert (consent.kind, consent.given_by, consent.version) == (ConsentKind.PROCESSING, GivenBy.SELF, "v1")
    assert (consent.channel, consent.guardian_id) == ("test", None)
    assert (await actions(records)).count("consent_given") == 1
    kid = await child(records, "k")
    with pytest.raises(GuardianRequired):
        await records.give_own_consent(kid.id, version="v1", channel="test")
    newcomer = await records.identify("test", "n", "n")
    with pytest.raises(ConsentRequired):
        await records.give_own_consent(newcomer.id, version="v1", channel="test")


async def test_consents_come_oldest_first(records, clock):
    person = await adult(records, "a")
    clock.advance(timedelta(days=30))
    await records.give_own_consent(person.id, version="v2", channel="vk")
    assert [c.version for c in await records.consents_of(person.id)] == ["v1", "v2"]


async def test_concurrent_consent_is_recorded_once(racing_records):
    records = racing_records
    person = await records.identify("test", "c", "c")
    await records.choose_role(person.id, Role.GRADUATE, AgeBand.ADULT)
    await asyncio.gather(
        *(records.give_own_consent(person.id, version="v1", channel="test") for _ in range(4))
    )
    assert len(await records.consents_of(person.id)) == 1


async def test_decline_removes_anything_personal_but_keeps_the_role(records):
    parent = await adult(records, "mum", Role.PARENT)
    person = await teen(records, "d")
    await records.save_profile(person.id, {"display_name": "Оля"})
    invite = await records.create_invite(person.id, InvitePurpose.LINK, WEEK)
    await answer(records, invite.code, parent.id)
    declined = await records.decline(person.id)
    assert (declined.consent, declined.role, declined.age_band) == (
        ConsentStatus.DECLINED,
        Role.PUPIL,
        AgeBand.MINOR,
    )
    assert (await records.get_profile(person.id)).is_empty
    assert await records.consents_of(person.id) == []
    assert await records.children_of(parent.id) == []
    assert (await actions(records))[-1] == "consent_declined"
    with pytest.raises(ConsentRequired):
        await records.save_profile(person.id, {"display_name": "Оля"})


async def test_await_guardian_is_for_children_only(records):
    kid = await child(records, "kid")
    assert kid.consent is ConsentStatus.AWAITING_GUARDIAN
    assert (await records.await_guardian(kid.id)).consent is ConsentStatus.AWAITING_GUARDIAN
    grown = await adult(records, "grown")
    with pytest.raises(WrongAgeBand):
        await records.await_guardian(grown.id)
    newcomer = await records.identify("test", "n", "n")
    with pytest.raises(WrongAgeBand):
        await records.await_guardian(newcomer.id)


async def test_await_guardian_never_withdraws_a_parents_consent(records):
    kid = await child(records, "kid")
    parent = await adult(records, "mum", Role.PARENT)
    invite = await records.create_invite(kid.id, InvitePurpose.CONSENT, WEEK)
    await answer(records, invite.code, parent.id)
    assert (await records.await_guardian(kid.id)).consent is ConsentStatus.GRANTED


# -- profiles ----------------------------------------------------------------------------------------
async def test_profile_needs_consent_and_rejects_unknown_fields(records, clock):
    person = await records.identify("test", "p", "p")
    with pytest.raises(ConsentRequired):
        await records.save_profile(person.id, {"display_name": "Аня"})
    await records.choose_role(person.id, Role.PUPIL, AgeBand.MINOR)
    await records.give_own_consent(person.id, version="v1", channel="test")
    with pytest.raises(ValueError, match="not profile fields"):
        await records.save_profile(person.id, {"password": "x"})
    await records.save_profile(person.id, {"display_name": "Аня", "grade": 9})
    clock.advance(timedelta(minutes=5))
    profile = await records.save_profile(person.id, {"grade": 10, "institution": None})
    assert (profile.display_name, profile.grade, profile.updated_at) == ("Аня", 10, clock.now())
    assert await records.get_profile(person.id) == profile


@pytest.mark.parametrize(
    "changes",
    [{"grade": "nine"}, {"grade": True}, {"display_name": 5}, {"display_name": "я" * 65}],
    ids=["text-for-number", "bool-for-number", "number-for-text", "too-long"],
)
async def test_profile_refuses_values_the_columns_cannot_hold(records, changes):
    person = await teen(records, "p")
    with pytest.raises(ValueError, match=r"must be|longer"):
        await records.save_profile(person.id, changes)
    assert (await records.get_profile(person.id)).is_empty


async def test_profile_audit_names_fields_never_values(records):
    person = await teen(records, "p")
    await records.save_profile(person.id, {"display_name": "Аня", "interests": "шахматы", "grade": 9})
    entry = (await records.audit_log())[-1]
    assert entry.action == "profile_updated"
    assert entry.details == {"fields": "display_name,grade,interests"}


async def test_concurrent_first_profile_saves_all_land(racing_records):
    records = racing_records
    person = await teen(records, "p")
    await asyncio.gather(
        records.save_profile(person.id, {"display_name": "Аня"}),
        records.save_profile(person.id, {"grade": 9}),
        records.save_profile(person.id, {"municipality": "36401"}),
    )
    profile = await records.get_profile(person.id)
    assert (profile.display_name, profile.grade, profile.municipality) == ("Аня", 9, "36401")


# -- guardians ---------------------------------------------------------------------------------------
async def test_guardian_consent_path(records, clock):
    kid = await child(records, "kid")
    parent = await adult(records, "mum", Role.PARENT)
    invite = await records.create_invite(kid.id, InvitePurpose.CONSENT, WEEK)
    assert len(invite.code) == 10
    assert set(invite.code) <= set("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    assert invite.expires_at == clock.now() + WEEK
    found = await records.find_invite(f" {invite.code[:5].lower()}-{invite.code[5:]} ")
    assert found == invite
    assert found.is_open(clock.now())
    with pytest.raises(OwnInvite):
        await answer(records, invite.code, kid.id)
    result = await answer(records, invite.code, parent.id)
    assert result.linked
    assert (result.invite.used_at, result.invite.outcome) == (clock.now(), InviteOutcome.ACCEPTED)
    assert (await records.identify("test", "kid", "kid")).consent is ConsentStatus.GRANTED
    [consent] = await records.consents_of(kid.id)
    assert (consent.kind, consent.given_by, consent.guardian_id) == (
        ConsentKind.PROCESSING,
        GivenBy.GUARDIAN,
        parent.id,
    )
    assert [c.person_id for c in await records.children_of(parent.id)] == [kid.id]
    assert await records.find_invite(invite.code) == result.invite  # used codes are still found
    # The same parent's same answer again (a double tap, a redelivery): the first answer, nothing added.
    assert await answer(records, invite.code, parent.id) == result
    assert len(await records.consents_of(kid.id)) == 1
    with pytest.raises(InviteUsed):  # a different answer is not taken any more
        await answer(records, invite.code, parent.id, accept=False)
    entry = (await records.audit_log())[-1]
    assert (entry.action, entry.actor_id, entry.subject_id) == ("guardian_consent_given", parent.id, kid.id)


async def test_invite_refusals(records, clock):
    kid = await child(records, "kid")
    parent = await adult(records, "dad", Role.PARENT)
    not_parent = await adult(records, "student", Role.UNIVERSITY_STUDENT)
    parent_without_consent = await records.identify("test", "p0", "p0")
    await records.choose_role(parent_without_consent.id, Role.PARENT, AgeBand.ADULT)
    assert await records.find_invite("AAAAAAAAAA") is None
    with pytest.raises(InviteNotFound):
        await answer(records, "AAAAAAAAAA", parent.id)
    old = await records.create_invite(kid.id, InvitePurpose.CONSENT, WEEK)
    new = await records.create_invite(kid.id, InvitePurpose.CONSENT, WEEK)
    assert not (await records.find_invite(old.code)).is_open(clock.now())
    with pytest.raises(InviteExpired):  # a newer code replaces the older one
        await answer(records, old.code, parent.id)
    with pytest.raises(NotAGuardian):
        await answer(records, new.code, not_parent.id)
    with pytest.raises(NotAGuardian):
        await answer(records, new.code, parent_without_consent.id)
    with pytest.raises(PersonGone):
        await answer(records, new.code, GONE)
    assert (await records.find_invite(new.code)).used_at is None  # refusals do not use the code up
    clock.advance(WEEK + timedelta(seconds=1))
    with pytest.raises(InviteExpired):
        await answer(records, new.code, parent.id)
    grown = await adult(records, "grown")
    with pytest.raises(ConsentRequired):
        await records.create_invite(kid.id, InvitePurpose.LINK, WEEK)
    with pytest.raises(ConsentRequired):
        await records.create_invite(grown.id, InvitePurpose.CONSENT, WEEK)


async def test_a_new_code_closes_only_older_codes_of_its_purpose(records, clock):
    person = await teen(records, "t")
    confirm = await records.create_invite(person.id, InvitePurpose.CONFIRM, WEEK)
    link = await records.create_invite(person.id, InvitePurpose.LINK, WEEK)
    assert (await records.find_invite(confirm.code)).is_open(clock.now())
    await records.create_invite(person.id, InvitePurpose.LINK, WEEK)
    assert not (await records.find_invite(link.code)).is_open(clock.now())
    assert (await records.find_invite(confirm.code)).is_open(clock.now())


async def test_declined_guardian_consent_marks_the_child_and_a_new_code_reopens(records):
    kid = await child(records, "kid")
    parent = await adult(records, "mum", Role.PARENT)
    invite = await records.create_invite(kid.id, InvitePurpose.CONSENT, WEEK)
    result = await answer(records, invite.code, parent.id, accept=False)
    assert not result.linked
    assert result.invite.outcome is InviteOutcome.DECLINED
    assert (await records.identify("test", "kid", "kid")).consent is ConsentStatus.DECLINED
    assert await records.children_of(parent.id) == []
    assert await records.consents_of(kid.id) == []
    assert (await actions(records))[-1] == "invite_declined"
    await records.create_invite(kid.id, InvitePurpose.CONSENT, WEEK)
    assert (await records.identify("test", "kid", "kid")).consent is ConsentStatus.AWAITING_GUARDIAN


async def test_declining_a_confirmation_changes_nothing(records):
    person = await teen(records, "teen")
    parent = await adult(records, "mum", Role.PARENT)
    invite = await records.create_invite(person.id, InvitePurpose.CONFIRM, WEEK)
    result = await answer(records, invite.code, parent.id, accept=False)
    assert not result.linked
    assert (await records.identify("test", "teen", "teen")).consent is ConsentStatus.GRANTED
    assert len(await records.consents_of(person.id)) == 1
    assert await records.guardians_of(person.id) == []


async def test_two_parents_racing_for_one_code_one_wins(racing_records):
    records = racing_records
    kid = await child(records, "kid")
    parents = [await adult(records, name, Role.PARENT) for name in ("mum", "dad", "gran")]
    invite = await records.create_invite(kid.id, InvitePurpose.CONSENT, WEEK)
    results = await asyncio.gather(
        *(answer(records, invite.code, p.id) for p in parents), return_exceptions=True
    )
    assert sum(1 for r in results if isinstance(r, InviteUsed)) == len(parents) - 1
    [won] = [r for r in results if not isinstance(r, Exception)]
    assert won.linked
    [guardian] = await records.guardians_of(kid.id)
    [consent] = await records.consents_of(kid.id)
    assert consent.guardian_id == guardian.person_id
    assert guardian.person_id in {p.id for p in parents}


async def test_confirm_and_link_invites_and_unlinking(records):
    person = await teen(records, "teen")
    parent = await adult(records, "mum", Role.PARENT)
    stranger = await adult(records, "x", Role.PARENT)
    confirm = await records.create_invite(person.id, InvitePurpose.CONFIRM, WEEK)
    await answer(records, confirm.code, parent.id)
    consents = await records.consents_of(person.id)
    assert [(c.kind, c.given_by) for c in consents] == [
        (ConsentKind.PROCESSING, GivenBy.SELF),
        (ConsentKind.GUARDIAN_CONFIRMATION, GivenBy.GUARDIAN),
    ]
    with pytest.raises(NotAGuardian):
        await records.unlink(parent.id, person.id, actor_id=stranger.id)
    assert await records.unlink(parent.id, person.id, actor_id=person.id)
    entry = (await records.audit_log())[-1]
    assert (entry.action, entry.actor_id, entry.subject_id) == ("guardian_unlinked", person.id, parent.id)
    assert not await records.unlink(parent.id, person.id, actor_id=person.id)
    link = await records.create_invite(person.id, InvitePurpose.LINK, WEEK)
    assert (await answer(records, link.code, parent.id)).linked
    # the parent's confirmation ended with the first link; linking again adds no consent
    assert [c.given_by for c in await records.consents_of(person.id)] == [GivenBy.SELF]
    again = await records.create_invite(person.id, InvitePurpose.LINK, WEEK)
    assert (await answer(records, again.code, parent.id)).linked  # already linked: still one link
    assert [g.person_id for g in await records.guardians_of(person.id)] == [parent.id]
    assert "guardian_linked" in await actions(records)


async def test_linked_people_show_the_names_they_gave(records, clock):
    first = await teen(records, "first")
    second = await teen(records, "second")
    parent = await adult(records, "mum", Role.PARENT)
    await records.save_profile(first.id, {"display_name": "Аня"})
    for kid in (first, second):
        clock.advance(timedelta(minutes=1))
        await answer(records, (await records.create_invite(kid.id, InvitePurpose.LINK, WEEK)).code, parent.id)
    children = await records.children_of(parent.id)
    assert [(c.person_id, c.display_name) for c in children] == [(first.id, "Аня"), (second.id, None)]
    assert children[0].linked_at < children[1].linked_at
    [guardian] = await records.guardians_of(first.id)
    assert (guardian.person_id, guardian.display_name) == (parent.id, None)


# -- personal data -----------------------------------------------------------------------------------
async def test_export_has_everything(records, clock):
    person = await teen(records, "teen")
    await records.save_profile(
        person.id, {"display_name": "Аня", "municipality": "36401", "interests": "шахматы"}
    )
    parent = await adult(records, "mum", Role.PARENT)
    await records.save_profile(parent.id, {"display_name": "Мама Ани"})
    invite = await records.create_invite(person.id, InvitePurpose.CONFIRM, WEEK)
    await answer(records, invite.code, parent.id)
    await records.set_blocked("test", "teen", True)

    data = await records.export(person.id)
    json.dumps(data)  # JSON-ready
    assert data["exported_at"] == clock.now().isoformat()
    assert data["person"] == {
        "id": person.id,
        "role": "pupil",
        "age_band": "14_17",
        "consent": "granted",
        "created_at": clock.now().isoformat(),
    }
    [account] = data["accounts"]
    assert (account["channel"], account["external_id"], account["chat_id"]) == ("test", "teen", "teen")
    assert account["blocked_at"] == clock.now().isoformat()
    assert [(c["kind"], c["given_by"], c["guardian_id"]) for c in data["consents"]] == [
        ("processing", "self", None),
        ("guardian_confirmation", "guardian", parent.id),
    ]
    profile = data["profile"]
    assert (profile["display_name"], profile["interests"]) == ("Аня", "шахматы")
    assert (profile["municipality"], profile["municipality_name"]) == ("36401", "г. о. Самара")
    assert [g["display_name"] for g in data["guardians"]] == ["Мама Ани"]
    assert data["children"] == []
    [issued] = data["invites"]
    assert (issued["code"], issued["purpose"], issued["outcome"]) == (invite.code, "confirm", "accepted")
    assert [c["display_name"] for c in (await records.export(parent.id))["children"]] == ["Аня"]
    entry = (await records.audit_log())[-1]
    assert (entry.action, entry.subject_id, entry.details) == ("data_exported", parent.id, {})


EXPORTED_KEYS = [
    "exported_at",
    "person",
    "accounts",
    "consents",
    "consents_given_for_children",
    "profile",
    "guardians",
    "children",
    "invites",
    "notifications",
    "career_tests",
    "career_shared_with_guardians",
    "event_signups",
    "vacancy_applications",
    "saved_vacancies",
    "vacancy_alerts",
    "graduate_survey",
    "centre_booking",
    "plan",
    "feedback",
]


async def test_the_export_holds_every_section_once_in_the_registrys_order(records):
    """Sections come from EXPORT_SECTIONS (backend_client/sql/personal_data.py), one line per feature;
    the keys already in people's files keep their names and order."""
    person = await adult(records, "a")
    assert list(await records.export(person.id)) == EXPORTED_KEYS
    assert [section.key for section in EXPORT_SECTIONS] == EXPORTED_KEYS[2:]


# A reference to people that is not the row's owner: the row belongs to someone else and outlives them.
# A centre's seat belongs to its slot: erasing the person who held it frees it (the booking is gone).
NOT_THE_OWNER = {("consents", "guardian_id"), ("guardian_invites", "used_by"), ("centre_seats", "person_id")}


def test_erasure_reaches_every_table_that_holds_a_person():
    """Erase deletes the ``people`` row and nothing else: every table referencing people must cascade
    from its owner (backend_client/sql/export.py), or a feature's rows would outlive the person."""
    holders = set()
    for table in metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name != "people":
                continue
            holders.add(table.name)
            reference = (table.name, key.parent.name)
            expected = "SET NULL" if reference in NOT_THE_OWNER else "CASCADE"
            assert key.ondelete == expected, f"{table.name}.{key.parent.name}: ON DELETE {key.ondelete}"
    assert {"channel_accounts", "profiles", "career_attempts", "event_signups", "outbox"} <= holders


async def test_erase_leaves_only_counters_and_an_audit_line(records):
    person = await teen(records, "teen")
    await records.save_profile(
        person.id, {"display_name": "Аня", "municipality": "36401", "interests": "шахматы"}
    )
    parent = await adult(records, "mum", Role.PARENT)
    await records.save_profile(parent.id, {"display_name": "Мама Ани"})
    invite = await records.create_invite(person.id, InvitePurpose.CONFIRM, WEEK)
    await answer(records, invite.code, parent.id)
    await records.create_invite(person.id, InvitePurpose.LINK, WEEK)

    await records.erase(person.id, reason="delete")
    await records.erase(person.id, reason="delete")  # idempotent
    assert await records.accounts_of(person.id) == []
    assert await records.children_of(parent.id) == []
    assert (await records.get_profile(person.id)).is_empty
    assert await records.consents_of(person.id) == []
    assert await records.find_invite(invite.code) is None
    with pytest.raises(PersonGone):
        await records.save_profile(person.id, {"display_name": "x"})
    assert await records.counters() == {"people_erased": 1, "people_erased:pupil": 1}
    log = await records.audit_log()
    assert (log[-1].action, log[-1].subject_id, log[-1].details) == (
        "data_erased",
        person.id,
        {"reason": "delete"},
    )
    everything = json.dumps([(e.action, e.details) for e in log], ensure_ascii=False)
    for secret in ("Аня", "шахматы", "Мама", "36401", "teen"):
        assert secret not in everything
    fresh = await records.identify("test", "teen", "teen")
    assert fresh.id != person.id
    assert fresh.consent is ConsentStatus.NONE
    await records.erase(fresh.id, reason="delete")
    assert await records.counters() == {
        "people_erased": 2,
        "people_erased:pupil": 1,
        "people_erased:unknown": 1,
    }


async def test_guardian_erasing_ends_the_childs_consent(records):
    kid = await child(records, "kid")
    parent = await adult(records, "mum", Role.PARENT)
    invite = await records.create_invite(kid.id, InvitePurpose.CONSENT, WEEK)
    await answer(records, invite.code, parent.id)
    await records.erase(parent.id, reason="delete")
    # The consent went with its giver: the child waits for a parent again, with nothing kept meanwhile.
    assert await records.consents_of(kid.id) == []
    assert (await records.identify("test", "kid", "kid")).consent is ConsentStatus.AWAITING_GUARDIAN
    assert (await records.find_invite(invite.code)).outcome is InviteOutcome.ACCEPTED
    assert await records.counters() == {"people_erased": 1, "people_erased:parent": 1}


async def test_concurrent_erasures_count_once(racing_records):
    records = racing_records
    person = await adult(records, "a")
    await asyncio.gather(*(records.erase(person.id, reason="delete") for _ in range(4)))
    assert await records.counters() == {"people_erased": 1, "people_erased:graduate": 1}
    assert (await actions(records)).count("data_erased") == 1


async def test_audit_log_is_newest_last_and_limited(records):
    for index in range(5):
        await records.choose_role(
            (await records.identify("test", str(index), "c")).id, Role.PUPIL, AgeBand.MINOR
        )
    log = await records.audit_log(limit=3)
    assert [e.id for e in log] == sorted(e.id for e in log)
    assert len(log) == 3
    assert log[-1].id == (await records.audit_log())[-1].id
