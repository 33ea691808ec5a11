"""Reminders that follow the plan and the check-ins, on a manual clock: a moved deadline moves its
reminders, a done step withdraws them, the overdue nudge comes once; check-ins at 3, 6 and 12 months
stop when the person is settled."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from backend_client.broadcasts import CLI
from backend_client.outreach import Category, Notice
from backend_client.plans import OutcomeStatus, StepDraft
from backend_client.sql.tables import outbox
from notifications.buttons import take
from notifications.rules import RuleRun, apply_rule
from notifications.rules.check_ins import CheckInsRule
from notifications.rules.plan_reminders import PlanRemindersRule
from tests.plans.support import TODAY, graduate

SAMARA = ZoneInfo("Europe/Samara")


def local(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SAMARA)


async def rows(database, prefix: str) -> dict[str, str]:
    """Outbox key (without its channel tail) -> status."""
    async with database.engine.connect() as connection:
        found = await connection.execute(
            select(outbox.c.key, outbox.c.status, outbox.c.not_before).where(outbox.c.key.startswith(prefix))
        )
        return {row.key.rpartition("|")[0]: row.status for row in found}


@pytest.fixture
def plan_rule(database) -> PlanRemindersRule:
    return PlanRemindersRule(database.plans, SAMARA)


@pytest.fixture
def check_in_rule(database) -> CheckInsRule:
    return CheckInsRule(database.plans, SAMARA)


async def test_a_moved_deadline_moves_its_reminders_and_done_withdraws_them(database, plan_rule, clock):
    await graduate(database)
    step, _ = await database.plans.add_step(
        CLI, "test", "g1", StepDraft("Резюме", date(2026, 9, 3)), today=TODAY
    )
    run = lambda: apply_rule(plan_rule, database.outbox, clock.now())  # noqa: E731
    assert await run() == RuleRun(0, 0)  # two days ahead: not yet
    clock.set(local(date(2026, 9, 2), 10))
    assert await run() == RuleRun(3, 0)  # the eve (18:00 today), the morning of the day, the nudge after
    assert await run() == RuleRun(0, 0)
    assert await rows(database, "plan:") == {
        f"plan:{step.id}:v1:{kind}": "pending" for kind in ("eve", "day", "overdue")
    }
    moved = await database.plans.move_step(CLI, step.id, date(2026, 9, 5), today=date(2026, 9, 2))
    assert await run() == RuleRun(0, 3)  # the old ones withdrawn; the new deadline is not close yet
    clock.set(local(date(2026, 9, 4), 10))
    assert await run() == RuleRun(3, 0)
    [eve] = [n for n in await plan_rule.wanted(clock.now()) if n.key.endswith(":eve")]
    assert eve.key == f"plan:{step.id}:v{moved.version}:eve"
    assert eve.not_before == local(date(2026, 9, 4), 18)
    assert "5 сентября — срок шага вашего плана" in eve.text
    assert f"~plandone:{step.id}" in eve.text
    await database.plans.mark_step_done(step.person_id, step.id)
    assert await run() == RuleRun(0, 3)  # done: withdrawn
    assert await plan_rule.wanted(clock.now()) == []
    statuses = await rows(database, "plan:")
    assert sorted(statuses.values()) == ["cancelled"] * 6


async def test_the_overdue_nudge_comes_once(database, plan_rule, clock):
    person = await graduate(database)
    step, _ = await database.plans.add_step(
        CLI, "test", "g1", StepDraft("В ЦЗН", date(2026, 9, 2)), today=TODAY
    )
    enqueued = 0
    for hours in range(0, 24 * 5, 3):  # a sweep every three hours for five days
        clock.set(local(TODAY, 13) + timedelta(hours=hours))
        enqueued += (await apply_rule(plan_rule, database.outbox, clock.now())).enqueued
    keys = await rows(database, f"plan:{step.id}:")
    assert sorted(keys) == [f"plan:{step.id}:v1:{kind}" for kind in ("day", "eve", "overdue")]
    assert enqueued == 3
    [overdue] = [n for n in await _wanted_at(plan_rule, local(date(2026, 9, 3), 11)) if "overdue" in n.key]
    assert overdue.person_id == person
    assert overdue.not_before == local(date(2026, 9, 3), 10)
    assert "Срок шага «В ЦЗН» был 2 сентября" in overdue.text


async def _wanted_at(rule, now):
    return await rule.wanted(now)


async def test_a_step_recorded_on_its_day_gets_no_eve_reminder(database, plan_rule, clock):
    await graduate(database)
    clock.set(local(date(2026, 9, 2), 11))
    await database.plans.add_step(
        CLI, "test", "g1", StepDraft("Позвонить", date(2026, 9, 2)), today=date(2026, 9, 2)
    )
    kinds = sorted(n.key.rpartition(":")[2] for n in await plan_rule.wanted(clock.now()))
    assert kinds == ["overdue"]  # agreed today after the morning: only the nudge if it is not done


async def test_check_ins_at_3_6_and_12_months_stop_when_settled(database, check_in_rule, clock):
    person = await graduate(database)
    await database.plans.set_graduation(person, date(2026, 6, 1), today=TODAY)
    run = lambda: apply_rule(check_in_rule, database.outbox, clock.now())  # noqa: E731
    assert await run() == RuleRun(1, 0)  # 1 September, 13:00: the three-month question, due at noon
    [notice] = await check_in_rule.wanted(clock.now())
    assert notice.key == f"checkin:{person}:3:20260601"
    assert "Прошло 3 месяца после выпуска" in notice.text
    assert "~checkin:3:searching" in notice.text
    assert "~checkin:3:maternity" in notice.text
    plain, buttons = take(notice.text)  # as the relay sends it: the question, an answer a button
    assert plain.startswith("🎓 Прошло 3 месяца после выпуска. Как у вас дела сейчас?")
    assert [label for label, _ in buttons] == [
        "💼 Работаю",
        "📚 Учусь",
        "🎖 Служу в армии",
        "🔎 Ищу работу",
        "👶 В декрете",
        "Другое",
    ]
    await database.plans.record_outcome(person, 3, OutcomeStatus.SEARCHING, today=TODAY)
    assert await run() == RuleRun(0, 1)  # answered: the pending question is withdrawn
    clock.set(local(date(2026, 12, 1), 11))
    assert await run() == RuleRun(0, 0)  # six months at noon, not before
    clock.set(local(date(2026, 12, 1), 12))
    assert await run() == RuleRun(1, 0)
    await database.plans.record_outcome(person, 6, OutcomeStatus.WORKING, today=date(2026, 12, 1))
    assert await run() == RuleRun(0, 1)
    clock.set(local(date(2027, 6, 1), 12))
    assert await run() == RuleRun(0, 0)  # settled: no twelve-month question


async def test_an_unanswered_check_in_is_asked_for_two_weeks_and_searchers_are_asked_again(
    database, check_in_rule, clock
):
    person = await graduate(database)
    await database.plans.set_graduation(person, date(2026, 6, 1), today=TODAY)
    clock.set(local(date(2026, 9, 16), 11))
    assert await check_in_rule.wanted(clock.now()) == []  # the three-month window has closed
    clock.set(local(date(2027, 6, 1), 12))
    [notice] = await check_in_rule.wanted(clock.now())
    assert notice.key.startswith(f"checkin:{person}:12:")  # never answered, never settled: asked at 12


async def test_a_corrected_graduation_date_moves_the_question(database, check_in_rule, clock):
    person = await graduate(database)
    await database.plans.set_graduation(person, date(2026, 6, 1), today=TODAY)
    assert await apply_rule(check_in_rule, database.outbox, clock.now()) == RuleRun(1, 0)
    await database.plans.set_graduation(person, date(2026, 7, 1), today=TODAY)
    assert await apply_rule(check_in_rule, database.outbox, clock.now()) == RuleRun(0, 1)
    clock.set(local(date(2026, 10, 1), 12))
    [notice] = await check_in_rule.wanted(clock.now())
    assert notice.key == f"checkin:{person}:3:20260701"


async def test_a_sweep_may_withdraw_thousands_at_once(database, check_in_rule, clock):
    """A cohort graduated on one day: its three-month questions close together (SQLite refused one
    statement withdrawing over a thousand keys)."""
    first = await graduate(database, "c0")
    notices = [
        Notice(f"checkin:{first}:3:x{number}", first, Category.REMINDERS, "?", clock.now())
        for number in range(1_200)
    ]
    assert await database.outbox.enqueue(notices) == 1_200
    assert await apply_rule(check_in_rule, database.outbox, clock.now()) == RuleRun(0, 1_200)


@pytest.mark.parametrize(
    ("graduated", "asked"),
    [
        (date(2026, 11, 30), date(2027, 2, 28)),  # no 30 February: the month's last day
        (date(2026, 11, 28), date(2027, 2, 28)),
        (date(2026, 8, 31), date(2026, 11, 30)),
        (date(2025, 12, 31), date(2026, 3, 31)),
    ],
)
async def test_month_ends_are_asked_on_their_day(database, check_in_rule, clock, graduated, asked):
    person = await graduate(database)
    await database.plans.set_graduation(person, graduated, today=TODAY)
    assert await check_in_rule.wanted(local(asked, 11)) == []
    [notice] = await check_in_rule.wanted(local(asked, 12))
    assert notice.key.startswith(f"checkin:{person}:3:")
    assert [n.key for n in await check_in_rule.wanted(local(asked + timedelta(days=13), 23))] == [notice.key]
    assert await check_in_rule.wanted(local(asked + timedelta(days=14), 12)) == []
