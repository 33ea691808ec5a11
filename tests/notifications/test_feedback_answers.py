"""The centre's answer to a ticket travels as any outbox message: an answer written at night reaches a
pupil after their quiet hours, once, with 👍/👎 and «Ответить центру» as buttons (real relay, real
aiogram client, the Bot API emulator, virtual time)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend_client.broadcasts import Actor
from backend_client.feedback import Topic
from backend_client.models import AgeBand, Role
from backend_client.outreach import Category, DeliveryMode
from bot.telegram.runner import open_bot
from bot.telegram.sender import TelegramSender
from dialogs.views.feedback import RATE, REPLY, reply_notice
from notifications.ratelimit import MemoryRateLimiter
from notifications.relay import Relay, RelayPolicy
from tests.telegram_emulator import TelegramEmulator

TOKEN = "123456:TEST-token"
SAMARA = ZoneInfo("Europe/Samara")
EVENING = datetime(2026, 11, 23, 18, 30, tzinfo=UTC)  # 22:30 in Samara: a pupil's quiet hours


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(TOKEN) as running:
        yield running


@pytest.fixture
async def relay(database, emulator, clock) -> AsyncIterator[Relay]:
    clock.set(EVENING)
    bot = open_bot(TOKEN, emulator.base_url)
    epoch = clock.now()
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
        )
    finally:
        await bot.session.close()


async def test_an_answer_written_at_night_reaches_a_pupil_in_the_morning(database, emulator, relay, clock):
    emulator.user(701, started=True)
    records = database.records
    pupil = await records.identify("telegram", "701", "701")
    await records.choose_role(pupil.id, Role.PUPIL, AgeBand.MINOR)
    await records.give_own_consent(pupil.id, version="v1", channel="telegram")
    await records.identify("telegram", "900", "900")
    await database.broadcasts.grant_operator("telegram", "900", by="test")
    ticket = await database.feedback.open_ticket(pupil.id, Topic.QUESTION, ["Когда профтур?"], shared=False)

    await database.feedback.answer_ticket(
        Actor("telegram", "900", "p1"),
        ticket.id,
        "Профтур в субботу в 10:00.",
        lambda number, text: reply_notice(number, text, "Региональный центр"),
    )
    await relay.run_once()
    assert emulator.transcript(701) == []  # 22:30: held
    clock.set(datetime(2026, 11, 24, 4, 59, tzinfo=UTC))  # 08:59
    await relay.run_once()
    assert emulator.transcript(701) == []
    clock.set(datetime(2026, 11, 24, 5, 0, tzinfo=UTC))  # 09:00: the night is over
    await relay.run_once()
    await relay.run_once()
    [answer] = emulator.transcript(701)
    assert answer["text"].startswith(f"Ответ на ваше обращение №{ticket.id}")
    assert "Профтур в субботу в 10:00." in answer["text"]
    assert "— Региональный центр" in answer["text"]
    assert "900" not in answer["text"]  # never the operator's account
    payloads = [
        button["callback_data"] for row in answer["reply_markup"]["inline_keyboard"] for button in row
    ]
    assert payloads == [f"~{RATE}:{ticket.id}.1", f"~{RATE}:{ticket.id}.0", f"~{REPLY}:{ticket.id}"]
    assert "ответ на ваше обращение в региональный центр" in answer["text"]  # why it came; no «stop»
    assert await database.outbox.counts() == {"delivered": 1}
    clock.advance(timedelta(hours=1))
    await relay.run_once()
    assert len(emulator.transcript(701)) == 1  # once


async def test_an_answer_comes_whatever_the_person_switched_off(database, emulator, relay, clock):
    """A reply to the person's own ticket is not a subscription: switched-off or daily categories (even a
    forged «stop» of it) neither drop it nor hold it for the evening."""
    clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))  # 12:00 in Samara
    emulator.user(702, started=True)
    records = database.records
    adult = await records.identify("telegram", "702", "702")
    await records.choose_role(adult.id, Role.GRADUATE, AgeBand.ADULT)
    await records.give_own_consent(adult.id, version="v1", channel="telegram")
    for category in Category:
        mode = DeliveryMode.DIGEST if category is Category.NEWS else DeliveryMode.OFF
        await records.set_delivery_mode(adult.id, category, mode)
    await records.identify("telegram", "900", "900")
    await database.broadcasts.grant_operator("telegram", "900", by="test")
    ticket = await database.feedback.open_ticket(adult.id, Topic.MY_DATA, ["Удалите телефон"], shared=False)
    await database.feedback.answer_ticket(
        Actor("telegram", "900", "p2"), ticket.id, "Удалили.", lambda n, text: reply_notice(n, text, "Центр")
    )
    await relay.run_once()
    await relay.run_once()
    [answer] = emulator.transcript(702)
    assert "Удалили." in answer["text"]
    assert await database.outbox.counts() == {"delivered": 1}
