"""«Профтуры и профпробы»: the catalogue, sign-ups and what event reminders read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from backend_client.broadcasts import Actor
from backend_client.events import Event, EventDraft, ImportResult, ReminderTarget, Signup, SignupOutcome


class Events(Protocol):
    """«Профтуры и профпробы» for the people who sign up."""

    async def upcoming_events(
        self,
        person_id: int,
        *,
        municipality: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 5,
        offset: int = 0,
    ) -> list[Event]:
        """Scheduled, not started, with free places, for the person's role: their municipality first."""
        ...

    async def event(self, event_id: int) -> Event | None: ...

    async def sign_up(self, person_id: int, event_id: int) -> SignupOutcome:
        """Idempotent; capacity enforced in the store. Raises ConsentRequired and EventNotFound."""
        ...

    async def cancel_signup(self, person_id: int, event_id: int) -> bool: ...

    async def signups_of(self, person_id: int, *, active_only: bool = True) -> list[Signup]: ...


class EventCatalogue(Protocol):
    """Operators and the catalogue: each call checks the role in its own transaction (NotOperator)."""

    async def list_events(self, actor: Actor, *, include_past: bool = False) -> list[Event]: ...

    async def create_event(self, actor: Actor, draft: EventDraft) -> Event: ...

    async def move_event(
        self,
        actor: Actor,
        event_id: int,
        starts_at: datetime,
        ends_at: datetime | None = None,
        *,
        address: str | None = None,
        municipality_code: str | None = None,
    ) -> Event:
        """New time or place: version + 1. EventNotFound, EventClosed, BadEvent."""
        ...

    async def cancel_event(self, actor: Actor, event_id: int) -> Event:
        """Version + 1; the sign-ups stay, so the people can be told. EventNotFound, EventClosed."""
        ...

    async def import_events(self, actor: Actor, drafts: Sequence[EventDraft]) -> ImportResult:
        """Idempotent by external id, all or nothing."""
        ...


class EventReminderSources(Protocol):
    async def reminder_targets(
        self, *, starting_before: datetime, cancelled_since: datetime, moved_since: datetime | None = None
    ) -> list[ReminderTarget]:
        """Active sign-ups of events not started yet: scheduled ones starting before ``starting_before``
        or moved since ``moved_since``, and ones cancelled since ``cancelled_since``, with the person's
        linked parents and the event's moves since the sign-up."""
        ...
