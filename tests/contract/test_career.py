"""The career-test ports over SQLite and PostgreSQL: attempts, answers in order, results, sharing,
the in-demand list, aggregates without personal data, export and erasure."""

from __future__ import annotations

import pytest

from backend_client.errors import ConsentRequired
from backend_client.models import AgeBand, AttemptStatus, CareerOutcome, InvitePurpose, Role
from tests.contract.test_records import WEEK, adult, answer, child, teen

OUTCOME = CareerOutcome({"tech": 8, "signs": 4}, "ТЗ", "tech", "clear")


async def test_answers_are_kept_in_order_and_only_once(records):
    person = await adult(records, "a")
    attempt = await records.start_attempt(person.id, "klimov", "1")
    assert attempt.status is AttemptStatus.IN_PROGRESS
    assert (await records.record_answer(person.id, attempt.id, 0, "1")).answers == ("1",)
    assert await records.record_answer(person.id, attempt.id, 0, "2") is None  # item 0 again
    assert await records.record_answer(person.id, attempt.id, 5, "2") is None  # skipping ahead
    assert (await records.record_answer(person.id, attempt.id, 1, "2")).answers == ("1", "2")
    assert (await records.step_back(person.id, attempt.id)).answers == ("1",)
    assert (await records.open_attempt(person.id, "klimov")).answers == ("1",)
    other = await adult(records, "b")
    assert await records.record_answer(other.id, attempt.id, 1, "1") is None  # someone else's attempt
    assert await records.attempt(other.id, attempt.id) is None


async def test_complete_keeps_the_result_once(records):
    person = await adult(records, "a")
    attempt = await records.start_attempt(person.id, "klimov", "1")
    done = await records.complete_attempt(person.id, attempt.id, OUTCOME)
    assert done.status is AttemptStatus.COMPLETED
    assert done.scores == {"tech": 8, "signs": 4}
    assert (done.code, done.leading, done.verdict) == ("ТЗ", "tech", "clear")
    assert done.finished_at is not None
    assert await records.complete_attempt(person.id, attempt.id, OUTCOME) is None
    assert await records.record_answer(person.id, attempt.id, 0, "1") is None
    assert await records.open_attempt(person.id, "klimov") is None


async def test_a_new_start_abandons_the_unfinished_one(records):
    person = await adult(records, "a")
    first = await records.start_attempt(person.id, "klimov", "1")
    await records.record_answer(person.id, first.id, 0, "1")
    riasec = await records.start_attempt(person.id, "riasec", "1")
    second = await records.start_attempt(person.id, "klimov", "1")
    statuses = {a.id: a.status for a in await records.attempts_of(person.id)}
    assert statuses == {
        first.id: AttemptStatus.ABANDONED,
        riasec.id: AttemptStatus.IN_PROGRESS,
        second.id: AttemptStatus.IN_PROGRESS,
    }
    assert (await records.attempt(person.id, first.id)).answers == ()
    assert await records.abandon_attempt(person.id, second.id)
    assert not await records.abandon_attempt(person.id, second.id)


async def test_tests_need_consent(records):
    person = await records.identify("test", "x", "x")
    await records.choose_role(person.id, Role.PUPIL, AgeBand.MINOR)
    with pytest.raises(ConsentRequired):
        await records.start_attempt(person.id, "klimov", "1")
    with pytest.raises(ConsentRequired):
        await records.share_career(person.id, True)
    young = await child(records, "c")
    with pytest.raises(ConsentRequired):
        await records.start_attempt(young.id, "klimov", "1")


async def test_parents_see_the_latest_result_only_when_shared_and_never_the_answers(records):
    kid = await teen(records, "kid")
    mum = await adult(records, "mum", Role.PARENT)
    invite = await records.create_invite(kid.id, InvitePurpose.LINK, WEEK)
    await answer(records, invite.code, mum.id)
    first = await records.start_attempt(kid.id, "klimov", "1")
    await records.record_answer(kid.id, first.id, 0, "1")
    await records.complete_attempt(kid.id, first.id, OUTCOME)
    [view] = await records.children_career(mum.id)
    assert not view.shared
    assert view.latest == ()
    await records.share_career(kid.id, True)
    assert await records.career_shared(kid.id)
    [view] = await records.children_career(mum.id)
    assert view.shared
    [latest] = view.latest
    assert latest.code == "ТЗ"
    assert latest.answers == ()
    await records.share_career(kid.id, False)
    assert (await records.children_career(mum.id))[0].latest == ()


async def test_in_demand_list_is_replaced_whole(records):
    assert await records.in_demand_list() is None
    assert await records.replace_in_demand(frozenset({"welder", "nurse"}), "Минтруд 2026") == 2
    assert await records.replace_in_demand(frozenset({"cook"}), "Минтруд 2027") == 1
    found = await records.in_demand_list()
    assert found.ids == frozenset({"cook"})
    assert found.source == "Минтруд 2027"
    with pytest.raises(ValueError, match="at least one"):
        await records.replace_in_demand(frozenset(), "пусто")


async def test_report_counts_without_personal_data(records):
    pupils = []
    for n, (school, grade, leading) in enumerate(
        [("Школа №3", 9, "tech"), ("школа № 3", 9, "tech"), ("Школа 5", 8, "art"), ("Школа 5", 10, "art")]
    ):
        pupil = await teen(records, f"p{n}")
        await records.save_profile(
            pupil.id,
            {"display_name": f"Ученик{n}", "municipality": "36401", "institution": school, "grade": grade},
        )
        pupils.append(pupil)
        attempt = await records.start_attempt(pupil.id, "klimov", "1")
        await records.complete_attempt(
            pupil.id, attempt.id, CareerOutcome({leading: 8}, "X", leading, "clear")
        )
    # the first pupil retakes: only the latest result counts in the distribution
    retake = await records.start_attempt(pupils[0].id, "klimov", "1")
    await records.complete_attempt(
        pupils[0].id, retake.id, CareerOutcome({"people": 8}, "Ч", "people", "clear")
    )
    await records.start_attempt(pupils[1].id, "riasec", "1")  # started, never finished
    idle = await teen(records, "idle")
    await records.save_profile(idle.id, {"display_name": "Тихоня", "grade": 8})

    report = await records.career_report()
    figures = {f.instrument: f for f in report.instruments}
    assert (figures["klimov"].started, figures["klimov"].completed, figures["klimov"].people) == (5, 5, 4)
    assert (figures["riasec"].started, figures["riasec"].completed) == (1, 0)
    assert figures["riasec"].completion_rate == 0
    schools = {(c.group, c.leading): c.count for c in report.leading if c.dimension == "school"}
    assert schools == {("школа № 3", "people"): 1, ("школа № 3", "tech"): 1, ("школа 5", "art"): 2}
    grades = {(c.group, c.leading): c.count for c in report.leading if c.dimension == "grade"}
    assert grades[("9", "tech")] == 1
    municipalities = {(c.group, c.leading): c.count for c in report.leading if c.dimension == "municipality"}
    assert municipalities[("36401", "art")] == 2
    assert (report.pupils_8_9, report.pupils_8_9_tested) == (4, 3)
    assert "Ученик" not in repr(report)


async def test_export_holds_the_attempts_and_erase_removes_them(records):
    person = await adult(records, "a")
    attempt = await records.start_attempt(person.id, "klimov", "1")
    await records.record_answer(person.id, attempt.id, 0, "2")
    await records.share_career(person.id, True)
    data = await records.export(person.id)
    [exported] = data["career_tests"]
    assert exported["answers"] == ["2"]
    assert data["career_shared_with_guardians"] is True
    await records.erase(person.id, reason="delete")
    assert await records.attempts_of(person.id) == []
    assert (await records.career_report()).instruments == ()
