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
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from backend_client.events import EventAudience, EventDraft, EventKind
from backend_client.models import AgeBand, Role
from backend_client.reference import MUNICIPALITIES, municipality

_KINDS = {
    "excursion": EventKind.EXCURSION,
    "профтур": EventKind.EXCURSION,
    "экскурсия": EventKind.EXCURSION,
    "trial": EventKind.TRIAL,
    "профпроба": EventKind.TRIAL,
}
_MUNICIPALITY_BY_NAME = {m.name.casefold().replace("ё", "е"): m.code for m in MUNICIPALITIES}


class CatalogueError(ValueError):
    """The file cannot be imported; ``problems`` lists each as "entry N: what"."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_catalogue(text: str, *, filename: str, zone: ZoneInfo) -> list[EventDraft]:
    """Drafts from a ``.yaml``/``.yml`` or ``.csv`` file's text. Raises CatalogueError."""
    entries = _csv_entries(text) if filename.lower().endswith(".csv") else _yaml_entries(text)
    drafts: list[EventDraft] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        try:
            found = draft_of(entry, zone)
        except (KeyError, ValueError, TypeError) as problem:
            problems.append(f"entry {number}: {_reason(problem)}")
            continue
        if found.external_id in seen:
            problems.append(f"entry {number}: id {found.external_id} appears twice")
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
    """One catalogue entry as a draft (KeyError for a missing key, ValueError for a bad value)."""
    external_id = str(entry["id"]).strip()
    if not external_id or len(external_id) > 64:
        raise ValueError("id must be 1-64 characters")
    kind = _KINDS.get(str(entry["kind"]).strip().casefold())
    if kind is None:
        raise ValueError(f"unknown kind {entry['kind']!r}")
    starts_at = local_moment(entry["starts"], zone)
    if "ends" in entry:
        ends_at = local_moment(entry["ends"], zone)
    else:
        ends_at = starts_at + timedelta(minutes=int(entry["duration_minutes"]))
    return EventDraft(
        kind=kind,
        title=str(entry["title"]).strip(),
        organisation=str(entry["organisation"]).strip(),
        municipality=municipality_code(str(entry["municipality"])),
        address=str(entry["address"]).strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=int(entry["capacity"]),
        audience=EventAudience(
            roles=tuple(Role(value) for value in str(entry.get("roles", "")).replace(",", " ").split()),
            grade_from=_range(entry.get("grades"))[0],
            grade_to=_range(entry.get("grades"))[1],
            course_from=_range(entry.get("courses"))[0],
            course_to=_range(entry.get("courses"))[1],
            min_age_band=_age_band(entry.get("min_age")),
        ),
        external_id=external_id,
    )


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
    return int(low), int(high or low)


def _age_band(value: Any) -> AgeBand | None:
    if value is None or str(value).strip() == "":
        return None
    age = int(value)
    return None if age < 14 else AgeBand.of_age(age)
