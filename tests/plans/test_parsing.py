"""Dates as people and files write them: a graduation («июнь 2026», «06.2026») and a deadline."""

from __future__ import annotations

from datetime import date

import pytest

from backend_client.plans import months_after, parse_day
from dialogs.flows.plan.graduation import parse_graduation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("06.2026", date(2026, 6, 1)),
        ("6/2026", date(2026, 6, 1)),
        ("2026-06", date(2026, 6, 1)),
        ("июнь 2026", date(2026, 6, 1)),
        ("в июне 2026 года", date(2026, 6, 1)),
        ("Май 2025", date(2025, 5, 1)),
        ("в мае 2025 г.", date(2025, 5, 1)),
        ("марта 2027", date(2027, 3, 1)),
        ("30.06.2026", date(2026, 6, 30)),
        ("2026-06-30", date(2026, 6, 30)),
    ],
)
def test_a_graduation_reads(text: str, expected: date) -> None:
    assert parse_graduation(text) == expected


@pytest.mark.parametrize(
    "text", ["", "2026", "июнь", "13.2026", "00.2026", "скоро", "мартышка 2026", "31.02.2026", "летом 2026"]
)
def test_what_is_not_a_graduation(text: str) -> None:
    assert parse_graduation(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("20.12.2026", date(2026, 12, 20)), ("1/2/2027", date(2027, 2, 1)), ("2026-12-20", date(2026, 12, 20))],
)
def test_a_deadline_reads(text: str, expected: date) -> None:
    assert parse_day(text) == expected


@pytest.mark.parametrize("text", ["31.02.2026", "20.12", "завтра", "2026/12/20", "20.12.26"])
def test_what_is_not_a_deadline(text: str) -> None:
    assert parse_day(text) is None


def test_months_after_keeps_the_day_or_takes_the_months_last() -> None:
    assert months_after(date(2026, 6, 1), 3) == date(2026, 9, 1)
    assert months_after(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert months_after(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert months_after(date(2026, 6, 15), 12) == date(2027, 6, 15)
