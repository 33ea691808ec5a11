"""When a message due now may go, in the person's local time: quiet hours, the digest hour, contact time."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from backend_client.models import ContactTime
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


# «Удобное время для сообщений» (the profile's contact time): local windows, as the profile's buttons say.
CONTACT_WINDOWS: dict[ContactTime, tuple[time, time]] = {
    ContactTime.MORNING: (time(9, 0), time(12, 0)),
    ContactTime.AFTERNOON: (time(12, 0), time(17, 0)),
    ContactTime.EVENING: (time(17, 0), time(21, 0)),
}


def contact_window_start(now: datetime, contact: ContactTime | None, zone: ZoneInfo) -> datetime | None:
    """When the person's chosen window next opens, or None while it is open (or nothing was chosen)."""
    window = CONTACT_WINDOWS.get(contact) if contact is not None else None
    if window is None:  # not chosen, or «любое время»
        return None
    start, end = window
    local = now.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    if start <= clock < end:
        return None
    day = local.date() if clock < start else local.date() + timedelta(days=1)
    return datetime.combine(day, start, tzinfo=zone)
