"""Quiet hours: when a message due now may go, in the person's local time."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from backend_client.outreach import QuietHours


def quiet_until(now: datetime, quiet: QuietHours, zone: ZoneInfo) -> datetime | None:
    """The end of the quiet window ``now`` falls in (as an aware UTC-comparable time), or None.

    Windows may cross midnight (21:00–09:00). The end is computed on the local calendar, so a daylight
    saving change (none in Samara today, but the zone decides) still ends the night at 09:00 local.
    """
    local = now.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    start, end = quiet.start, quiet.end
    if start < end:
        inside = start <= clock < end
        end_day = local.date()
    else:  # crosses midnight
        inside = clock >= start or clock < end
        end_day = local.date() + timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return None
    return datetime.combine(end_day, end, tzinfo=zone)


DIGEST_HOUR = time(18, 0)  # local time when messages chosen "once a day" go out


def digest_time(now: datetime, zone: ZoneInfo) -> datetime | None:
    """The next digest hour, or None while the digest hour is on (then the messages go)."""
    local = now.astimezone(zone)
    if local.hour == DIGEST_HOUR.hour:
        return None
    day = local.date() if local.time() < DIGEST_HOUR else local.date() + timedelta(days=1)
    return datetime.combine(day, DIGEST_HOUR, tzinfo=zone)
