"""Vacancy alerts through the real relay (SQLite and PostgreSQL, the Bot API emulator) on a virtual clock:
put together when sent, closed vacancies dropped, an empty alert withdrawn, the daily hour and digests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from backend_client.models import AgeBand, Role
from backend_client.outreach import ADULT_QUIET_HOURS, Category, DeliveryMode, OutgoingMessage
from backend_client.sql.tables import outbox
from backend_client.vacancies.alerts import AlertFrequency
from backend_client.vacancies.models import VacancyQuery, VacancyStatus
from bot.telegram.runner import open_bot
from bot.telegram.sender import TelegramSender
from notifications.alerts import AlertExpander
from notifications.ratelimit import MemoryRateLimiter
from notifications.relay import Relay, RelayPolicy
from tests.contract.test_vacancies import SAMARA as SAMARA_CODE
from tests.contract.test_vacancies import draft, stored
from tests.notifications.test_relay import NOON, SAMARA, TOKEN, drain, emulator, member  # noqa: F401

COOK = VacancyQuery(text="повар", municipality=SAMARA_CODE)


@pytest.fixture
async def relay(database, emulator, clock) -> AsyncIterator[Relay]:  # noqa: F811
    clock.set(NOON)
    bot = open_bot(TOKEN, emulator.base_url)
    epoch = clock.now()

    async def sleep(delay: float) -> None:
        clock.advance(timedelta(seconds=delay))

    try:
        yield Relay(
            database.outbox,
            {"telegram": TelegramSender(bot)},
            MemoryRateLimiter(),
            clock,
            owner="relay-1",
            timezone=SAMARA,
            policy=RelayPolicy(batch=50),
            monotonic=lambda: (clock.now() - epoch).total_seconds(),
            sleep=sleep,
            expand=AlertExpander(database.vacancy_alerts),
        )
    finally:
        await bot.session.close()


async def close(database, *numbers: int) -> None:
    await stored(database, *(draft(n, title=f"Повар {n}", status=VacancyStatus.CLOSED) for n in numbers))


async def test_an_alert_lists_what_is_open_when_it_goes(database, emulator, relay, clock):  # noqa: F811
    pid = await member(database, emulator, 601)
    await database.vacancy_alerts.subscribe(pid, COOK)
    await stored(database, *(draft(n, title=f"Повар {n}") for n in range(1, 9)))
    await close(database, 2)
    await drain(relay, clock, rounds=3)
    [message] = emulator.transcript(601)
    text = message["text"]
    assert text.startswith("🔔 Новые вакансии по подписке: «повар» · Самара · любая работа\n")
    assert "Повар 2 " not in text
    assert text.count("ООО «Волга»") == 5
    assert "…и ещё 2" in text
    assert "Вы подписаны на новые вакансии" in text
    labels = [button["text"] for row in message["reply_markup"]["inline_keyboard"] for button in row]
    assert labels[5:] == [
        "📋 И ещё 2 — показать все",
        "👍 Подходит",
        "👎 Не то",
        "✏️ Изменить подписку",
        "🔕 Отписаться",
        "🔕 Не присылать такие",
    ]
    assert await database.outbox.counts() == {"delivered": 1}


async def test_an_alert_held_for_the_night_is_withdrawn_when_nothing_is_left(
    database,
    emulator,  # noqa: F811
    relay,
    clock,
):
    pid = await member(database, emulator, 602)
    await database.vacancy_alerts.subscribe(pid, COOK)
    clock.set(datetime(2026, 11, 23, 19, 0, tzinfo=UTC))  # 23:00 in Samara: quiet hours
    await stored(database, draft(1, title="Повар 1"), draft(2, title="Повар 2"))
    await drain(relay, clock, rounds=2)
    assert emulator.transcript(602) == []
    await close(database, 1, 2)
    clock.set(datetime(2026, 11, 24, 4, 0, tzinfo=UTC))  # 08:00: the night is over
    await drain(relay, clock, rounds=3)
    assert emulator.transcript(602) == []
    assert await database.outbox.counts() == {"cancelled": 1}
    assert await database.outbox.failures() == {}


async def test_a_daily_search_and_a_days_digest_go_at_the_evening_hour(database, emulator, relay, clock):  # noqa: F811
    pid = await member(database, emulator, 603)
    alerts = database.vacancy_alerts
    await alerts.subscribe(pid, COOK, frequency=AlertFrequency.DAILY)
    await alerts.subscribe(pid, VacancyQuery(text="сварщик"))
    await database.records.set_delivery_mode(pid, Category.VACANCIES, DeliveryMode.DIGEST)
    await stored(database, draft(1, title="Повар 1"), draft(11, title="Сварщик 11"))
    clock.advance(timedelta(hours=2))
    await stored(
        database, draft(2, title="Повар 2"), draft(12, title="Сварщик 12"), draft(13, title="Сварщик")
    )
    await drain(relay, clock, step=timedelta(minutes=10), rounds=18)  # 14:00 → 17:00: nothing yet
    assert emulator.transcript(603) == []
    await close(database, 1)
    await stored(database, draft(13, title="Сварщик", status=VacancyStatus.CLOSED))
    clock.set(datetime(2026, 11, 23, 14, 0, tzinfo=UTC))  # 18:00 in Samara
    await drain(relay, clock, rounds=5)
    [digest] = emulator.transcript(603)
    text = digest["text"]
    assert text.startswith("Сводка за день — Вакансии:")
    assert "«повар»" in text
    assert "«сварщик»" in text
    assert "Повар 2" in text
    assert "Сварщик 11" in text
    assert "Сварщик 12" in text
    assert "Повар 1 " not in text
    assert "Сварщик —" not in text
    assert await database.outbox.counts() == {"delivered": 1, "merged": 2}


async def test_a_message_without_alerts_passes_untouched(database):
    expand = AlertExpander(database.vacancy_alerts)
    message = OutgoingMessage(
        1,
        1,
        "telegram",
        "1",
        Category.NEWS,
        "Новость",
        False,
        0,
        None,
        DeliveryMode.INSTANT,
        ADULT_QUIET_HOURS,
    )
    assert await expand(message) == "Новость"


async def test_what_does_not_fit_one_message_is_not_taken_and_waits(database, clock):
    alerts = database.vacancy_alerts
    pid = await member_without_emulator(database, "alerts-limit")
    await alerts.subscribe(pid, COOK)
    await alerts.subscribe(pid, VacancyQuery(text="сварщик"))
    await stored(database, draft(1, title="Повар 1"), draft(11, title="Сварщик 11"))
    cook, welder = sorted(await pending_notices(database))
    digest = f"Сводка за день — Вакансии:\n\n• ⟦alert {cook}⟧\n\n• ⟦alert {welder}⟧"
    message = OutgoingMessage(
        1,
        pid,
        "test",
        "1",
        Category.VACANCIES,
        digest,
        False,
        0,
        None,
        DeliveryMode.DIGEST,
        ADULT_QUIET_HOURS,
    )
    text = await AlertExpander(alerts, limit=1)(message)
    assert text is not None
    assert "Повар 1" in text
    assert "Сварщик 11" not in text
    assert "Не поместилось ещё подборок: 1" in text
    later = await alerts.take_alert(welder)  # its vacancies waited for the next alert
    assert later is not None
    assert [v.title for v in later.vacancies] == ["Сварщик 11"]


async def member_without_emulator(database, account: str) -> int:
    records = database.records
    person = await records.identify("test", account, account)
    await records.choose_role(person.id, Role.GRADUATE, AgeBand.ADULT)
    await records.give_own_consent(person.id, version="v1", channel="test")
    return int(person.id)


async def pending_notices(database) -> list[str]:
    async with database.engine.connect() as connection:
        keys = (await connection.execute(select(outbox.c.key))).scalars().all()
    return [key.removeprefix("alert:").rpartition("|")[0] for key in keys]
