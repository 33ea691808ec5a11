"""The colleges catalogue: the store on both databases, the YAML reader's problems, and the operators'
command line (``frontdoor colleges import|list|demo``) run in-process with the real parser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backend_client.colleges.catalogue import CatalogueError, parse_colleges
from backend_client.colleges.demo import demo_colleges, seed_demo_colleges
from backend_client.colleges.models import StudyForm
from backend_client.sql import Database
from bot.__main__ import build_parser
from bot.colleges_cli import colleges_command
from bot.settings import Settings, load_settings

GOOD = """
illustrative: false
colleges:
  - id: tlt-one
    name: Тольяттинский колледж
    municipality: Тольятти
    address: ул. Первая, 1
    phone: "+7 8482 00-00-00"
    programs:
      - {code: 15.01.05, title: Сварщик, form: очная, after_grade: 9, duration: 1 г. 10 мес.,
         professions: [welder]}
      - {code: 43.02.15, title: Поварское дело, form: заочная, after_grade: 11, months: 34,
         professions: [cook], targeted: "Кафе «Волга»: 2 места"}
  - id: sam-two
    name: Самарский колледж
    municipality: "36401"
    address: ул. Вторая, 2
    programs:
      - {code: 15.01.05, title: Сварщик, form: очно-заочная, after_grade: 9, months: 22,
         professions: [welder]}
"""


def test_a_good_file_reads_whole() -> None:
    one, two = parse_colleges(GOOD)
    assert (one.id, one.municipality, one.illustrative) == ("tlt-one", "36440", False)
    assert [(p.form, p.months) for p in one.programs] == [
        (StudyForm.FULL_TIME, 22),
        (StudyForm.EXTRAMURAL, 34),
    ]
    assert one.programs[1].targeted == "Кафе «Волга»: 2 места"
    assert (two.municipality, two.programs[0].form) == ("36401", StudyForm.PART_TIME)


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("not: [yaml", ["not YAML"]),
        ("colleges: []", ["no colleges"]),
        ("- just text", ["college 1: expected a mapping"]),
        (
            "colleges:\n  - {id: Bad Id, name: К, municipality: Казань, address: x, programs: []}",
            [
                "college 1: id: String should match pattern",
                "college 1: name: String should have at least 3 characters",
                "college 1: municipality: 'Казань' is not a municipality of the region",
                "college 1: address: String should have at least 3 characters",
                "college 1: programs: Tuple should have at least 1 item",
            ],
        ),
        (
            "colleges:\n  - {id: ok, name: Колледж, municipality: Кинель, address: ул. 1, programs: "
            "[{code: '15', title: Сварщик, form: дистанционная, after_grade: 10, duration: долго}]}\n"
            "  - {id: ok, name: Колледж, municipality: Кинель, address: ул. 1, programs: "
            "[{code: 15.01.05, title: Сварщик, form: очная, after_grade: 9, months: 22}]}",
            [
                "college 1: programs.0.code: String should match pattern",
                "college 1: programs.0.form: form is очная, очно-заочная or заочная",
                "college 1: programs.0.after_grade: after_grade is 9 or 11",
                "college 1: programs.0.months: Input should be a valid integer",
                "college 2: id ok appears twice",
            ],
        ),
    ],
)
def test_every_problem_is_named_with_its_college(text: str, problems: list[str]) -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_colleges(text)
    found = caught.value.problems
    assert len(found) == len(problems), found
    for got, wanted in zip(found, problems, strict=True):
        assert got.startswith(wanted), (got, wanted)


async def test_the_store_filters_by_place_and_profession_and_replaces_whole(database: Database) -> None:
    store = database.colleges
    assert await store.colleges() == []
    assert await seed_demo_colleges(store)
    assert not await seed_demo_colleges(store)  # an existing catalogue is never touched
    assert await store.colleges_count() == len(demo_colleges())
    places = await store.college_places()
    assert (places["36401"], places["36440"]) == (5, 3)
    welders = [c.id for c in await store.colleges(profession="welder")]
    assert welders == [
        "otr-oil",
        "sam-machine",
        "tlt-polytech",
    ]  # by name: Отрадненский, Самарский, Тольяттинский
    assert [c.id for c in await store.colleges(municipality="36440", profession="welder")] == ["tlt-polytech"]
    assert await store.colleges(profession="weld") == []  # a whole id, never a part of one
    card = await store.college("sam-machine")
    assert card is not None
    assert card == next(c for c in demo_colleges() if c.id == "sam-machine")
    assert await store.replace_colleges(parse_colleges(GOOD), "operator.yaml") == 2
    assert [c.id for c in await store.colleges()] == ["sam-two", "tlt-one"]
    assert await store.college("sam-machine") is None
    with pytest.raises(ValueError, match="at least one"):
        await store.replace_colleges([], "empty")


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Settings:
    for key in list(os.environ):
        if key.startswith("FRONTDOOR_") and not key.startswith("FRONTDOOR_TEST_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return load_settings().with_database(f"sqlite:///{tmp_path / 'cli.db'}")


async def run(settings: Settings, capsys, *argv: str) -> tuple[int, str, str]:
    status = await colleges_command(settings, build_parser().parse_args(["colleges", *argv]))
    out, err = capsys.readouterr()
    return status, out, err


async def test_the_command_line_imports_lists_and_refuses_bad_files(settings, capsys, tmp_path) -> None:
    status, out, _ = await run(settings, capsys, "list")
    assert (status, out) == (0, "the catalogue is empty: frontdoor colleges import FILE.yaml (or demo)\n")
    good = tmp_path / "colleges.yaml"
    good.write_text(GOOD, encoding="utf-8")
    status, out, _ = await run(settings, capsys, "import", str(good))
    assert (status, out) == (0, "colleges catalogue replaced: 2 colleges, 3 programs\n")
    status, out, _ = await run(settings, capsys, "list")
    assert out.splitlines() == [
        "sam-two\t36401\t1 programs\t0 targeted\tСамарский колледж",
        "tlt-one\t36440\t2 programs\t1 targeted\tТольяттинский колледж",
    ]
    typo = tmp_path / "typo.yaml"
    typo.write_text(GOOD.replace("[cook]", "[cok]"), encoding="utf-8")
    status, out, err = await run(settings, capsys, "import", str(typo))
    assert status == 2
    assert err.splitlines() == [
        "frontdoor: typo.yaml: college 1: programs.1.professions: unknown profession id 'cok'",
        "frontdoor: typo.yaml: 1 problems; nothing imported",
    ]
    status, _, err = await run(settings, capsys, "import", str(tmp_path / "missing.yaml"))
    assert (status, err) == (2, f"frontdoor: cannot read {tmp_path / 'missing.yaml'}: FileNotFoundError\n")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    status, _, err = await run(settings, capsys, "import", str(binary))
    assert status == 2
    assert "cannot read" in err
    status, out, _ = await run(settings, capsys, "list")
    assert len(out.splitlines()) == 2  # nothing of the refused files was imported
    status, out, _ = await run(settings, capsys, "demo")
    assert out == f"colleges catalogue replaced: {len(demo_colleges())} colleges, 49 programs\n"
