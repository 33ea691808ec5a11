"""Graduates' route to work: «Анкета выпускника» and the employment centres' bookings
(``backend_client/graduates/``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Protocol

from backend_client.graduates.centres import Booking, BookingReminder, Service, Slot, SlotImport, SlotRow
from backend_client.graduates.survey import SavedSurvey


class GraduateSurveys(Protocol):
    """A person's answers, one row each; saving them again re-scores."""

    async def survey(self, person_id: int) -> SavedSurvey | None: ...

    async def save_survey(
        self, person_id: int, answers: Mapping[str, str], *, press: str = ""
    ) -> SavedSurvey:
        """Check complete answers (BadAnswers: nothing written), store them with their score and a line
        of history; ConsentRequired without consent. A repeat of ``press`` saves nothing more."""
        ...

    async def delete_survey(self, person_id: int) -> bool:
        """Forget the answers and their history; False when there were none."""
        ...


class CentreBookings(Protocol):
    """A person's seat at their employment centre. One at a time; every change is once per press."""

    async def open_slots(self, municipality: str, service: Service, *, limit: int = 8) -> list[Slot]:
        """Slots not started yet with a free seat, soonest first."""
        ...

    async def booking(self, person_id: int) -> Booking | None: ...

    async def book(self, person_id: int, slot_id: int, *, press: str = "") -> Booking:
        """SlotGone, SlotFull (the database decides the last seat), AlreadyBooked, ConsentRequired."""
        ...

    async def move_booking(self, person_id: int, slot_id: int, *, press: str = "") -> Booking:
        """The seat changes to ``slot_id`` or nothing changes: NoBooking, SlotGone, SlotFull."""
        ...

    async def cancel_booking(self, person_id: int, *, press: str = "") -> bool:
        """False when there was nothing to cancel (or this press already cancelled it)."""
        ...


class CentreSlots(Protocol):
    """The slots operators publish (the command line)."""

    async def import_slots(self, rows: Iterable[SlotRow]) -> SlotImport: ...

    async def slots(
        self, *, municipality: str | None = None, since: datetime | None = None
    ) -> list[Slot]: ...

    async def remove_slot(self, slot_id: int, *, told: Callable[[Slot], str] | None = None) -> int | None:
        """Withdraw a slot and its seats (their reminders are withdrawn on the next sweep); each person who
        held a seat gets ``told(slot)`` once. The people told, or None when there is no such slot."""
        ...


class CentreReminderSources(Protocol):
    async def booking_reminders(self, *, starting_before: datetime) -> list[BookingReminder]:
        """Active bookings of slots not started yet that start before ``starting_before``."""
        ...


class Graduates(GraduateSurveys, CentreBookings, Protocol):
    """What the graduates' conversations use: the questionnaire and the bookings."""
