"""The relay end to end: real outbox (SQLite and PostgreSQL), real aiogram client, the Bot API emulator.

Time is virtual: the wall clock is a ManualClock and the rate limiter's seconds follow it, so quiet
hours, backoff and 429 pauses are exercised without waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend_client.broadcasts import CLI, Audience, CampaignDraft, CampaignKind
from backend_client.models import AgeBand, Role
from backend_client.outreach import Category, DeliveryMode, Notice, Priority
from bot.telegram.runner import open_bot
from bot.telegram.sender import TelegramSender
from notifications.ratelimit import MemoryRateLimiter
from notifications.relay import Relay, RelayPolicy
from tests.telegram_emulator import TelegramEmulator

TOKEN = "123456:TEST-token"
SAMARA = ZoneInfo("Europe/Samara")
NOON = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 12:00 in Samara


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(TOKEN) as running:
        yield running


@pytest.fixture
async def relay(database, emulator, clock) -> AsyncIterator[Relay]:
    clock.set(NOON)
    bot = open_bot(TOKEN, emulator.base_url)
    epoch = clock.now()

    def seconds() -> float:
        return (clock.now() - epoch).total_seconds()

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
            monotonic=seconds,
            sleep=sleep,
        )
    finally:
        await bot.session.close()


async def member(database, emulator, user_id: int, band: AgeBand = AgeBand.ADULT) -> int:
    emulator.user(user_id, started=True)
    records = database.records
    person = await records.identify("telegram", str(user_id), str(user_id))
    await records.choose_role(person.id, Role.GRADUATE if band is AgeBand.ADULT else Role.PUPIL, band)
    await records.give_own_consent(person.id, version="v1", channel="telegram")
    return int(person.id)


def news(person_id: int, key: str, at: datetime, **extra) -> Notice:
    return Notice(key, person_id, extra.pop("category", Category.NEWS), f"Новость {key}", at, **extra)


async def drain(relay: Relay, clock, *, step: timedelta = timedelta(seconds=1), rounds: int = 100) -> None:
    for _ in range(rounds):
        await relay.run_once()
        clock.advance(step)


async def test_a_notice_arrives_once_with_why_and_a_stop_button(database, emulator, relay, clock):
    pid = await member(database, emulator, 501)
    await database.outbox.enqueue([news(pid, "n1", clock.now())])
    await database.outbox.enqueue([news(pid, "n1", clock.now())])  # a producer ran twice
    await drain(relay, clock, rounds=3)
    [message] = emulator.transcript(501)
    assert message["text"].startswith("Новость n1")
    assert "/settings" in message["text"]
    [[stop]] = message["reply_markup"]["inline_keyboard"]
    assert stop["callback_data"] == "~stop:news"
    assert await database.outbox.counts() == {"delivered": 1}


async def test_quiet_hours_hold_messages_until_morning_and_critical_ones_go_silently(
    database, emulator, relay, clock
):
    minor = await member(database, emulator, 502, AgeBand.MINOR)
    clock.set(datetime(2026, 11, 23, 18, 0, tzinfo=UTC))  # 22:00 in Samara
    await database.outbox.enqueue(
        [
            news(minor, "evening", clock.now()),
            news(
                minor,
                "alarm",
                clock.now(),
                category=Category.SYSTEM,
                critical=True,
                priority=Priority.CRITICAL,
            ),
        ]
    )
    await relay.run_once()
    [alarm] = emulator.transcript(502)
    assert alarm["text"].startswith("Новость alarm")
    assert "reply_markup" not in alarm
    assert emulator.calls_to("sendMessage")[-1].params.get("disable_notification") in (True, "true")
    clock.set(datetime(2026, 11, 24, 4, 59, tzinfo=UTC))  # 08:59
    await relay.run_once()
    assert len(emulator.transcript(502)) == 1
    clock.set(datetime(2026, 11, 24, 5, 0, tzinfo=UTC))  # 09:00: the night is over
    await relay.run_once()
    assert [m["text"].split("\n")[0] for m in emulator.transcript(502)] == [
        "Новость alarm",
        "Новость evening",
    ]


async def test_a_category_switched_off_is_not_sent_but_critical_messages_are(
    database, emulator, relay, clock
):
    pid = await member(database, emulator, 503)
    await database.records.set_delivery_mode(pid, Category.NEWS, DeliveryMode.OFF)
    await database.records.set_delivery_mode(pid, Category.SYSTEM, DeliveryMode.OFF)
    await database.outbox.enqueue(
        [news(pid, "n", clock.now()), news(pid, "s", clock.now(), category=Category.SYSTEM, critical=True)]
    )
    await relay.run_once()
    assert [m["text"].split("\n")[0] for m in emulator.transcript(503)] == ["Новость s"]
    assert await database.outbox.counts() == {"cancelled": 1, "delivered": 1}


async def test_a_blocked_person_is_marked_and_nothing_more_goes_to_them(database, emulator, relay, clock):
    pid = await member(database, emulator, 504)
    later = clock.now() + timedelta(hours=1)
    await database.outbox.enqueue([news(pid, "now", clock.now()), news(pid, "later", later)])
    emulator.block_by_user(504)
    await relay.run_once()
    assert await database.outbox.counts() == {"blocked": 2}
    [account] = await database.records.accounts_of(pid)
    assert account.blocked_at is not None
    assert await database.outbox.enqueue([news(pid, "after", clock.now())]) == 0


async def test_a_429_storm_pauses_the_lane_and_loses_nothing(database, emulator, relay, clock):
    people = [await member(database, emulator, 600 + i) for i in range(10)]
    emulator.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 5", retry_after=5, times=3
    )
    await database.outbox.enqueue([news(p, f"n{p}", clock.now()) for p in people])
    await drain(relay, clock, rounds=30)
    assert await database.outbox.counts() == {"delivered": 10}
    for i in range(10):
        assert len(emulator.transcript(600 + i)) == 1  # nobody twice


async def test_server_errors_are_retried_with_backoff_then_given_up(database, emulator, relay, clock):
    pid = await member(database, emulator, 505)
    emulator.fail_next("sendMessage", status=502, description="Bad Gateway", times=2)
    await database.outbox.enqueue([news(pid, "flaky", clock.now())])
    await drain(relay, clock, step=timedelta(seconds=5), rounds=5)
    assert await database.outbox.counts() == {"delivered": 1}
    other = await member(database, emulator, 506)
    emulator.fail_next("sendMessage", status=502, description="Bad Gateway", times=50, chat_id=506)
    await database.outbox.enqueue([news(other, "down", clock.now())])
    await drain(relay, clock, step=timedelta(seconds=70), rounds=10)
    assert (await database.outbox.counts())["failed"] == 1
    assert await database.outbox.failures() == {"Bad Gateway": 1}


async def test_a_refusal_fails_at_once_with_the_apis_reason(database, emulator, relay, clock):
    pid = await member(database, emulator, 507)
    emulator.fail_next("sendMessage", status=400, description="Bad Request: message is too long")
    await database.outbox.enqueue([news(pid, "long", clock.now())])
    await relay.run_once()
    assert await database.outbox.failures() == {"Bad Request: message is too long": 1}


async def test_expired_messages_are_not_sent(database, emulator, relay, clock):
    pid = await member(database, emulator, 508)
    await database.outbox.enqueue(
        [news(pid, "stale", clock.now() - timedelta(hours=2), expires_at=clock.now())]
    )
    await relay.run_once()
    assert emulator.transcript(508) == []
    assert await database.outbox.counts() == {"expired": 1}


async def test_a_relay_killed_after_claiming_loses_and_repeats_nothing(database, emulator, relay, clock):
    people = [await member(database, emulator, 700 + i) for i in range(5)]
    await database.outbox.enqueue([news(p, f"n{p}", clock.now()) for p in people])
    await database.outbox.claim(owner="crashed", limit=3, lease=timedelta(minutes=2))  # then it died
    await relay.run_once()
    assert sum(len(emulator.transcript(700 + i)) for i in range(5)) == 2
    clock.advance(timedelta(minutes=3))
    await drain(relay, clock, rounds=3)
    assert [len(emulator.transcript(700 + i)) for i in range(5)] == [1] * 5
    assert await database.outbox.counts() == {"delivered": 5}


async def test_planned_works_hold_other_messages_until_they_end(database, emulator, clock):
    pid = await member(database, emulator, 520)
    clock.set(NOON)
    works = (NOON - timedelta(hours=1), NOON + timedelta(hours=2))

    async def windows() -> list[tuple[datetime, datetime]]:
        return [works]

    bot = open_bot(TOKEN, emulator.base_url)
    try:
        relay = Relay(
            database.outbox,
            {"telegram": TelegramSender(bot)},
            MemoryRateLimiter(),
            clock,
            owner="relay-w",
            timezone=SAMARA,
            monotonic=lambda: (clock.now() - NOON).total_seconds(),
            sleep=lambda delay: _advance(clock, delay),
            maintenance=windows,
        )
        await database.outbox.enqueue(
            [
                news(pid, "reminder", clock.now(), category=Category.REMINDERS),
                news(pid, "works", clock.now(), category=Category.SYSTEM),
            ]
        )
        await relay.run_once()
        assert [m["text"].split("\n")[0] for m in emulator.transcript(520)] == ["Новость works"]
        clock.set(works[1])
        await relay.run_once()
        assert [m["text"].split("\n")[0] for m in emulator.transcript(520)][-1] == "Новость reminder"
    finally:
        await bot.session.close()


async def _advance(clock, delay: float) -> None:
    clock.advance(timedelta(seconds=delay))


async def test_a_daily_digest_arrives_as_one_message_at_the_digest_hour(database, emulator, relay, clock):
    pid = await member(database, emulator, 530)
    await database.records.set_delivery_mode(pid, Category.NEWS, DeliveryMode.DIGEST)
    await database.outbox.enqueue([news(pid, f"d{n}", clock.now()) for n in range(3)])
    await relay.run_once()  # noon: all three wait for the evening
    assert emulator.transcript(530) == []
    clock.set(datetime(2026, 11, 23, 14, 0, tzinfo=UTC))  # 18:00 in Samara
    await relay.run_once()
    [digest] = emulator.transcript(530)
    assert digest["text"].startswith("Сводка за день — Новости:")
    for n in range(3):
        assert f"• Новость d{n}" in digest["text"]
    assert await database.outbox.counts() == {"delivered": 1, "merged": 2}
    await relay.run_once()
    assert len(emulator.transcript(530)) == 1


class Hangs:
    """A sender that delivers ``before`` messages and then hangs in the next call, like a killed process."""

    def __init__(self, inner: TelegramSender, before: int) -> None:
        self.inner, self.left = inner, before
        self.hung = asyncio.Event()

    async def send(self, message):
        if self.left == 0:
            self.hung.set()
            await asyncio.Event().wait()  # never returns: the task is cancelled here
        self.left -= 1
        return await self.inner.send(message)


async def test_a_campaign_survives_a_relay_killed_mid_sending(database, emulator, relay, clock):
    for n in range(12):
        await member(database, emulator, 800 + n)
    await database.broadcasts.create_campaign(
        CLI, CampaignDraft(CampaignKind.NEWS, "Ярмарка", Audience(), clock.now())
    )
    await database.broadcasts.start_due_campaigns()
    bot = open_bot(TOKEN, emulator.base_url)
    try:
        hangs = Hangs(TelegramSender(bot), before=5)
        doomed = Relay(
            database.outbox,
            {"telegram": hangs},
            MemoryRateLimiter(),
            clock,
            owner="doomed",
            timezone=SAMARA,
            policy=RelayPolicy(concurrency=1),  # one send in flight: the kill falls between two messages
            monotonic=lambda: 0.0,  # twelve different chats: the limiter never asks it to wait
        )
        task = asyncio.create_task(doomed.run_once())
        await hangs.hung.wait()
        task.cancel()  # killed in the middle of the sixth call, its lease still held
        with contextlib.suppress(asyncio.CancelledError):
            await task
    finally:
        await bot.session.close()
    assert sum(len(emulator.transcript(800 + n)) for n in range(12)) == 5
    clock.advance(timedelta(minutes=3))  # the dead relay's lease runs out
    await drain(relay, clock, rounds=3)
    assert [len(emulator.transcript(800 + n)) for n in range(12)] == [1] * 12  # nothing lost, nothing twice
    assert await database.outbox.counts() == {"delivered": 12}


async def test_messages_for_a_messenger_this_relay_does_not_serve_wait_for_one_that_does(
    database, emulator, relay, clock
):
    """A Telegram-only process must not fail the VK rows a VK process would send (and the other way)."""
    elsewhere = await database.records.identify("vk", "77", "77")
    await database.records.choose_role(elsewhere.id, Role.GRADUATE, AgeBand.ADULT)
    await database.records.give_own_consent(elsewhere.id, version="v1", channel="vk")
    here = await member(database, emulator, 502)
    await database.outbox.enqueue([news(elsewhere.id, "vk", clock.now()), news(here, "tg", clock.now())])
    await drain(relay, clock, rounds=3)
    assert [m["text"].split("\n")[0] for m in emulator.transcript(502)] == ["Новость tg"]
    assert await database.outbox.counts() == {"delivered": 1, "pending": 1}
