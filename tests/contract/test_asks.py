"""Counts of what people ask in free text, over SQLite and PostgreSQL: per day, intent and band, nothing
else."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from backend_client.models import AskBand, AskCount
from backend_client.sql.tables import nlu_asks


async def test_each_answer_adds_one_to_its_day_intent_and_band(records, clock):
    today = clock.now().date()
    await records.count_ask("find_job", AskBand.HIGH)
    await records.count_ask("find_job", AskBand.HIGH)
    await records.count_ask("find_job", AskBand.MEDIUM)
    await records.count_ask("out_of_scope", AskBand.LOW)
    assert await records.ask_counts(today) == [
        AskCount(today, "find_job", AskBand.HIGH, 2),
        AskCount(today, "find_job", AskBand.MEDIUM, 1),
        AskCount(today, "out_of_scope", AskBand.LOW, 1),
    ]


async def test_days_are_kept_apart_and_since_leaves_older_ones_out(records, clock):
    first = clock.now().date()
    await records.count_ask("greet", AskBand.HIGH)
    clock.advance(timedelta(days=1))
    await records.count_ask("greet", AskBand.HIGH)
    await records.count_ask("greet", AskBand.HIGH)
    second = clock.now().date()
    assert await records.ask_counts(first) == [
        AskCount(first, "greet", AskBand.HIGH, 1),
        AskCount(second, "greet", AskBand.HIGH, 2),
    ]
    assert await records.ask_counts(second) == [AskCount(second, "greet", AskBand.HIGH, 2)]
    assert await records.ask_counts(second + timedelta(days=1)) == []


async def test_counting_the_same_key_at_once_loses_nothing(records, clock):
    await asyncio.gather(*(records.count_ask("thanks", AskBand.HIGH) for _ in range(20)))
    assert await records.ask_counts(clock.now().date()) == [
        AskCount(clock.now().date(), "thanks", AskBand.HIGH, 20)
    ]


def test_the_table_has_no_room_for_text_or_people():
    assert {c.name for c in nlu_asks.columns} == {"day", "intent", "band", "count"}
