"""The records ports over SQLite and PostgreSQL: every use case, its refusals, idempotency and races."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

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
)
from backend_client.models import AgeBand, ConsentKind, ConsentStatus, GivenBy, InvitePurpose, Role

WEEK = timedelta(days=7)


async def adult(records, account: str, role: Role = Role.GRADUATE):
    person = await records.identify("test", account, account)
    await records.choose_role(person.id, role, AgeBand.ADULT)
    return await records.give_own_consent(person.id, version="v1", channel="test")


async def child(records, account: str):
    person = await records.identify("test", account, account)
    await records.choose_role(person.id, Role.PUPIL, AgeBand.CHILD)
    return await records.await_guardian(person.id)


async def test_identify_creates_once_and_keeps_no_personal_data(records):
    first = await records.identify("telegram", "42", "42")
    again = await records.identify("telegram", "42", "42")
    assert first.id == again.id
    assert (first.role, first.age_band, first.consent) == (None, None, ConsentStatus.NONE)
    assert (await records.get_profile(first.id)).is_empty


async def test_concurrent_first_contact_makes_one_person(records):
    people = await asyncio.gather(*(records.identify("telegram", "7", "7") for _ in range(5)))
    assert len({p.id for p in people}) == 1
    assert len(await records.accounts_of(people[0].id)) == 1


async def test_blocked_flag_is_recorded_and_cleared(records, clock):
    person = await records.identify("telegram", "9", "9")
    await records.set_blocked("telegram", "9", True)
    assert (await records.accounts_of(person.id))[0].blocked_at == clock.now()
    await records.set_blocked("telegram", "9", False)
    assert (await records.accounts_of(person.id))[0].blocked_at is None
    await records.set_blocked("telegram", "unknown", True)  # no-op


async def test_own_consent_is_idempotent_and_refused_for_children(records):
    person = await adult(records, "a")
    await records.give_own_consent(person.id, version="v1", channel="test")
    [consent] = await records.consents_of(person.id)
    assert (consent.kind, consent.given_by, consent.version) == (ConsentKind.PROCESSING, GivenBy.SELF, "v1")
    kid = await child(records, "k")
    with pytest.raises(GuardianRequired):
        await records.give_own_consent(kid.id, version="v1", channel="test")
    newcomer = await records.identify("test", "n", "n")
    with pytest.raises(ConsentRequired):
        await records.give_own_consent(newcomer.id, version="v1", channel="test")


async def test_profile_needs_consent_and_rejects_unknown_fields(records):
    person = await records.identify("test", "p", "p")
    with pytest.raises(ConsentRequired):
        await records.save_profile(person.id, {"display_name": "Аня"})
    await records.choose_role(person.id, Role.PUPIL, AgeBand.MINOR)
    await records.give_own_consent(person.id, version="v1", channel="test")
    with pytest.raises(ValueError, match="not profile fields"):
        await records.save_profile(person.id, {"password": "x"})
    await records.save_profile(person.id, {"display_name": "Аня", "grade": 9})
    profile = await records.save_profile(person.id, {"grade": 10})
    assert (profile.display_name, profile.grade) == ("Аня", 10)


async def test_decline_removes_anything_personal(records):
    person = await adult(records, "d")
    await records.save_profile(person.id, {"display_name": "Оля"})
    declined = await records.decline(person.id)
    assert declined.consent is ConsentStatus.DECLINED
    assert (await records.get_profile(person.id)).is_empty
    assert await records.consents_of(person.id) == []


async def test_guardian_consent_path(records, clock):
    kid = await child(records, "kid")
    parent = await adult(records, "mum", Role.PARENT)
    invite = await records.create_invite(kid.id, InvitePurpose.CONSENT, WEEK)
    assert len(invite.code) == 10
    found = await records.find_invite(f" {invite.code[:5].lower()}-{invite.code[5:]} ")
    assert found is not None
    assert found.is_open(clock.now())
    with pytest.raises(OwnInvite):
        await records.answer_invite(invite.code, kid.id, accept=True, version="v1", channel="test")
    answer = await records.answer_invite(invite.code, parent.id, accept=True, version="v1", channel="test")
    assert answer.linked
    assert (await records.identify("test", "kid", "kid")).consent is ConsentStatus.GRANTED
    [consent] = await records.consents_of(kid.id)
    assert (consent.given_by, consent.guardian_id) == (GivenBy.GUARDIAN, parent.id)
    assert [c.person_id for c in await records.children_of(parent.id)] == [kid.id]
    with pytest.raises(InviteUsed):
        await records.answer_invite(invite.code, parent.id, accept=True, version="v1", channel="test")


async def test_invite_refusals(records, clock):
    kid = await child(records, "kid")
    parent = await adult(records, "dad", Role.PARENT)
    not_parent = await adult(records, "student", Role.UNIVERSITY_STUDENT)
    with pytest.raises(InviteNotFound):
        await records.answer_invite("AAAAAAAAAA", parent.id, accept=True, version="v1", channel="test")
    old = await records.create_invite(kid.id, InvitePurpose.CONSENT, WEEK)
    new = await records.create_invite(kid.id, InvitePurpose.CONSENT, WEEK)
    with pytest.raises(InviteExpired):  # a newer code replaces the older one
        await records.answer_invite(old.code, parent.id, accept=True, version="v1", channel="test")
    with pytest.raises(NotAGuardian):
        await records.answer_invite(new.code, not_parent.id, accept=True, version="v1", channel="test")
    clock.advance(WEEK + timedelta(seconds=1))
    with pytest.raises(InviteExpired):
        await records.answer_invite(new.code, parent.id, accept=True, version="v1", channel="test")
    adult_person = await adult(records, "grown")
    with pytest.raises(ConsentRequired):
        await records.create_invite(kid.id, InvitePurpose.LINK, WEEK)
    with pytest.raises(ConsentRequired):
        await records.create_invite(adult_person.id, InvitePurpose.CONSENT, WEEK)


async def test_declined_guardian_consent_marks_the_child(records):
    kid = await child(records, "kid")
    parent = await adult(records, "mum", Role.PARENT)
    invite = await records.create_invite(kid.id, InvitePurpose.CONSENT, WEEK)
    answer = await records.answer_invite(invite.code, parent.id, accept=False, version="v1", channel="test")
    assert not answer.linked
    assert (await records.identify("test", "kid", "kid")).consent is ConsentStatus.DECLINED
    assert await records.children_of(parent.id) == []


async def test_two_parents_racing_for_one_code_one_wins(records):
    kid = await child(records, "kid")
    mum = await adult(records, "mum", Role.PARENT)
    dad = await adult(records, "dad", Role.PARENT)
    invite = await records.create_invite(kid.id, InvitePurpose.CONSENT, WEEK)
    results = await asyncio.gather(
        *(
            records.answer_invite(invite.code, p.id, accept=True, version="v1", channel="test")
            for p in (mum, dad)
        ),
        return_exceptions=True,
    )
    assert sum(1 for r in results if isinstance(r, InviteUsed)) == 1
    assert len(await records.guardians_of(kid.id)) == 1


async def test_confirm_and_link_invites_and_unlinking(records):
    teen_person = await records.identify("test", "teen", "teen")
    await records.choose_role(teen_person.id, Role.PUPIL, AgeBand.MINOR)
    teen = await records.give_own_consent(teen_person.id, version="v1", channel="test")
    parent = await adult(records, "mum", Role.PARENT)
    stranger = await adult(records, "x", Role.PARENT)
    confirm = await records.create_invite(teen.id, InvitePurpose.CONFIRM, WEEK)
    await records.answer_invite(confirm.code, parent.id, accept=True, version="v1", channel="test")
    kinds = [c.kind for c in await records.consents_of(teen.id)]
    assert kinds == [ConsentKind.PROCESSING, ConsentKind.GUARDIAN_CONFIRMATION]
    with pytest.raises(NotAGuardian):
        await records.unlink(parent.id, teen.id, actor_id=stranger.id)
    assert await records.unlink(parent.id, teen.id, actor_id=teen.id)
    assert not await records.unlink(parent.id, teen.id, actor_id=teen.id)
    link = await records.create_invite(teen.id, InvitePurpose.LINK, WEEK)
    await records.answer_invite(link.code, parent.id, accept=True, version="v1", channel="test")
    assert len(await records.consents_of(teen.id)) == 2  # linking adds no consent
    assert [g.person_id for g in await records.guardians_of(teen.id)] == [parent.id]


async def test_export_has_everything_and_erase_leaves_only_counters_and_audit(records):
    teen_person = await records.identify("test", "teen", "teen")
    await records.choose_role(teen_person.id, Role.PUPIL, AgeBand.MINOR)
    teen = await records.give_own_consent(teen_person.id, version="v1", channel="test")
    await records.save_profile(
        teen.id, {"display_name": "Аня", "municipality": "36401", "interests": "шахматы"}
    )
    parent = await adult(records, "mum", Role.PARENT)
    await records.save_profile(parent.id, {"display_name": "Мама Ани"})
    invite = await records.create_invite(teen.id, InvitePurpose.CONFIRM, WEEK)
    await records.answer_invite(invite.code, parent.id, accept=True, version="v1", channel="test")

    data = await records.export(teen.id)
    assert data["profile"]["display_name"] == "Аня"
    assert data["profile"]["municipality_name"] == "г. о. Самара"
    assert [g["display_name"] for g in data["guardians"]] == ["Мама Ани"]
    assert {c["kind"] for c in data["consents"]} == {"processing", "guardian_confirmation"}
    assert data["accounts"][0]["channel"] == "test"
    json.dumps(data)  # JSON-ready

    await records.erase(teen.id, reason="delete")
    await records.erase(teen.id, reason="delete")  # idempotent
    assert await records.children_of(parent.id) == []
    assert (await records.get_profile(teen.id)).is_empty
    assert await records.consents_of(teen.id) == []
    with pytest.raises(PersonGone):
        await records.save_profile(teen.id, {"display_name": "x"})
    assert (await records.counters()) == {"people_erased": 1, "people_erased:pupil": 1}
    log = await records.audit_log()
    assert log[-1].action == "data_erased"
    assert log[-1].subject_id == teen.id
    everything = json.dumps([(e.action, e.details) for e in log], ensure_ascii=False)
    for secret in ("Аня", "шахматы", "Мама"):
        assert secret not in everything
    fresh = await records.identify("test", "teen", "teen")
    assert fresh.id != teen.id
    assert fresh.consent is ConsentStatus.NONE


async def test_guardian_erasing_keeps_the_childs_consent(records):
    kid = await child(records, "kid")
    parent = await adult(records, "mum", Role.PARENT)
    invite = await records.create_invite(kid.id, InvitePurpose.CONSENT, WEEK)
    await records.answer_invite(invite.code, parent.id, accept=True, version="v1", channel="test")
    await records.erase(parent.id, reason="delete")
    [consent] = await records.consents_of(kid.id)
    assert consent.given_by is GivenBy.GUARDIAN
    assert consent.guardian_id is None
    assert (await records.identify("test", "kid", "kid")).consent is ConsentStatus.GRANTED
