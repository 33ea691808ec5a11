"""Reminders of «профтуры» and «профпробы», derived from the sign-ups on every sweep.

For each active sign-up of a scheduled event: one reminder at 18:00 local the day before (at once when
the sign-up came later, unless the event is less than ``eve_min_lead`` away) and one two hours before the
start, each to the person and to every linked parent. Keys carry the event's version, so moving the event
withdraws the old reminders (the runner cancels pending keys the rule no longer wants) and makes new
ones; a cancelled sign-up or event wants nothing, and a cancelled event gets one «отменено» notice per
person and parent instead. Quiet hours and the person's choices for the «events» category are the
relay's job: a reminder falling in a minor's night waits for the morning, and expires at the start.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from backend_client.events import Event, EventStatus, ReminderTarget
from backend_client.outreach import Category, Notice, Priority
from backend_client.ports import EventReminderSources
from dialogs.flows.events_view import kind_name, place_title, when_text
from dialogs.texts import t

EVE_AT = time(18, 0)  # local time of the reminder the day before


@dataclass(frozen=True, slots=True)
class EventRemindersRule:
    sources: EventReminderSources
    zone: ZoneInfo
    soon_before: timedelta = timedelta(hours=2)
    eve_min_lead: timedelta = timedelta(hours=6)  # closer than this, the two-hour reminder is enough
    horizon: timedelta = timedelta(days=2)  # enqueue no earlier than this before the start (eve fits)
    cancel_window: timedelta = timedelta(days=2)  # how long after a cancellation its notice is still due
    prefix: str = "event:"

    async def wanted(self, now: datetime) -> list[Notice]:
        targets = await self.sources.reminder_targets(
            starting_before=now + self.horizon, cancelled_since=now - self.cancel_window
        )
        return [notice for target in targets for notice in self._notices(target)]

    def _notices(self, target: ReminderTarget) -> Iterator[Notice]:
        event = target.event
        if event.status is EventStatus.CANCELLED:
            yield from self._each(
                target, "cancelled", event.cancelled_at or event.updated_at, event.starts_at
            )
            return
        soon_at = event.starts_at - self.soon_before
        eve_day = event.starts_at.astimezone(self.zone).date() - timedelta(days=1)
        eve_at = datetime.combine(eve_day, EVE_AT, tzinfo=self.zone)
        if target.signed_up_at < event.starts_at - self.eve_min_lead and eve_at < soon_at:
            yield from self._each(target, "eve", max(eve_at, target.signed_up_at), soon_at)
        if target.signed_up_at < soon_at:
            yield from self._each(target, "soon", soon_at, event.starts_at)

    def _each(self, target: ReminderTarget, kind: str, at: datetime, until: datetime) -> Iterator[Notice]:
        """The notice for the person and one for each linked parent, keyed by event version and both ids."""
        event = target.event
        stage = "cancelled" if kind == "cancelled" else f"v{event.version}:{kind}"
        for recipient in (target.person_id, *target.guardian_ids):
            parent = recipient != target.person_id
            yield Notice(
                key=f"{self.prefix}{event.id}:{stage}:{target.person_id}:{recipient}",
                person_id=recipient,
                category=Category.EVENTS,
                text=self._text(event, kind, parent=parent, name=target.display_name),
                not_before=at,
                priority=Priority.HIGH,
                expires_at=until,
            )

    def _text(self, event: Event, kind: str, *, parent: bool, name: str | None) -> str:
        start = event.starts_at.astimezone(self.zone)
        return t(
            f"events.remind.{kind}_parent" if parent else f"events.remind.{kind}",
            kind=kind_name(event),
            title=event.title,
            when=when_text(event, self.zone),
            start=f"{start:%H:%M}",
            place=place_title(event.municipality),
            address=event.address,
            name=name or t("events.remind.child"),
        )
