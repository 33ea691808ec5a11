"""Reminders of «профтуры» and «профпробы», derived from the sign-ups on every sweep.

For each active sign-up of a scheduled event: one reminder at 18:00 local the day before (at once when
the sign-up came later, unless the event is less than ``eve_min_lead`` away) and one two hours before the
start, each to the person and to every linked parent. Keys carry the event's version, so moving the event
withdraws the old reminders (the runner cancels pending keys the rule no longer wants) and makes new
ones; a cancelled sign-up or event wants nothing, and a cancelled event gets one «отменено» notice per
person and parent instead.

A move (a new time or place) is announced once per move: «было … → стало …», keyed by the version the
move made. «Было» is what the person signed up for (the first move since the sign-up), so a notice of an
earlier move that was withdrawn unsent is never missed and one already read is never contradicted.

Days are worded when the message is sent (``notifications.moments``): a reminder written the evening
before and held to the morning by quiet hours says «сегодня», not «завтра». Quiet hours, contact times
and the person's choices for the «events» category are the relay's job; a reminder that cannot go before
its moment expires.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from backend_client.events import Event, EventMove, EventStatus, ReminderTarget
from backend_client.outreach import Category, Notice, Priority
from backend_client.ports import EventReminderSources
from dialogs.texts import t
from dialogs.views.events import kind_name, place_title, when_text
from notifications.moments import mark

EVE_AT = time(18, 0)  # local time of the reminder the day before


@dataclass(frozen=True, slots=True)
class EventRemindersRule:
    sources: EventReminderSources
    zone: ZoneInfo
    soon_before: timedelta = timedelta(hours=2)
    eve_min_lead: timedelta = timedelta(hours=6)  # closer than this, the two-hour reminder is enough
    horizon: timedelta = timedelta(days=2)  # enqueue no earlier than this before the start (eve fits)
    cancel_window: timedelta = timedelta(days=2)  # how long after a cancellation its notice is still due
    move_window: timedelta = timedelta(days=2)  # how long after a move its notice is still due
    prefix: str = "event:"

    async def wanted(self, now: datetime) -> list[Notice]:
        targets = await self.sources.reminder_targets(
            starting_before=now + self.horizon,
            cancelled_since=now - self.cancel_window,
            moved_since=now - self.move_window,
        )
        return [notice for target in targets for notice in self._notices(target, now)]

    def _notices(self, target: ReminderTarget, now: datetime) -> Iterator[Notice]:
        event = target.event
        if event.status is EventStatus.CANCELLED:
            yield from self._each(
                target, "cancelled", event.cancelled_at or event.updated_at, event.starts_at
            )
            return
        move = self._unannounced_move(target, now)
        if move is not None:
            yield from self._each(target, "moved", max(move.moved_at, target.signed_up_at), event.starts_at)
        if event.starts_at >= now + self.horizon:
            return
        soon_at = event.starts_at - self.soon_before
        eve_day = event.starts_at.astimezone(self.zone).date() - timedelta(days=1)
        eve_at = datetime.combine(eve_day, EVE_AT, tzinfo=self.zone)
        if target.signed_up_at < event.starts_at - self.eve_min_lead and eve_at < soon_at:
            yield from self._each(target, "eve", max(eve_at, target.signed_up_at), soon_at)
        if target.signed_up_at < soon_at:
            yield from self._each(target, "soon", soon_at, event.starts_at)

    def _unannounced_move(self, target: ReminderTarget, now: datetime) -> EventMove | None:
        """The first move since the sign-up, when the latest move is recent and changed time or place."""
        if not target.moves or target.moves[-1].moved_at < now - self.move_window:
            return None
        first, event = target.moves[0], target.event
        if (first.starts_at, first.municipality, first.address) == (
            event.starts_at,
            event.municipality,
            event.address,
        ):
            return None  # moved there and back, or only the end changed: nothing to tell
        return first

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
                text=self._text(target, kind, parent=parent),
                not_before=at,
                priority=Priority.HIGH,
                expires_at=until,
            )

    def _text(self, target: ReminderTarget, kind: str, *, parent: bool) -> str:
        event = target.event
        values = {
            "kind": kind_name(event),
            "title": event.title,
            "when": when_text(event, self.zone),
            "place": place_title(event.municipality),
            "address": event.address,
            "name": target.display_name or t("events.remind.child"),
            # «Сегодня в 16:00» / «Завтра в 10:00» / «3 декабря в 10:00», worded when it is sent
            "at": mark(event.starts_at, capital=kind == "eve"),
        }
        if kind == "moved":
            values["was"], values["became"] = self._move_words(target.moves[0], event)
        return t(f"events.remind.{kind}_parent" if parent else f"events.remind.{kind}", **values)

    @staticmethod
    def _move_words(before: EventMove, event: Event) -> tuple[str, str]:
        """«завтра в 10:00» → «3 декабря в 12:00», with the place on both sides when it changed too."""
        if (before.municipality, before.address) == (event.municipality, event.address):
            return mark(before.starts_at), mark(event.starts_at)
        return (
            t(
                "events.remind.moved_place",
                at=mark(before.starts_at),
                place=place_title(before.municipality),
                address=before.address,
            ),
            t(
                "events.remind.moved_place",
                at=mark(event.starts_at),
                place=place_title(event.municipality),
                address=event.address,
            ),
        )
