"""``frontdoor vacancies`` as an operator meets it: pulls from the emulated API, local files, applications.

The command runs in-process, parsed by the ``frontdoor`` parser itself (``bot/__main__.py``)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from backend_client.clock import SystemClock
from backend_client.models import AgeBand, Role
from backend_client.sql import open_database
from backend_client.vacancies.models import VacancyQuery
from bot.__main__ import build_parser
from bot.settings import Settings, TrudvsemSettings, describe_problem, load_settings
from bot.vacancies_cli import vacancies_command
from tests.trudvsem_emulator import Fault, TrudvsemEmulator, record

EXAMPLES = Path(__file__).resolve().parents[2] / "backend_client" / "vacancies" / "examples"


def parse(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["vacancies", *argv])


@pytest.fixture
async def api():
    async with TrudvsemEmulator([record(n) for n in range(250)]) as emulator:
        yield emulator


@pytest.fixture
def settings(api, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Settings:
    for key in list(os.environ):
        if key.startswith("FRONTDOOR_") and not key.startswith("FRONTDOOR_TEST_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FRONTDOOR_TRUDVSEM_URL", api.base_url)
    monkeypatch.setenv("FRONTDOOR_TRUDVSEM_DELAY", "0")
    monkeypatch.setenv("FRONTDOOR_TRUDVSEM_ATTEMPTS", "2")
    return load_settings().with_database(f"sqlite:///{tmp_path / 'cli.db'}")


async def run(settings: Settings, capsys, *argv: str) -> tuple[int, str, str]:
    status = await vacancies_command(settings, parse(*argv))
    out, err = capsys.readouterr()
    return status, out, err


async def test_a_first_pull_is_full_and_the_next_continues(settings, api, capsys):
    status, out, err = await run(settings, capsys, "import", "trudvsem")
    assert status == 0, err
    assert out.splitlines() == [
        "trudvsem region 63: full pull, 3 pages, 250 records, 3 requests (0 repeated)",
        "added 250, updated 0, unchanged 0, closed 0",
    ]
    assert "page 0: 100 records of 250" in err
    api.remove(record(3)["id"])
    status, out, _ = await run(settings, capsys, "import", "trudvsem", "--since", "2026-02-01T20:00")
    assert status == 0
    assert out.startswith("trudvsem region 63: changes since 2026-02-01 20:00 +0400")
    assert "closed 0" in out
    status, out, _ = await run(settings, capsys, "import", "trudvsem", "--full", "--region", "6300000000000")
    assert "trudvsem region 6300000000000: full pull" in out
    assert "added 0, updated 0, unchanged 249, closed 1" in out
    _, out, _ = await run(settings, capsys, "import", "trudvsem")
    assert "changes since" in out


async def test_broken_records_are_listed_and_skipped(settings, api, capsys):
    api.inject(0, {"id": "x-1", "job-name": "", "company": {"name": "ООО"}})
    api.fail(page=1, fault=Fault.ERROR)
    status, out, err = await run(settings, capsys, "import", "trudvsem", "--full")
    assert status == 0
    assert "4 requests (1 repeated)" in out
    assert "skipped 1 broken records (listed on stderr)" in out
    assert "frontdoor: skipped: vacancy x-1: no job-name (title)" in err


async def test_an_unreachable_source_exits_1_and_imports_nothing(settings, api, capsys):
    api.fail(page=1, fault=Fault.ERROR, times=5)
    status, out, err = await run(settings, capsys, "import", "trudvsem")
    assert (status, out) == (1, "")
    assert "frontdoor: «Работа России» cannot be reached: page 1: HTTP 500 (after 2 attempts)" in err
    assert "nothing was imported" in err


async def test_a_refused_request_exits_2(settings, api, capsys):
    api.fail(page=0, fault=Fault.NOT_FOUND)
    status, _, err = await run(settings, capsys, "import", "trudvsem")
    assert status == 2
    assert "refused the request: page 0: HTTP 404" in err


async def test_a_local_file_imports_and_a_broken_one_lists_every_problem(settings, capsys, tmp_path):
    status, out, err = await run(settings, capsys, "import", str(EXAMPLES / "vacancies.yaml"))
    assert status == 0, err
    assert out == "imported vacancies.yaml: added 2, updated 0, unchanged 0, closed 0\n"
    broken = tmp_path / "broken.csv"
    broken.write_text(
        "id;kind;title;employer;municipality;min_age\nb-1;вахта;Монтажник;ООО;Тольятти;18\nb-2;job;Повар;ООО;Москва;12\n",
        encoding="utf-8",
    )
    status, out, err = await run(settings, capsys, "import", str(broken))
    assert (status, out) == (2, "")
    assert err.splitlines()[0].startswith("frontdoor: broken.csv: row 2: kind 'вахта'")
    assert "frontdoor: broken.csv: row 3: municipality 'Москва'" in err
    assert "frontdoor: broken.csv: row 3: min_age '12'" in err
    assert err.splitlines()[-1] == "frontdoor: nothing imported: 3 problems in broken.csv"


async def test_unreadable_files_and_misplaced_options(settings, capsys, tmp_path):
    status, _, err = await run(settings, capsys, "import", str(tmp_path / "absent.csv"))
    assert status == 2
    assert "cannot read" in err
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id;title\n1;Повар\n".encode("cp1251"))
    status, _, err = await run(settings, capsys, "import", str(latin))
    assert (status, err) == (
        2,
        "frontdoor: latin.csv is not UTF-8 text: save it as UTF-8 (CSV UTF-8 in Excel)\n",
    )
    status, _, err = await run(settings, capsys, "import", str(EXAMPLES / "vacancies.csv"), "--full")
    assert (status, err) == (
        2,
        "frontdoor: --region, --full and --since are for `import trudvsem`, not for a file\n",
    )


@pytest.mark.parametrize(
    "argv",
    [
        ("import", "trudvsem", "--full", "--since", "2026-01-01"),
        ("import", "trudvsem", "--since", "вчера"),
        ("import", "trudvsem", "--region", "Самара"),
        ("applications", "--employer-inn", "12"),
    ],
)
def test_usage_errors_are_argparse_errors(argv):
    with pytest.raises(SystemExit) as exited:
        parse(*argv)
    assert exited.value.code == 2


async def test_operators_list_applications(settings, capsys):
    status, _, _ = await run(settings, capsys, "import", str(EXAMPLES / "vacancies.csv"))
    assert status == 0
    database = await open_database(settings.database.database_url, SystemClock())
    try:
        person = await database.records.identify("test", "a", "a")
        await database.records.choose_role(person.id, Role.GRADUATE, AgeBand.ADULT)
        await database.records.give_own_consent(person.id, version="v1", channel="test")
        page = await database.vacancies.search(
            await database.vacancies.seeker(person.id), VacancyQuery(per_page=10)
        )
        vacancy = next(item for item in page.items if item.source_id == "tltcollege-2026-02")
        await database.vacancies.apply(person.id, vacancy.id, "Хочу на стажировку", press="p1")
    finally:
        await database.close()
    status, out, _ = await run(settings, capsys, "applications", "--employer-inn", "6321000000")
    assert status == 0
    first, count = out.splitlines()
    assert first.split("\t")[2:] == [
        "sent",
        f"person {person.id}",
        f"vacancy {vacancy.id}",
        "ООО «Пример Софт» (6321000000)",
        "Стажёр-программист 1С",
        "Хочу на стажировку",
    ]
    assert count == "1 applications"
    _, out, _ = await run(settings, capsys, "applications", "--vacancy", str(vacancy.id + 1000))
    assert out == "0 applications\n"


def test_help_answers():
    for argv in ((), ("import",), ("applications",)):
        with pytest.raises(SystemExit) as exited:
            parse(*argv, "--help")
        assert exited.value.code == 0


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        (
            "REGION",
            "Самара",
            "FRONTDOOR_TRUDVSEM_REGION: a region code is 2 or 13 digits, e.g. 63 or 6300000000000",
        ),
        ("URL", "ftp://x", "FRONTDOOR_TRUDVSEM_URL: not an http(s) URL"),
        ("DELAY", "-1", "FRONTDOOR_TRUDVSEM_DELAY: must be between 0 and 600 seconds"),
        ("ATTEMPTS", "0", "FRONTDOOR_TRUDVSEM_ATTEMPTS: must be between 1 and 10"),
    ],
)
def test_trudvsem_settings_are_checked(settings, monkeypatch, key, value, problem):
    monkeypatch.setenv(f"FRONTDOOR_TRUDVSEM_{key}", value)
    with pytest.raises(ValidationError) as raised:
        load_settings()
    assert describe_problem(raised.value) == problem


def test_env_example_names_every_trudvsem_setting():
    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text(encoding="utf-8")
    for field in TrudvsemSettings.model_fields:
        assert f"\nFRONTDOOR_{field.upper()}=" in example
