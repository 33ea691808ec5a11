"""`frontdoor centre` as an operator meets it: import slots from CSV and YAML, list, remove (the people
booked told once), bad files."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from backend_client.graduates.centres import Service, SlotRow
from backend_client.sql.tables import outbox
from bot.__main__ import build_parser
from bot.centre_cli import centre_command
from bot.operator_cli import command_database
from bot.settings import load_settings
from tests.contract.test_records import adult

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


async def test_removing_a_booked_slot_tells_the_person_in_russian(tmp_path, capsys, monkeypatch):
    """The CLI passes the Russian notice (service, local date and time, /centre) and says who was told."""
    monkeypatch.chdir(tmp_path)
    settings = load_settings().with_database(f"sqlite:///{tmp_path / 'centre.db'}")
    zone = ZoneInfo(settings.region.timezone)
    at = datetime(2099, 12, 3, 10, 0, tzinfo=zone)
    async with command_database(settings) as database:
        await database.graduates.import_slots([SlotRow("36401", Service.PROFILING, at, 2)])
        [slot] = await database.graduates.slots()
        person = await adult(database.records, "c1")
        await database.graduates.book(person.id, slot.id)
    remove = build_parser().parse_args(["centre", "remove-slot", str(slot.id)])
    assert await centre_command(settings, remove) == 0
    assert "1 people booked told" in capsys.readouterr().out
    assert await centre_command(settings, remove) == 2  # the second run finds no slot and adds nothing
    async with command_database(settings) as database, database.engine.connect() as connection:
        texts = (await connection.execute(select(outbox.c.key, outbox.c.text))).all()
    assert [(row.key, row.text) for row in texts] == [
        (
            f"centre-removed:{slot.id}:{person.id}|test",
            "❌ Центр занятости отменил вашу запись: Профориентация и профилирование, "
            "3 декабря, чт, 10:00 (местное время).\n"
            "Приходить не нужно. Записаться на другое время можно командой /centre.",
        )
    ]
