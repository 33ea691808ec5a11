"""Reminders of a booking at the employment centre, derived from the seats on every sweep.

For each held seat of a slot not started yet: one reminder at 18:00 local the day before (at once when
the booking came later, unless the slot is less than ``eve_min_lead`` away) and one two hours before.
Keys carry the slot, the seat and the seat's version (which grows with every taking), so a moved booking
is another seat and its old reminders are withdrawn by the runner; a cancelled one, or a withdrawn slot,
wants nothing and its pending reminders are withdrawn too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from backend_client.graduates.centres import BookingReminder, centre_of
from backend_client.outreach import Category, Notice, Priority
from backend_client.ports import CentreReminderSources
from dialogs.texts import t
from dialogs.views.graduates import service_name
from notifications.moments import mark

EVE_AT = time(18, 0)  # local time of the reminder the day before


@dataclass(frozen=True, slots=True)
class CentreRemindersRule:
    sources: CentreReminderSources
    zone: ZoneInfo
    soon_before: timedelta = timedelta(hours=2)
    eve_min_lead: timedelta = timedelta(hours=6)  # closer than this, the two-hour reminder is enough
    horizon: timedelta = timedelta(days=2)  # enqueue no earlier than this before the start (eve fits)
    prefix: str = "centre:"

    async def wanted(self, now: datetime) -> list[Notice]:
        bookings = await self.sources.booking_reminders(starting_before=now + self.horizon)
        return [notice for booking in bookings for notice in self._notices(booking)]

    def _notices(self, booking: BookingReminder) -> Iterator[Notice]:
        starts, booked = booking.starts_at, booking.booked_at
        soon_at = starts - self.soon_before
        eve_day = starts.astimezone(self.zone).date() - timedelta(days=1)
        eve_at = datetime.combine(eve_day, EVE_AT, tzinfo=self.zone)
        if booked < starts - self.eve_min_lead and eve_at < soon_at:
            yield self._notice(booking, "eve", max(eve_at, booked), soon_at)
        if booked < soon_at:
            yield self._notice(booking, "soon", soon_at, starts)

    def _notice(self, booking: BookingReminder, kind: str, at: datetime, until: datetime) -> Notice:
        centre = centre_of(booking.municipality)
        text = t(
            f"centre.remind.{kind}",
            at=mark(booking.starts_at, capital=kind == "soon"),
            service=service_name(booking.service),
            name=centre.name if centre else "",
            address=centre.address if centre else "",
        )
        return Notice(
            key=f"{self.prefix}{booking.slot_id}:{booking.seat}:v{booking.version}:{booking.person_id}:{kind}",
            person_id=booking.person_id,
            category=Category.REMINDERS,
            text=text,
            not_before=at,
            priority=Priority.HIGH,
            expires_at=until,
        )
