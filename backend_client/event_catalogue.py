"""Reading an events catalogue (YAML or CSV) into drafts; times in the file are the region's local time.

One entry per event, the same keys in both formats::

    id: tlt-2026-12-03-auto          # the catalogue's own id: importing again updates, never duplicates
    kind: excursion                  # excursion | trial (also «профтур», «профпроба»)
    title, organisation, address     # free text
    municipality: Тольятти           # a name of the region's municipalities or its OKATO code
    starts: 2026-12-03 10:00         # local time
    ends: 2026-12-03 12:00           # or duration_minutes: 120
    capacity: 20
    roles: pupil college_student     # optional, separated by spaces or commas; empty: everyone
    grades: 8-9                      # optional range (or one number); courses likewise
    min_age: 14                      # optional: 14 admits 14-17 and adults, 18 adults only

YAML holds a list under ``events:`` (or a bare list). Problems are collected per entry with its number, so
an operator sees them all at once; nothing is imported while there are any.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import yaml

from backend_client.events import MAX_ADDRESS, MAX_CAPACITY, MAX_TITLE, EventAudience, EventDraft, EventKind
from backend_client.models import AgeBand, Role
from backend_client.reference import MUNICIPALITIES, municipality

_KINDS = {
    "excursion": EventKind.EXCURSION,
    "профтур": EventKind.EXCURSION,
    "экскурсия": EventKind.EXCURSION,
    "trial": EventKind.TRIAL,
    "профпроба": EventKind.TRIAL,
}
T = TypeVar("T")
_MUNICIPALITY_BY_NAME = {m.name.casefold().replace("ё", "е"): m.code for m in MUNICIPALITIES}


class CatalogueError(ValueError):
    """The file cannot be imported; ``problems`` lists each as "entry N: what" (CSV: "row N: what")."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class EntryError(ValueError):
    """One entry cannot be read; ``problems`` lists everything wrong with it, not just the first."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_catalogue(text: str, *, filename: str, zone: ZoneInfo) -> list[EventDraft]:
    """Drafts from a ``.yaml``/``.yml`` or ``.csv`` file's text. Raises CatalogueError naming every
    problem of every entry (a CSV entry by its row in the file, the header being row 1)."""
    is_csv = filename.lower().endswith(".csv")
    entries = _csv_entries(text) if is_csv else _yaml_entries(text)
    drafts: list[EventDraft] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        where = f"row {number + 1}" if is_csv else f"entry {number}"
        try:
            found = draft_of(entry, zone)
        except EntryError as problem:
            problems += [f"{where}: {reason}" for reason in problem.problems]
            continue
        if found.external_id in seen:
            problems.append(f"{where}: id {found.external_id} appears twice")
        seen.add(found.external_id or "")
        drafts.append(found)
    if problems:
        raise CatalogueError(problems)
    return drafts


def _reason(problem: Exception) -> str:
    if isinstance(problem, KeyError):
        return f"missing {problem.args[0]}"
    return str(problem)


def _yaml_entries(text: str) -> list[Mapping[str, Any]]:
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as problem:
        raise CatalogueError([f"not YAML: {problem}"]) from None
    items = loaded.get("events") if isinstance(loaded, dict) else loaded
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise CatalogueError(["expected a list of events (under 'events:')"])
    return items


def _csv_entries(text: str) -> list[Mapping[str, Any]]:
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return [
        {key.strip(): value for key, value in row.items() if key and value not in (None, "")} for row in rows
    ]


def draft_of(entry: Mapping[str, Any], zone: ZoneInfo) -> EventDraft:
    """One catalogue entry as a draft; EntryError lists every missing key and bad value of the entry,
    including what the store would refuse (an end before the start, a capacity out of range)."""
    problems: list[str] = []

    def read(key: str, parse: Callable[[Any], T], *, optional: bool = False) -> T | None:
        if optional and (entry.get(key) is None or str(entry.get(key)).strip() == ""):
            return parse(None)
        try:
            return parse(entry[key])
        except (KeyError, ValueError, TypeError) as problem:
            reason = _reason(problem)
            problems.append(reason if key.rstrip("s") in reason else f"{key}: {reason}")
            return None

    external_id = read("id", _external_id)
    kind = read("kind", _kind)
    title = read("title", lambda value: _text(value, MAX_TITLE))
    organisation = read("organisation", lambda value: _text(value, MAX_TITLE))
    address = read("address", lambda value: _text(value, MAX_ADDRESS))
    place = read("municipality", lambda value: municipality_code(str(value)))
    starts_at = read("starts", lambda value: local_moment(value, zone))
    if "ends" in entry:
        ends_at = read("ends", lambda value: local_moment(value, zone))
    else:
        minutes = read("duration_minutes", _whole)
        ends_at = starts_at + timedelta(minutes=minutes) if starts_at and minutes else None
    if starts_at and ends_at and ends_at <= starts_at:
        problems.append("ends before it starts")
    capacity = read("capacity", _capacity)
    roles = read("roles", _roles, optional=True)
    grades = read("grades", _range, optional=True)
    courses = read("courses", _range, optional=True)
    band = read("min_age", _age_band, optional=True)
    if problems:
        raise EntryError(problems)
    # Every reader above succeeded (a failure is a problem), so none of these is None here.
    assert kind is not None and starts_at is not None and ends_at is not None  # noqa: PT018
    assert roles is not None and grades is not None and courses is not None  # noqa: PT018
    return EventDraft(
        kind=kind,
        title=title or "",
        organisation=organisation or "",
        municipality=place or "",
        address=address or "",
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity or 0,
        audience=EventAudience(
            roles=roles,
            grade_from=grades[0],
            grade_to=grades[1],
            course_from=courses[0],
            course_to=courses[1],
            min_age_band=band,
        ),
        external_id=external_id,
    )


def _external_id(value: Any) -> str:
    text = str(value).strip()
    if not text or len(text) > 64:
        raise ValueError("must be 1-64 characters")
    return text


def _kind(value: Any) -> EventKind:
    kind = _KINDS.get(str(value).strip().casefold())
    if kind is None:
        raise ValueError(f"unknown kind {value!r}")
    return kind


def _text(value: Any, limit: int) -> str:
    text = str(value).strip()
    if not text:
        raise ValueError("is empty")
    if len(text) > limit:
        raise ValueError(f"longer than {limit} characters")
    return text


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not str(value).strip().isdigit():
        raise ValueError(f"expected a whole number, got {value!r}")
    return int(value)


def _capacity(value: Any) -> int:
    capacity = _whole(value)
    if not 1 <= capacity <= MAX_CAPACITY:
        raise ValueError(f"must be 1-{MAX_CAPACITY}, got {capacity}")
    return capacity


def _roles(value: Any) -> tuple[Role, ...]:
    names = str(value or "").replace(",", " ").split()
    unknown = [name for name in names if name not in Role._value2member_map_]
    if unknown:
        raise ValueError(f"unknown role {unknown[0]!r} (one of: {', '.join(r.value for r in Role)})")
    return tuple(Role(name) for name in names)


def local_moment(value: Any, zone: ZoneInfo) -> datetime:
    """``2026-12-03 10:00`` (or a YAML timestamp) in the region's zone unless it names its own offset."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def municipality_code(value: str) -> str:
    text = value.strip()
    if municipality(text) is not None:
        return text
    code = _MUNICIPALITY_BY_NAME.get(text.casefold().replace("ё", "е"))
    if code is None:
        raise ValueError(f"unknown municipality {text!r}")
    return code


def _range(value: Any) -> tuple[int | None, int | None]:
    if value is None or str(value).strip() == "":
        return None, None
    low, _, high = str(value).replace("–", "-").partition("-")
    if not low.strip().isdigit() or not (high or low).strip().isdigit():
        raise ValueError(f"expected N or N-M, got {value!r}")
    return int(low), int(high or low)


def _age_band(value: Any) -> AgeBand | None:
    if value is None or str(value).strip() == "":
        return None
    age = _whole(value)
    return None if age < 14 else AgeBand.of_age(age)
