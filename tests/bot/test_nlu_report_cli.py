"""`frontdoor report nlu` as an operator meets it, and the figures it prints."""

from __future__ import annotations

import asyncio
from datetime import date

from backend_client.clock import SystemClock
from backend_client.models import AskBand, AskCount
from backend_client.sql import migrate, open_database
from bot.nlu_report import format_asks, summarise

DAY = date(2026, 11, 20)


async def _count(url: str, asks: list[tuple[str, AskBand]]) -> None:
    database = await open_database(url, SystemClock())
    try:
        for intent, band in asks:
            await database.records.count_ask(intent, band)
    finally:
        await database.close()


def test_report_of_counted_questions(frontdoor, tmp_path):
    url = f"sqlite:///{tmp_path / 'ops.db'}"
    migrate(url)
    asks = [("find_job", AskBand.HIGH)] * 3 + [("find_job", AskBand.MEDIUM), ("greet", AskBand.LOW)]
    asyncio.run(_count(url, asks))
    result = frontdoor("report", "nlu", "--days", "7", "--database", url)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines() if line.strip()}
    assert rows["find_job"] == ["4", "80%", "75%", "25%", "0%"]
    assert rows["greet"] == ["1", "20%", "0%", "0%", "100%"]
    assert "Fallback rate: 20% (1 of 5" in result.stdout


def test_an_empty_period_says_so(frontdoor, tmp_path):
    result = frontdoor("report", "nlu", "--database", f"sqlite:///{tmp_path / 'empty.db'}")
    assert result.returncode == 0, result.stderr
    assert "No free-text questions in this period." in result.stdout


def test_days_must_be_a_positive_number(frontdoor, tmp_path):
    result = frontdoor("report", "nlu", "--days", "0", "--database", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 2
    assert "days is a whole number" in result.stderr


def test_fallbacks_are_low_answers_and_confident_out_of_scope():
    counts = [
        AskCount(DAY, "out_of_scope", AskBand.HIGH, 2),
        AskCount(DAY, "out_of_scope", AskBand.LOW, 1),
        AskCount(DAY, "events", AskBand.LOW, 1),
        AskCount(DAY, "events", AskBand.MEDIUM, 2),
        AskCount(date(2026, 11, 21), "events", AskBand.HIGH, 4),
    ]
    report = summarise(counts, DAY, date(2026, 11, 21))
    assert [(i.intent, i.asks) for i in report.intents] == [("events", 7), ("out_of_scope", 3)]
    assert (report.total, report.fallbacks) == (10, 4)
    text = format_asks(report)
    assert "Fallback rate: 40% (4 of 10" in text
    assert "2026-11-20 .. 2026-11-21" in text
