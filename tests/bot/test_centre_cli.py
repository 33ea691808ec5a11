"""`frontdoor centre` as an operator meets it: import slots from CSV and YAML, list, remove, bad files."""

from __future__ import annotations

CSV = """\
municipality,service,starts_at,capacity
36440,consultation,2099-12-03 10:00,2
36440,profiling,2099-12-03 11:00,5
"""

YAML = """\
slots:
  - municipality: "36440"
    service: consultation
    starts_at: 2099-12-03 10:00
    capacity: 3
  - municipality: "36401"
    service: job_search
    starts_at: 2099-12-04 09:30
    capacity: 1
"""


def test_import_list_and_remove(frontdoor, tmp_path):
    database = f"sqlite:///{tmp_path / 'centre.db'}"
    (tmp_path / "slots.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "slots.yaml").write_text(YAML, encoding="utf-8")
    first = frontdoor("centre", "import-slots", "slots.csv", "--database", database)
    assert first.returncode == 0, first.stderr
    assert "slots: 2 new, 0 changed, 0 unchanged" in first.stdout
    again = frontdoor("centre", "import-slots", "slots.yaml", "--database", database)
    assert "slots: 1 new, 1 changed, 0 unchanged" in again.stdout  # the consultation gets a third seat
    listed = frontdoor("centre", "slots", "--municipality", "36440", "--database", database).stdout
    assert listed.splitlines() == [
        "1\t36440\tconsultation\t2099-12-03 10:00\t0/3",
        "2\t36440\tprofiling\t2099-12-03 11:00\t0/5",
    ]
    removed = frontdoor("centre", "remove-slot", "2", "--database", database)
    assert removed.returncode == 0, removed.stderr
    missing = frontdoor("centre", "remove-slot", "2", "--database", database)
    assert (missing.returncode, missing.stderr.strip()) == (2, "frontdoor: no slot 2")


def test_a_bad_line_is_named_and_nothing_is_imported(frontdoor, tmp_path):
    database = f"sqlite:///{tmp_path / 'centre.db'}"
    (tmp_path / "bad.csv").write_text(CSV + "99999,consultation,2099-12-03 12:00,2\n", encoding="utf-8")
    bad = frontdoor("centre", "import-slots", "bad.csv", "--database", database)
    assert bad.returncode == 2
    assert "bad.csv: slot 3: unknown municipality '99999'" in bad.stderr
    (tmp_path / "worse.csv").write_text(CSV.replace(",2\n", ",0\n"), encoding="utf-8")
    worse = frontdoor("centre", "import-slots", "worse.csv", "--database", database)
    assert "slot 1: capacity must be 1..50" in worse.stderr
    (tmp_path / "odd.csv").write_text(CSV.replace("consultation", "massage"), encoding="utf-8")
    odd = frontdoor("centre", "import-slots", "odd.csv", "--database", database)
    assert "slot 1:" in odd.stderr
    assert frontdoor("centre", "slots", "--database", database).stdout == ""
