"""Employment centres (ЦЗН) of the region's municipalities, their services, and the slots operators
publish for booking.

The centres are reference data (``centres.yaml``: demo contacts, labelled so); the slots come from the
centres as files an operator imports (``slot_rows``: CSV or YAML). A slot holds ``capacity`` seats and
the database hands each seat to one person at most: a full slot cannot be double-booked.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

import yaml

from backend_client.reference import BY_CODE

MAX_CAPACITY = 50  # seats of one slot: a consultant's hour, a group profiling at most


class Service(StrEnum):
    CONSULTATION = "consultation"
    PROFILING = "profiling"
    JOB_SEARCH = "job_search"
    TRAINING = "training"  # training or retraining
    SELF_EMPLOYMENT = "self_employment"


@dataclass(frozen=True, slots=True)
class Centre:
    municipality: str  # OKATO code
    name: str
    address: str
    phone: str
    hours: str


@dataclass(frozen=True, slots=True)
class Slot:
    id: int
    municipality: str
    service: Service
    starts_at: datetime
    capacity: int
    taken: int

    @property
    def free(self) -> int:
        return self.capacity - self.taken


@dataclass(frozen=True, slots=True)
class Booking:
    """A person's seat in a slot; ``version`` grows with every move (reminders follow it)."""

    person_id: int
    slot: Slot
    seat: int
    version: int
    booked_at: datetime


@dataclass(frozen=True, slots=True)
class SlotRow:
    """One line of an operator's slot file."""

    municipality: str
    service: Service
    starts_at: datetime
    capacity: int


@dataclass(frozen=True, slots=True)
class SlotImport:
    added: int
    changed: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class BookingReminder:
    """What the reminder rule reads of an active booking."""

    person_id: int
    slot_id: int
    seat: int
    version: int
    municipality: str
    service: Service
    starts_at: datetime
    booked_at: datetime


class CentreError(Exception):
    code = "centre_error"


class SlotGone(CentreError):
    """The slot was withdrawn, has started, or never existed."""

    code = "gone"


class SlotFull(CentreError):
    code = "full"


class NoBooking(CentreError):
    code = "no_booking"


class AlreadyBooked(CentreError):
    """One booking per person at a time: move it instead."""

    code = "already"


class BadSlotFile(ValueError):
    """A line of a slot file that cannot be read; the message names the line."""


@cache
def centres() -> dict[str, Centre]:
    text = resources.files(__package__).joinpath("centres.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)["centres"]
    return {str(item["municipality"]): Centre(**{k: str(v) for k, v in item.items()}) for item in raw}


def centre_of(municipality: str | None) -> Centre | None:
    return centres().get(municipality) if municipality else None


def slot_rows(text: str, *, yaml_file: bool, zone: ZoneInfo) -> list[SlotRow]:
    """Slots from a file: columns ``municipality, service, starts_at, capacity`` (a CSV header, or a YAML
    list of mappings); a time without an offset is the region's local time. BadSlotFile names the line."""
    records = _yaml_records(text) if yaml_file else list(csv.DictReader(io.StringIO(text)))
    return [_row(record, number, zone) for number, record in enumerate(records, start=1)]


def _yaml_records(text: str) -> list[dict[str, object]]:
    raw = yaml.safe_load(text)
    if isinstance(raw, dict):
        raw = raw.get("slots")
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise BadSlotFile("a YAML slot file is a list of slots (or a mapping with «slots:»)")
    return raw


def _row(record: dict[str, object], number: int, zone: ZoneInfo) -> SlotRow:
    try:
        code = str(record["municipality"]).strip()
        service = Service(str(record["service"]).strip())
        at = record["starts_at"]
        starts_at = at if isinstance(at, datetime) else datetime.fromisoformat(str(at).strip())
        capacity = int(str(record["capacity"]).strip())
    except (KeyError, ValueError) as bad:
        raise BadSlotFile(f"slot {number}: {bad}") from None
    if code not in BY_CODE:
        raise BadSlotFile(f"slot {number}: unknown municipality {code!r}")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise BadSlotFile(f"slot {number}: capacity must be 1..{MAX_CAPACITY}")
    if starts_at.tzinfo is None:
        starts_at = starts_at.replace(tzinfo=zone)
    return SlotRow(code, service, starts_at, capacity)
