"""«Работодатель ответил?» a week after applying: one question per application with two public answer
buttons, withdrawn once answered, never before the week is out; and the relay turning a notice's button
marks into buttons."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from backend_client.models import AgeBand, Role
from backend_client.outreach import Category, DeliveryMode, OutgoingMessage, QuietHours
from backend_client.sql.tables import outbox
from notifications.buttons import mark, take
from notifications.relay import compose
from notifications.rules import RuleRun, apply_rule
from notifications.rules.application_follow_up import ApplicationFollowUpRule
from tests.flows.jobs_support import draft, put

WEEK = timedelta(days=7)


async def applicant(database, account: str = "a") -> int:
    records = database.records
    person = await records.identify("test", account, account)
    await records.choose_role(person.id, Role.GRADUATE, AgeBand.ADULT)
    await records.give_own_consent(person.id, version="v1", channel="test")
    return int(person.id)


async def pending(database) -> dict[str, tuple[str, str]]:
    async with database.engine.connect() as connection:
        found = await connection.execute(
            select(outbox.c.key, outbox.c.status, outbox.c.text).where(outbox.c.key.startswith("followup:"))
        )
        return {row.key.rpartition("|")[0]: (row.status, row.text) for row in found}


@pytest.fixture
def rule(database) -> ApplicationFollowUpRule:
    return ApplicationFollowUpRule(database.vacancies)


async def test_asked_once_a_week_after_and_withdrawn_when_answered(database, rule, clock):
    [welder] = await put(database, draft("Сварщик"))
    person = await applicant(database)
    application = await database.vacancies.apply(person, welder.id, "", press="p1")
    assert await apply_rule(rule, database.outbox, clock.now()) == RuleRun(0, 0)  # not a week yet
    clock.advance(WEEK + timedelta(hours=1))
    assert await apply_rule(rule, database.outbox, clock.now()) == RuleRun(1, 0)
    assert await apply_rule(rule, database.outbox, clock.now()) == RuleRun(0, 0)  # the same key: once
    [(status, text)] = (await pending(database)).values()
    assert status == "pending"
    assert "Неделю назад вы откликнулись на вакансию «Сварщик» (ООО «Волга-Металл»)" in text
    assert f"~followup:{application.id}:yes" in text
    await database.vacancies.answer_follow_up(person, application.id, False)
    assert await apply_rule(rule, database.outbox, clock.now()) == RuleRun(0, 1)  # answered: withdrawn
    assert [status for status, _ in (await pending(database)).values()] == ["cancelled"]


async def test_nothing_after_its_window(database, rule, clock):
    [welder] = await put(database, draft("Сварщик"))
    person = await applicant(database)
    await database.vacancies.apply(person, welder.id, "", press="p1")
    clock.advance(3 * WEEK)
    assert await rule.wanted(clock.now()) == []


async def test_the_notice_is_a_reminder_for_its_applicant(database, rule, clock):
    [welder] = await put(database, draft("Сварщик"))
    first, second = await applicant(database, "a"), await applicant(database, "b")
    mine = await database.vacancies.apply(first, welder.id, "", press="p1")
    await database.vacancies.apply(second, welder.id, "", press="p2")
    clock.advance(WEEK)
    notices = {notice.person_id: notice for notice in await rule.wanted(clock.now())}
    assert set(notices) == {first, second}
    notice = notices[first]
    assert notice.key == f"followup:{mine.id}"
    assert notice.category is Category.REMINDERS
    assert notice.not_before == mine.created_at + WEEK


def test_the_relay_sends_a_notices_buttons_before_its_own_stop():
    text = "\n".join(
        (
            "Работодатель ответил?",
            mark("✅ Да, ответил", "followup", "7:yes"),
            mark("❌ Нет", "followup", "7:no"),
        )
    )
    message = OutgoingMessage(
        id=1,
        person_id=1,
        channel="telegram",
        chat_id="1",
        category=Category.REMINDERS,
        text=text,
        critical=False,
        attempts=0,
        expires_at=None,
        mode=DeliveryMode.INSTANT,
        quiet=QuietHours(time(22), time(8)),
    )
    zone = ZoneInfo("Europe/Samara")
    composed = compose(message, silent=False, now=datetime(2026, 9, 8, 9, 0, tzinfo=UTC), zone=zone)
    assert composed.text.startswith("Работодатель ответил?\n\nЭто напоминание")
    assert "⟦" not in composed.text
    assert composed.buttons == (
        ("✅ Да, ответил", "~followup:7:yes"),
        ("❌ Нет", "~followup:7:no"),
        ("🔕 Не присылать такие", "~stop:reminders"),
    )


def test_marks_hold_nothing_that_breaks_them():
    assert take("Просто текст") == ("Просто текст", ())
    with pytest.raises(ValueError, match="mark's own characters"):
        mark("Да | нет", "followup", "1:yes")
