"""`frontdoor events` as an operator meets it: import, list, move, cancel, demo."""

from __future__ import annotations

CATALOGUE = """\
events:
  - id: tec-1
    kind: профтур
    title: Экскурсия на ТЭЦ
    organisation: Самарская ТЭЦ
    municipality: Самара
    address: ул. Энергетиков, 1
    starts: 2099-12-03 10:00
    duration_minutes: 90
    capacity: 10
    roles: pupil
    grades: 8-9
"""


def test_import_list_move_and_cancel(frontdoor, tmp_path):
    database = f"sqlite:///{tmp_path / 'events.db'}"
    (tmp_path / "events.yaml").write_text(CATALOGUE, encoding="utf-8")
    first = frontdoor("events", "import", "events.yaml", "--database", database)
    assert first.returncode == 0, first.stderr
    assert "1 new, 0 updated, 0 unchanged" in first.stdout
    again = frontdoor("events", "import", "events.yaml", "--database", database)
    assert "0 new, 0 updated, 1 unchanged" in again.stdout
    listed = frontdoor("events", "list", "--database", database).stdout
    assert "1\texcursion\tscheduled\t2099-12-03 10:00\t0/10\t36401\tv1\tЭкскурсия на ТЭЦ" in listed
    moved = frontdoor("events", "move", "1", "--at", "2099-12-04 11:00", "--database", database)
    assert moved.returncode == 0, moved.stderr
    assert "2099-12-04 11:00" in moved.stdout
    assert "\tv2\t" in moved.stdout
    cancelled = frontdoor("events", "cancel", "1", "--database", database)
    assert "cancelled\t2099-12-04 11:00" in cancelled.stdout
    twice = frontdoor("events", "cancel", "1", "--database", database)
    assert twice.returncode == 2
    assert "event_closed" in twice.stderr
    missing = frontdoor("events", "move", "99", "--at", "2099-12-04 11:00", "--database", database)
    assert (missing.returncode, missing.stderr.strip()) == (2, "frontdoor: no event 99")


def test_bad_input_is_one_line_per_problem(frontdoor, tmp_path):
    database = f"sqlite:///{tmp_path / 'events.db'}"
    (tmp_path / "events.csv").write_text(
        "id,kind,title,organisation,municipality,address,starts,duration_minutes,capacity\n"
        "x1,party,Т,О,Самара,А,2099-12-03 10:00,60,5\n"
        "x2,trial,Т,О,Атлантида,А,2099-12-03 10:00,60,5\n",
        encoding="utf-8",
    )
    refused = frontdoor("events", "import", "events.csv", "--database", database)
    assert refused.returncode == 2
    assert "row 2: unknown kind 'party'" in refused.stderr
    assert "row 3: unknown municipality 'Атлантида'" in refused.stderr
    assert "Traceback" not in refused.stderr
    bad_time = frontdoor("events", "move", "1", "--at", "завтра", "--database", database)
    assert bad_time.returncode == 2
    assert frontdoor("events", "import", "absent.yaml", "--database", database).returncode == 2


def test_demo_catalogue_is_dated_from_today(frontdoor, tmp_path):
    database = f"sqlite:///{tmp_path / 'events.db'}"
    loaded = frontdoor("events", "demo", "--database", database)
    assert "6 new" in loaded.stdout
    assert len(frontdoor("events", "list", "--database", database).stdout.splitlines()) == 6
    assert "0 new, 0 moved" in frontdoor("events", "demo", "--database", database).stdout


def test_every_problem_of_every_entry_is_listed_with_its_entry(frontdoor, tmp_path):
    database = f"sqlite:///{tmp_path / 'events.db'}"
    (tmp_path / "events.yaml").write_text(
        "events:\n"
        "  - {id: a, kind: party, title: '', organisation: O, municipality: Самарканд, address: A,\n"
        "     starts: 2099-12-03 10:00, ends: 2099-12-03 09:00, capacity: 0, roles: pupil alien}\n"
        "  - {id: b, kind: trial, title: T, organisation: O, municipality: Самара, address: A,\n"
        "     starts: 2099-12-03 10:00, duration_minutes: 60, capacity: много, grades: 8-}\n",
        encoding="utf-8",
    )
    refused = frontdoor("events", "import", "events.yaml", "--database", database)
    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert all(line.startswith("frontdoor: events.yaml: entry ") for line in lines), lines
    for problem in (
        "entry 1: unknown kind 'party'",
        "entry 1: title: is empty",
        "entry 1: unknown municipality 'Самарканд'",
        "entry 1: ends before it starts",
        "entry 1: capacity: must be 1-10000, got 0",
        "entry 1: unknown role 'alien'",
        "entry 2: capacity: expected a whole number, got 'много'",
    ):
        assert problem in refused.stderr
    assert len(lines) == 7
    assert "refused:" not in refused.stderr
    assert "0 new" not in refused.stdout
