"""Moments worded for the local day a message goes: today, tomorrow, a date otherwise; marks survive
concatenation (a digest) and a text without marks is left alone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from notifications.moments import mark, resolve, words

SAMARA = ZoneInfo("Europe/Samara")
EVENT = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # Thursday 3 December, 10:00 in Samara


def test_the_day_is_counted_in_local_time():
    assert words(EVENT, datetime(2026, 12, 3, 1, 0, tzinfo=UTC), SAMARA) == "сегодня в 10:00"
    # 23:30 UTC on the 2nd is already 03:30 on the 3rd in Samara
    assert words(EVENT, datetime(2026, 12, 2, 23, 30, tzinfo=UTC), SAMARA) == "сегодня в 10:00"
    assert words(EVENT, datetime(2026, 12, 2, 14, 0, tzinfo=UTC), SAMARA) == "завтра в 10:00"
    assert words(EVENT, datetime(2026, 12, 1, 14, 0, tzinfo=UTC), SAMARA, capital=True) == "3 декабря в 10:00"


def test_marks_are_resolved_wherever_they_stand():
    text = f"🔔 {mark(EVENT, capital=True)}: профтур\n\n🔁 было {mark(EVENT)}"
    sent = resolve(text, datetime(2026, 12, 2, 14, 0, tzinfo=UTC), SAMARA)
    assert sent == "🔔 Завтра в 10:00: профтур\n\n🔁 было завтра в 10:00"
    assert resolve("Новость без дат", datetime(2026, 12, 2, tzinfo=UTC), SAMARA) == "Новость без дат"
