"""Reading a catalogue file: both formats, local times, ranges, and every problem reported at once."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from backend_client.event_catalogue import CatalogueError, parse_catalogue
from backend_client.events import EventKind, check_draft
from backend_client.events_demo import demo_drafts
from backend_client.models import AgeBand, Role
from backend_client.reference import municipality

SAMARA = ZoneInfo("Europe/Samara")


def test_yaml_and_csv_read_the_same():
    yaml_text = """
- id: w-1
  kind: профпроба
  title: Сварщик
  organisation: Колледж
  municipality: сызрань
  address: ул. Ульяновская, 75
  starts: 2026-12-03 13:00
  ends: 2026-12-03 15:00
  capacity: 8
  roles: pupil, college_student
  grades: 9-11
  min_age: 14
"""
    csv_text = (
        "\ufeffid,kind,title,organisation,municipality,address,starts,ends,capacity,roles,grades,min_age\n"
        'w-1,trial,Сварщик,Колледж,36435,"ул. Ульяновская, 75",2026-12-03 13:00,2026-12-03 15:00,8,'
        "pupil college_student,9-11,14\n"
    )
    [from_yaml] = parse_catalogue(yaml_text, filename="a.yaml", zone=SAMARA)
    [from_csv] = parse_catalogue(csv_text, filename="a.csv", zone=SAMARA)
    assert from_yaml == from_csv
    assert from_yaml.kind is EventKind.TRIAL
    assert from_yaml.municipality == "36435"
    assert from_yaml.starts_at == datetime(2026, 12, 3, 9, 0, tzinfo=UTC)  # Samara is UTC+4
    assert from_yaml.audience.roles == (Role.PUPIL, Role.COLLEGE_STUDENT)
    assert (from_yaml.audience.grade_from, from_yaml.audience.grade_to) == (9, 11)
    assert from_yaml.audience.min_age_band is AgeBand.MINOR


def test_every_problem_is_reported():
    common = "kind: trial, title: T, organisation: O, municipality: Самара, address: A, capacity: 5"
    text = "\n".join(
        [
            "events:",
            f"  - {{id: a, {common}, starts: 2026-12-03 10:00}}",
            f'  - {{id: b, {common}, starts: "вчера", duration_minutes: 5}}',
            f"  - {{id: b, {common}, starts: 2026-12-03 10:00, duration_minutes: 5}}",
            f"  - {{id: b, {common}, starts: 2026-12-03 10:00, duration_minutes: 5}}",
        ]
    )
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text, filename="x.yml", zone=SAMARA)
    problems = caught.value.problems
    assert problems[0] == "entry 1: missing duration_minutes"
    assert problems[1].startswith("entry 2: ")
    assert problems[2] == "entry 4: id b appears twice"
    assert len(problems) == 3
    with pytest.raises(CatalogueError):
        parse_catalogue("just text", filename="x.yaml", zone=SAMARA)


def test_the_demo_catalogue_is_valid_and_ahead():
    today = date(2026, 11, 23)
    drafts = demo_drafts(today, SAMARA)
    assert len(drafts) >= 5
    assert len({d.external_id for d in drafts}) == len(drafts)
    for draft in drafts:
        check_draft(draft, municipality(draft.municipality) is not None)
        assert draft.starts_at.astimezone(SAMARA).date() > today
        assert 8 <= draft.starts_at.astimezone(SAMARA).hour <= 17  # daytime, for pupils
