"""Quiet hours as the records keep them: the default for a person's age, and minutes after local midnight.

A pure rule (no storage, no clock): the outbox applies the default to people who chose none, and the
preferences store keeps a chosen window as two minute counts. When a quiet window is on is decided by
``notifications/quiet.py`` at send time.
"""

from __future__ import annotations

from datetime import time

from backend_client.models import AgeBand
from backend_client.outreach import ADULT_QUIET_HOURS, MINOR_QUIET_HOURS, QuietHours


def default_quiet_hours(age_band: AgeBand | None) -> QuietHours:
    """Minors get the longer night; an unknown age is treated as a minor (the safer side)."""
    return ADULT_QUIET_HOURS if age_band is AgeBand.ADULT else MINOR_QUIET_HOURS


def minutes_of(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def time_of(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)
