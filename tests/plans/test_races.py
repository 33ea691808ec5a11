"""The database decides, on SQLite and PostgreSQL: many presses of one answer record one outcome and close
a step once; an erasure racing an operator's step leaves no step behind and no half-written plan."""

from __future__ import annotations

import asyncio
from datetime import date

from backend_client.broadcasts import CLI
from backend_client.plans import OutcomeStatus, PersonNotFound, StepDraft
from tests.plans.support import TODAY, graduate


async def test_twenty_presses_of_an_answer_record_one_outcome(database):
    person = await graduate(database)
    await database.plans.set_graduation(person, date(2026, 5, 1), today=TODAY)
    statuses = list(OutcomeStatus) * 4
    results = await asyncio.gather(
        *(database.plans.record_outcome(person, 3, status, today=TODAY) for status in statuses[:20])
    )
    assert sum(recorded for _, recorded in results) == 1
    assert len({outcome.status for outcome, _ in results}) == 1
    assert len(await database.plans.outcomes_of(person)) == 1


async def test_twenty_presses_of_done_close_the_step_once(database):
    person = await graduate(database)
    step, _ = await database.plans.add_step(
        CLI, "test", "g1", StepDraft("Резюме", date(2026, 9, 9)), today=TODAY
    )
    results = await asyncio.gather(*(database.plans.mark_step_done(person, step.id) for _ in range(20)))
    assert sum(closed for _, closed in results) == 1


async def test_an_erasure_racing_a_new_step_leaves_nothing_half_written(database):
    for round_ in range(5):
        person = await graduate(database, f"r{round_}")
        draft = StepDraft(f"Шаг {round_}", date(2026, 9, 9))
        added, _ = await asyncio.gather(
            database.plans.add_step(CLI, "test", f"r{round_}", draft, today=TODAY),
            database.records.erase(person, reason="test"),
            return_exceptions=True,
        )
        assert not isinstance(added, BaseException) or isinstance(added, PersonNotFound)
        assert await database.plans.plan_of(person) == []
    assert await database.plans.open_steps_due(TODAY, date(2026, 12, 31)) == []
