"""Imports end to end: the emulated «Работа России» API, the real client, the pull, and the real catalogue
on SQLite and PostgreSQL; local files into the same catalogue."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from backend_client.http.trudvsem import TrudvsemClient, TrudvsemUnavailable
from backend_client.sql.vacancies.tables import vacancies, vacancy_texts
from backend_client.vacancies.importers.local_file import LocalFileError, import_file
from backend_client.vacancies.importers.pull import pull_trudvsem, upsert_in_batches
from backend_client.vacancies.importers.trudvsem import draft_of
from backend_client.vacancies.models import ImportReport
from tests.trudvsem_emulator import Fault, TrudvsemEmulator, record
from tests.trudvsem_emulator.records import BASE_MODIFIED, personal_data, vacancy_id

ZONE = ZoneInfo("Europe/Samara")
EXAMPLES = Path(__file__).resolve().parents[2] / "backend_client" / "vacancies" / "examples"


def client(api: TrudvsemEmulator) -> TrudvsemClient:
    return TrudvsemClient(api.base_url, delay=0, backoff=0, timeout=5, attempts=2)


async def stored(database) -> dict[str, dict[str, Any]]:
    """Every stored vacancy's row and texts, by (source, source id)."""
    query = select(vacancies, vacancy_texts).join(vacancy_texts, vacancy_texts.c.vacancy_id == vacancies.c.id)
    async with database.engine.connect() as connection:
        rows = (await connection.execute(query)).mappings().all()
    return {f"{row['source']}:{row['source_id']}": dict(row) for row in rows}


def statuses(rows: dict[str, dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows.values():
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return counts


async def pull(api, database, clock, **options):
    clock.advance(timedelta(minutes=5))
    async with client(api) as source:
        return await pull_trudvsem(source, database.vacancy_catalogue, "63", clock=clock, **options)


@pytest.fixture
async def api():
    async with TrudvsemEmulator([record(n) for n in range(250)]) as emulator:
        yield emulator


async def test_a_full_pull_stores_every_vacancy_and_no_personal_data(api, database, clock):
    summary = await pull(api, database, clock)
    assert summary.full
    assert (summary.pages, summary.records) == (3, 250)
    assert summary.report == ImportReport(added=250)
    rows = await stored(database)
    assert len(rows) == 250
    assert statuses(rows) == {"open": 250}
    everything = repr(sorted(rows.items()))
    for n in range(250):
        for datum in personal_data(n):
            assert datum not in everything
    cursor = await database.vacancy_catalogue.import_cursor("trudvsem")
    assert cursor == max(draft_of(record(n)).modified_at for n in range(250))


async def test_a_repeated_full_pull_changes_nothing(api, database, clock):
    await pull(api, database, clock, full=True)
    summary = await pull(api, database, clock, full=True)
    assert summary.report == ImportReport(unchanged=250)


async def test_vacancies_gone_from_the_source_are_closed_and_changes_updated(api, database, clock):
    await pull(api, database, clock)
    for n in range(10):
        api.remove(vacancy_id(n))
    for n in range(10, 15):
        api.put(record(n, **{"job-name": f"Новое название {n}"}))
    for n in range(250, 253):
        api.put(record(n))
    summary = await pull(api, database, clock, full=True)
    assert summary.report == ImportReport(added=3, updated=5, closed=10, unchanged=235)
    rows = await stored(database)
    assert rows[f"trudvsem:{vacancy_id(0)}"]["status"] == "closed"
    assert rows[f"trudvsem:{vacancy_id(12)}"]["title"] == "Новое название 12"
    api.put(record(0))  # back at the source: open again
    summary = await pull(api, database, clock, full=True)
    assert summary.report.updated == 1
    assert summary.report.closed == 0
    assert (await stored(database))[f"trudvsem:{vacancy_id(0)}"]["status"] == "open"


async def test_an_incremental_pull_asks_from_the_cursor_and_closes_nothing(api, database, clock):
    await pull(api, database, clock)
    cursor = await database.vacancy_catalogue.import_cursor("trudvsem")
    assert cursor is not None
    later = cursor + timedelta(hours=2)
    for n in range(4):
        api.put(record(n, later + timedelta(minutes=n), **{"job-name": f"Изменено {n}"}))
    api.remove(vacancy_id(100))
    api.requests.clear()
    summary = await pull(api, database, clock)
    assert not summary.full
    assert summary.modified_from == cursor - timedelta(hours=1)
    assert api.requests[0].modified_from is not None
    assert summary.report.updated == 4
    assert summary.report.closed == 0
    assert summary.report.added == 0
    assert summary.records == summary.report.updated + summary.report.unchanged
    assert statuses(await stored(database)) == {"open": 250}
    assert await database.vacancy_catalogue.import_cursor("trudvsem") == later + timedelta(minutes=3)


async def test_bad_records_are_listed_and_duplicates_kept_once(api, database, clock):
    api.inject(1, {"id": "", "job-name": "Без номера"})
    api.inject(1, "not a record")
    api.inject(2, record(5, **{"job-name": "Повтор с другой страницы"}))
    api.inject(2, record(7, company={"name": ""}))
    summary = await pull(api, database, clock)
    assert summary.report.problems == (
        "page 1, record 101: no id",
        "page 1, record 102: the record is not an object",
        f"vacancy {vacancy_id(7)}: no company name",
    )
    assert summary.duplicates == (
        f"vacancy {vacancy_id(5)}: listed on page 0 and again on page 2; the later copy kept",
    )
    assert summary.report.added == 250
    rows = await stored(database)
    assert rows[f"trudvsem:{vacancy_id(5)}"]["title"] == "Повтор с другой страницы"
    assert rows[f"trudvsem:{vacancy_id(7)}"]["title"] == draft_of(record(7)).title  # the good copy


async def test_a_failing_source_writes_nothing_and_a_rerun_completes(api, database, clock):
    api.fail(page=2, fault=Fault.ERROR, times=2)
    with pytest.raises(TrudvsemUnavailable, match="page 2: HTTP 500"):
        await pull(api, database, clock)
    assert await stored(database) == {}
    summary = await pull(api, database, clock)
    assert summary.report.added == 250


class StopsAfter:
    """The real catalogue, and a crash after ``batches`` writes (as a killed process would leave it)."""

    def __init__(self, catalogue, batches: int) -> None:
        self.catalogue, self.left = catalogue, batches

    async def upsert_vacancies(self, drafts):
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        return await self.catalogue.upsert_vacancies(drafts)

    def __getattr__(self, name):
        return getattr(self.catalogue, name)


async def test_a_pull_stopped_between_batches_resumes_from_the_cursor(api, database, clock):
    async with client(api) as source:
        with pytest.raises(KeyboardInterrupt):
            await pull_trudvsem(
                source, StopsAfter(database.vacancy_catalogue, 2), "63", clock=clock, batch=60
            )
    half = await stored(database)
    assert len(half) == 120
    cursor = await database.vacancy_catalogue.import_cursor("trudvsem")
    assert cursor is not None
    # Oldest first: everything modified up to the cursor is in, so a pull from the cursor misses nothing.
    assert all(
        f"trudvsem:{vacancy_id(n)}" in half for n in range(250) if draft_of(record(n)).modified_at <= cursor
    )
    summary = await pull(api, database, clock)
    assert not summary.full
    assert len(await stored(database)) == 250
    assert summary.report.added == 130


async def test_a_source_that_lists_nothing_closes_nothing(api, database, clock):
    await pull(api, database, clock)
    for n in range(250):
        api.remove(vacancy_id(n))
    summary = await pull(api, database, clock, full=True)
    assert summary.report.closed == 0
    assert summary.not_closed == "the source listed no vacancies: nothing closed"
    assert statuses(await stored(database)) == {"open": 250}


async def test_a_batch_the_catalogue_refuses_is_written_draft_by_draft(database):
    drafts = [draft_of(record(n)) for n in range(5)]
    drafts[2] = replace(drafts[2], salary_from=50_000, salary_to=40_000)
    report = await upsert_in_batches(database.vacancy_catalogue, drafts, batch=5)
    assert report.added == 4
    assert report.problems == (
        f"vacancy {vacancy_id(2)}: refused by the catalogue: salary from is above salary to",
    )


async def test_a_clean_local_file_imports_once(database):
    text = (EXAMPLES / "vacancies.csv").read_text(encoding="utf-8")
    report = await import_file(database.vacancy_catalogue, text, filename="vacancies.csv", zone=ZONE)
    assert report == ImportReport(added=3)
    again = await import_file(database.vacancy_catalogue, text, filename="vacancies.csv", zone=ZONE)
    assert again == ImportReport(unchanged=3)
    rows = await stored(database)
    assert rows["local:smr-summer-01"]["min_age"] == 14


async def test_a_local_file_with_one_bad_row_imports_nothing(database):
    text = (EXAMPLES / "vacancies.csv").read_text(encoding="utf-8")
    broken = text.replace(";Самара;", ";Москва;")
    with pytest.raises(LocalFileError) as raised:
        await import_file(database.vacancy_catalogue, broken, filename="vacancies.csv", zone=ZONE)
    assert raised.value.problems[0].startswith("row 4: municipality 'Москва'")
    assert await stored(database) == {}


async def test_a_full_region_of_a_few_thousand(database, clock):
    async with TrudvsemEmulator([record(n, BASE_MODIFIED) for n in range(1200)]) as api:
        summary = await pull(api, database, clock, batch=500)
    assert (summary.pages, summary.report.added) == (12, 1200)
