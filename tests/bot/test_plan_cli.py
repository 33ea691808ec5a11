"""`frontdoor plan` as an operator meets it: add, list, done, move and import steps for people named by
their accounts; bad rows listed one line each with their place, nothing imported until the file is clean;
an erased person is refused."""

from __future__ import annotations

from pathlib import Path

from backend_client.clock import SystemClock
from backend_client.models import AgeBand, Role
from backend_client.sql import migrate, open_database


async def people(tmp_path: Path) -> str:
    """A database with two consenting graduates (telegram:1 and telegram:2) and one without consent."""
    url = f"sqlite:///{tmp_path / 'plan.db'}"
    migrate(url)
    database = await open_database(url, SystemClock())
    try:
        for account, consent in (("1", True), ("2", True), ("3", False)):
            person = await database.records.identify("telegram", account, account)
            await database.records.choose_role(person.id, Role.GRADUATE, AgeBand.ADULT)
            if consent:
                await database.records.give_own_consent(person.id, version="v1", channel="telegram")
    finally:
        await database.close()
    return url


async def erase(url: str, account: str) -> None:
    database = await open_database(url, SystemClock())
    try:
        person = await database.records.identify("telegram", account, account)
        await database.records.erase(person.id, reason="test")
    finally:
        await database.close()


async def test_add_list_done_and_move(frontdoor, tmp_path):
    db = await people(tmp_path)
    added = frontdoor(
        "plan", "add", "telegram:1", "--due", "2099-12-20", "--text", "Отправить резюме", "--database", db
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout == "added: 1\topen\t2099-12-20\tv1\tОтправить резюме\n"
    again = frontdoor(
        "plan", "add", "telegram:1", "--due", "20.12.2099", "--text", "Отправить резюме", "--database", db
    )
    assert again.stdout.startswith("already there: 1\t")
    frontdoor(
        "plan",
        "add",
        "telegram:1",
        "--due",
        "2099-12-10",
        "--text",
        "В ЦЗН",
        "--place",
        "ул. Мира, 1",
        "--database",
        db,
    )
    listed = frontdoor("plan", "list", "telegram:1", "--database", db).stdout.splitlines()
    assert listed == [
        "2\topen\t2099-12-10\tv1\tВ ЦЗН\tул. Мира, 1",
        "1\topen\t2099-12-20\tv1\tОтправить резюме",
    ]
    moved = frontdoor("plan", "move", "2", "--due", "2099-12-12", "--database", db)
    assert moved.stdout == "moved: 2\topen\t2099-12-12\tv2\tВ ЦЗН\tул. Мира, 1\n"
    done = frontdoor("plan", "done", "2", "--database", db)
    assert done.stdout.startswith("done: 2\tdone\t")
    assert frontdoor("plan", "done", "2", "--database", db).stdout.startswith("was done already: 2\t")
    refused = frontdoor("plan", "move", "2", "--due", "2099-12-15", "--database", db)
    assert (refused.returncode, refused.stderr) == (
        2,
        "frontdoor: refused: the step is done; nothing to move\n",
    )
    missing = frontdoor("plan", "done", "99", "--database", db)
    assert (missing.returncode, missing.stderr) == (2, "frontdoor: no step 99\n")


async def test_bad_input_and_people_who_cannot_have_a_plan(frontdoor, tmp_path):
    db = await people(tmp_path)
    past = frontdoor("plan", "add", "telegram:1", "--due", "2001-01-01", "--text", "Старое", "--database", db)
    assert (past.returncode, past.stderr) == (2, "frontdoor: refused: the deadline has passed\n")
    unreadable = frontdoor(
        "plan", "add", "telegram:1", "--due", "31.02.2099", "--text", "Т", "--database", db
    )
    assert unreadable.returncode == 2
    assert "is not a date" in unreadable.stderr
    silent = frontdoor("plan", "add", "telegram:3", "--due", "2099-12-20", "--text", "Т", "--database", db)
    assert (silent.returncode, silent.stderr) == (
        2,
        "frontdoor: telegram:3 has not consented to keeping their data; nothing recorded\n",
    )
    frontdoor("plan", "add", "telegram:2", "--due", "2099-12-20", "--text", "Резюме", "--database", db)
    await erase(db, "2")
    gone = frontdoor("plan", "add", "telegram:2", "--due", "2099-12-21", "--text", "Ещё", "--database", db)
    assert (gone.returncode, gone.stderr) == (
        2,
        "frontdoor: no person behind telegram:2 (never here, or erased with their data)\n",
    )
    assert "Traceback" not in gone.stderr


async def test_import_is_all_or_nothing_with_every_problem_listed(frontdoor, tmp_path):
    db = await people(tmp_path)
    (tmp_path / "plan.csv").write_text(
        "account,text,due,place\n"
        "telegram:1,Отправить резюме,2099-12-20,hh.ru\n"
        "telegram:1,Старый шаг,2001-01-01,\n"
        "telegram:1,Когда-нибудь,скоро,\n"
        "telegram,Без аккаунта,2099-12-20,\n"
        "telegram:1,,2099-12-20,\n",
        encoding="utf-8",
    )
    refused = frontdoor("plan", "import", "plan.csv", "--database", db)
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        "frontdoor: plan.csv: row 3: the deadline has passed",
        "frontdoor: plan.csv: row 4: due 'скоро' is not a date (2026-12-20 or 20.12.2026)",
        "frontdoor: plan.csv: row 5: account 'telegram' is not CHANNEL:ID (e.g. telegram:123456)",
        "frontdoor: plan.csv: row 6: the text is empty",
    ]
    (tmp_path / "plan.yaml").write_text(
        "steps:\n"
        "  - {account: 'telegram:1', text: Отправить резюме, due: 2099-12-20, place: hh.ru}\n"
        "  - {account: 'telegram:404', text: Прийти в ЦЗН, due: 20.12.2099}\n"
        "  - {account: 'telegram:3', text: Прийти в ЦЗН, due: 20.12.2099}\n",
        encoding="utf-8",
    )
    unknown = frontdoor("plan", "import", "plan.yaml", "--database", db)
    assert unknown.stderr.splitlines() == [
        "frontdoor: plan.yaml: entry 2: no person behind this account"
        " (never here, or erased with their data)",
        "frontdoor: plan.yaml: entry 3: this person has not consented to keeping their data",
    ]
    assert frontdoor("plan", "list", "telegram:1", "--database", db).stdout == ""
    (tmp_path / "plan.yaml").write_text(
        "- {account: 'telegram:1', text: Отправить резюме, due: 2099-12-20, place: hh.ru}\n"
        "- {account: 'telegram:2', text: Прийти в ЦЗН, due: 20.12.2099}\n",
        encoding="utf-8",
    )
    first = frontdoor("plan", "import", "plan.yaml", "--database", db)
    assert first.stdout == "imported: 2 new, 0 already there\n", first.stderr
    again = frontdoor("plan", "import", "plan.yaml", "--database", db)
    assert again.stdout == "imported: 0 new, 2 already there\n"
