"""The plan and outcome store on SQLite and PostgreSQL: operators record steps for the person behind an
account, the person closes their own once, check-in answers are kept once, and nothing is written for
someone who erased their data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backend_client.broadcasts import CLI, Actor, NotOperator
from backend_client.errors import ConsentRequired
from backend_client.plans import (
    BadGraduation,
    BadStep,
    NotACheckIn,
    OutcomeStatus,
    PersonNotFound,
    PlanImportRefused,
    StepDraft,
    StepNotFound,
    StepRow,
)
from tests.plans.support import TODAY, graduate, operator

RESUME = StepDraft("Отправить резюме", date(2026, 9, 15))


async def test_an_operator_records_a_step_once_for_the_person_behind_an_account(database):
    person = await graduate(database)
    desk = await operator(database)
    step, created = await database.plans.add_step(desk, "test", "g1", RESUME, today=TODAY)
    again, created_again = await database.plans.add_step(desk, "test", "g1", RESUME, today=TODAY)
    assert (created, created_again) == (True, False)
    assert again.id == step.id
    assert (step.person_id, step.version) == (person, 1)
    assert [s.text for s in await database.plans.plan_of(person)] == ["Отправить резюме"]


async def test_only_operators_and_the_command_line_record_steps(database):
    await graduate(database)
    with pytest.raises(NotOperator):
        await database.plans.add_step(Actor("test", "nobody"), "test", "g1", RESUME, today=TODAY)
    await database.plans.add_step(CLI, "test", "g1", RESUME, today=TODAY)


async def test_refused_steps_write_nothing(database):
    person = await graduate(database)
    await graduate(database, "silent", consent=False)
    for draft, reason in (
        (StepDraft(" ", date(2026, 9, 15)), "empty_text"),
        (StepDraft("x" * 301, date(2026, 9, 15)), "too_long"),
        (StepDraft("Вчера", TODAY - timedelta(days=1)), "due_in_past"),
    ):
        with pytest.raises(BadStep) as refused:
            await database.plans.add_step(CLI, "test", "g1", draft, today=TODAY)
        assert refused.value.reason == reason
    with pytest.raises(PersonNotFound):
        await database.plans.add_step(CLI, "test", "nobody", RESUME, today=TODAY)
    with pytest.raises(ConsentRequired):
        await database.plans.add_step(CLI, "test", "silent", RESUME, today=TODAY)
    assert await database.plans.plan_of(person) == []


async def test_a_step_for_someone_who_erased_their_data_is_refused_and_theirs_are_gone(database):
    person = await graduate(database)
    await database.plans.add_step(CLI, "test", "g1", RESUME, today=TODAY)
    await database.plans.set_graduation(person, date(2026, 6, 30), today=TODAY)
    await database.records.erase(person, reason="test")
    with pytest.raises(PersonNotFound):
        await database.plans.add_step(CLI, "test", "g1", RESUME, today=TODAY)
    assert await database.plans.plan_of(person) == []
    assert await database.plans.graduation_of(person) is None
    assert await database.plans.open_steps_due(TODAY, TODAY + timedelta(days=60)) == []


async def test_the_person_closes_only_their_own_step_and_only_once(database):
    first, second = await graduate(database, "a"), await graduate(database, "b")
    step, _ = await database.plans.add_step(CLI, "test", "a", RESUME, today=TODAY)
    with pytest.raises(StepNotFound):
        await database.plans.mark_step_done(second, step.id)  # another person's step
    with pytest.raises(StepNotFound):
        await database.plans.mark_step_done(first, step.id + 1000)  # a forged id
    closed, now = await database.plans.mark_step_done(first, step.id)
    closed_again, again = await database.plans.mark_step_done(first, step.id)
    assert (now, again) == (True, False)
    assert closed.done
    assert closed_again.done_at == closed.done_at


async def test_a_move_grows_the_version_and_a_done_step_cannot_move(database):
    await graduate(database)
    step, _ = await database.plans.add_step(CLI, "test", "g1", RESUME, today=TODAY)
    moved = await database.plans.move_step(CLI, step.id, date(2026, 9, 20), today=TODAY)
    assert (moved.due_on, moved.version) == (date(2026, 9, 20), 2)
    with pytest.raises(BadStep):
        await database.plans.move_step(CLI, step.id, TODAY - timedelta(days=1), today=TODAY)
    await database.plans.complete_step(CLI, step.id)
    with pytest.raises(BadStep) as refused:
        await database.plans.move_step(CLI, step.id, date(2026, 9, 25), today=TODAY)
    assert refused.value.reason == "done"
    with pytest.raises(StepNotFound):
        await database.plans.move_step(CLI, 999_999, date(2026, 9, 25), today=TODAY)


async def test_an_import_is_all_or_nothing_and_lists_every_refused_row(database):
    person = await graduate(database)
    rows = [
        StepRow("test", "g1", RESUME),
        StepRow("test", "nobody", RESUME),
        StepRow("test", "g1", StepDraft("Старое", TODAY - timedelta(days=3))),
    ]
    with pytest.raises(PlanImportRefused) as refused:
        await database.plans.import_steps(CLI, rows, today=TODAY)
    assert refused.value.problems == [(1, "person_not_found"), (2, "due_in_past")]
    assert await database.plans.plan_of(person) == []
    result = await database.plans.import_steps(CLI, [rows[0], rows[0]], today=TODAY)
    assert (result.created, result.unchanged) == (1, 1)


async def test_check_in_answers_are_kept_once_and_only_when_due(database):
    person = await graduate(database)
    with pytest.raises(NotACheckIn):  # no graduation date yet
        await database.plans.record_outcome(person, 3, OutcomeStatus.WORKING, today=TODAY)
    with pytest.raises(BadGraduation):
        await database.plans.set_graduation(person, date(2001, 6, 30), today=TODAY)
    await database.plans.set_graduation(person, date(2026, 5, 31), today=TODAY)
    with pytest.raises(NotACheckIn):
        await database.plans.record_outcome(person, 4, OutcomeStatus.WORKING, today=TODAY)
    with pytest.raises(NotACheckIn):  # six months are not over yet
        await database.plans.record_outcome(person, 6, OutcomeStatus.WORKING, today=TODAY)
    first, recorded = await database.plans.record_outcome(person, 3, OutcomeStatus.SEARCHING, today=TODAY)
    kept, again = await database.plans.record_outcome(person, 3, OutcomeStatus.WORKING, today=TODAY)
    assert (recorded, again) == (True, False)
    assert kept.status is OutcomeStatus.SEARCHING == first.status
    [target] = await database.plans.check_in_targets([(date(2026, 5, 1), date(2026, 5, 31))])
    assert await database.plans.check_in_targets([(date(2026, 6, 1), date(2026, 12, 31))]) == []
    assert (target.answered, target.settled) == (frozenset({3}), False)


async def test_the_export_holds_the_plan_the_graduation_and_the_answers(database):
    person = await graduate(database)
    await database.plans.add_step(
        CLI, "test", "g1", StepDraft("В ЦЗН", date(2026, 9, 10), "ул. Мира, 1"), today=TODAY
    )
    await database.plans.set_graduation(person, date(2026, 5, 31), today=TODAY)
    await database.plans.record_outcome(person, 3, OutcomeStatus.WORKING, today=TODAY)
    exported = (await database.records.export(person))["plan"]
    assert exported["graduated_on"] == "2026-05-31"
    assert [(s["text"], s["due_on"], s["place"], s["status"]) for s in exported["steps"]] == [
        ("В ЦЗН", "2026-09-10", "ул. Мира, 1", "open")
    ]
    assert [(c["months"], c["answer"]) for c in exported["check_ins"]] == [(3, "working")]
