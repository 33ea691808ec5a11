"""Quiet hours in local time: windows within a day and across midnight."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from backend_client.outreach import ADULT_QUIET_HOURS, MINOR_QUIET_HOURS, QuietHours
from notifications.quiet import digest_time, quiet_until

SAMARA = ZoneInfo("Europe/Samara")  # UTC+4


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SAMARA)


@pytest.mark.parametrize(
    ("now", "quiet", "until"),
    [
        (local(23, 20, 59), MINOR_QUIET_HOURS, None),
        (local(23, 21, 0), MINOR_QUIET_HOURS, local(24, 9)),
        (local(24, 3, 0), MINOR_QUIET_HOURS, local(24, 9)),
        (local(24, 8, 59), MINOR_QUIET_HOURS, local(24, 9)),
        (local(24, 9, 0), MINOR_QUIET_HOURS, None),
        (local(23, 21, 30), ADULT_QUIET_HOURS, None),
        (local(23, 22, 0), ADULT_QUIET_HOURS, local(24, 8)),
        (local(23, 13, 0), QuietHours(time(13, 0), time(15, 0)), local(23, 15)),
        (local(23, 15, 0), QuietHours(time(13, 0), time(15, 0)), None),
    ],
)
def test_quiet_until(now, quiet, until):
    assert quiet_until(now, quiet, SAMARA) == until


def test_the_window_is_read_in_local_time_whatever_the_clock_zone():
    utc_evening = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)  # 21:30 in Samara
    assert quiet_until(utc_evening, MINOR_QUIET_HOURS, SAMARA) == local(24, 9)


@pytest.mark.parametrize(
    ("now", "evening"),
    [
        (local(23, 12, 0), local(23, 18)),
        (local(23, 18, 0), None),
        (local(23, 18, 59), None),
        (local(23, 19, 0), local(24, 18)),
    ],
)
def test_digest_time(now, evening):
    assert digest_time(now, SAMARA) == evening
