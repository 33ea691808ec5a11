"""Vacancy search and matching at 100,000 vacancies, on SQLite and PostgreSQL.

Generates a catalogue from the demo's roles and employers (titles, pay, places and dates varied), imports
it through ``upsert_vacancies`` in batches of ``--batch`` (each its own transaction) and times that; then
runs each kind of query ``--runs`` times through the store's public use cases (``search``, ``match``),
varying the place, words and filters, and prints p50 and p95 per kind. After the import the databases
are ANALYZEd (PostgreSQL: VACUUM ANALYZE, what autovacuum does after a bulk load anyway).

    .venv/bin/python benchmarks/vacancy_search.py [--count 100000] [--runs 200] [--postgres URL] [--explain]
        [--sqlite-cache-mib 64] [--sqlite-path FILE --reuse] [--skip-sqlite]

``--postgres`` takes a scratch database (its vacancy tables are emptied). ``--explain`` prints the query
plans of the main statements (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: the repository's root
from backend_client.clock import ManualClock
from backend_client.reference import BY_CODE
from backend_client.sql import Database, migrate, open_database
from backend_client.sql.infra.engine import truncate_wal
from backend_client.sql.vacancies.matching import candidates, candidates_query
from backend_client.sql.vacancies.search import page_queries, posting_counts
from backend_client.vacancies.demo import FIRMS, requisites, role_vacancy
from backend_client.vacancies.demo_roles import demo_roles
from backend_client.vacancies.models import SeekerFacts, VacancyDraft, VacancyKind, VacancyQuery
from backend_client.vacancies.terms import query_terms

NOW = datetime(2026, 10, 12, 9, tzinfo=UTC)  # a school day: the minors' school-time limits apply
PLACES = sorted(BY_CODE)
WORDS = (
    "сварщик",
    "программист",
    "продавец",
    "повар",
    "медицинская сестра",
    "водитель",
    "бухгалтер",
    "стажировка программист",
    "подработка летом",
    "оператор чпу",
    "инженер-технолог",
    "курьер",
)
SUFFIXES = ("", "", "", " (сменный график)", " в цех № 2", " (с обучением)", " — новый участок", " (срочно)")
ADULT = SeekerFacts(age=30, studying=False)
PUPIL = SeekerFacts(age=15, studying=True)
VACANCY_TABLES = ("vacancy_applications", "saved_vacancies", "vacancy_terms", "vacancy_texts", "vacancies")


def generate(count: int) -> list[VacancyDraft]:
    """``count`` vacancies: demo roles at demo employers, spread over every municipality of the region."""
    rng = random.Random(100_000)
    roles = demo_roles()
    drafts = []
    for number in range(1, count + 1):
        role = rng.choice(roles)
        firms = [firm for firm in FIRMS if firm.sector in role.sectors]
        firm = rng.choice(firms)
        base = role_vacancy(number, role, firm, requisites(firm, number % 7), rng, date(2026, 10, 1))
        place = firm.municipality if rng.random() < 0.6 else rng.choice(PLACES)
        drafts.append(
            replace(
                base,
                source="bench",
                source_id=f"bench-{number:06d}",
                title=f"{role.title}{rng.choice(SUFFIXES)}",
                municipality=place,
                published_at=NOW - timedelta(minutes=rng.randrange(0, 90 * 24 * 60)),
            )
        )
    return drafts


async def load(database: Database, drafts: list[VacancyDraft], batch: int) -> tuple[float, float]:
    """(wall seconds, this process's CPU seconds): on a shared machine the CPU time says what it cost."""
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(drafts), batch):
        report = await database.vacancy_catalogue.upsert_vacancies(drafts[start : start + batch])
        assert not report.problems, report.problems[:3]
    return time.perf_counter() - started, time.process_time() - cpu


def queries(filters: int, words: bool, rng: random.Random) -> VacancyQuery:
    """A query with ``filters`` filters on (place, kind, pay, no experience in that order), maybe words."""
    place = rng.choice(("36401", "36440", "36435", rng.choice(PLACES)))
    options: dict[str, Any] = {
        "municipality": place,
        "kinds": frozenset({rng.choice((VacancyKind.JOB, VacancyKind.TEMPORARY, VacancyKind.INTERNSHIP))}),
        "salary_from": rng.choice((30_000, 50_000, 70_000)),
        "no_experience": True,
    }
    chosen = dict(list(options.items())[:filters])
    return VacancyQuery(text=rng.choice(WORDS) if words else "", page=rng.choice((0, 0, 0, 1)), **chosen)


def profiles(rng: random.Random) -> SeekerFacts:
    specialty = rng.choice(
        (
            "Сварочное производство",
            "Информационные системы и программирование",
            "Сестринское дело",
            "Поварское и кондитерское дело",
            None,
        )
    )
    professions = rng.choice(
        (("Сварщик", "Оператор станков с ЧПУ", "Инженер"), ("Программист", "Аналитик"), ())
    )
    return SeekerFacts(
        age=rng.choice((16, 19, 23, None)),
        municipality=rng.choice(PLACES),
        specialty=specialty,
        professions=professions,
        studying=rng.random() < 0.5,
    )


async def timed(runs: int, call: Callable[[random.Random], Awaitable[object]]) -> tuple[float, ...]:
    """p50 and p95 of the wall time, then of this process's CPU time, in ms. On a busy machine the wall
    time includes waiting for a CPU; with the inline SQLite engine all the work is in this process, so
    its CPU time is what a query costs (PostgreSQL's own work is in the server, not counted there)."""
    rng = random.Random(7)
    for _ in range(10):  # warm the caches and the statement cache
        await call(rng)
    wall, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        await call(rng)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    cuts, cpu_cuts = statistics.quantiles(wall, n=100), statistics.quantiles(cpu, n=100)
    return cuts[49], cuts[94], cpu_cuts[49], cpu_cuts[94]


async def measure(database: Database, runs: int) -> list[tuple[Any, ...]]:
    vacancies = database.vacancies

    def searching(
        seeker: SeekerFacts, filters: int, words: bool
    ) -> Callable[[random.Random], Awaitable[object]]:
        return lambda rng: vacancies.search(seeker, queries(filters, words, rng))

    kinds: list[tuple[str, Callable[[random.Random], Awaitable[object]]]] = [
        (f"search, {f} filters{' + text' if w else ''}", searching(ADULT, f, w))
        for w in (False, True)
        for f in range(5)
    ]
    kinds += [
        (f"search, minor 15 (school time), 1 filter{' + text' if w else ''}", searching(PUPIL, 1, w))
        for w in (False, True)
    ]
    kinds.append(("match a profile (5 best)", lambda rng: vacancies.match(profiles(rng))))
    return [(name, *await timed(runs, call)) for name, call in kinds]


async def explain(database: Database) -> None:
    """The plans of the statements a search and a match run."""
    today = NOW.date()
    four = VacancyQuery(
        municipality="36440",
        kinds=frozenset({VacancyKind.JOB}),
        salary_from=50_000,
        no_experience=True,
    )
    seeker = SeekerFacts(
        age=16, specialty="Сварочное производство", professions=("Сварщик",), municipality="36440"
    )
    async with database.engine.connect() as connection:

        async def walk_of(facts: SeekerFacts, query: VacancyQuery) -> Any:
            counts = await posting_counts(connection, query_terms(query.text))
            terms = tuple(sorted((t for t in counts if counts[t]), key=lambda t: counts[t]))
            return page_queries(facts, query, today, terms, counts)[0]

        place = VacancyQuery(municipality="36401")
        shown = {
            "words, no filter: the ordered walk (page and count)": await walk_of(
                ADULT, VacancyQuery(text="сварщик")
            ),
            "words + 4 filters: the ordered walk": await walk_of(ADULT, replace(four, text="оператор")),
            "two words + place: the walk probes the other word": await walk_of(
                ADULT, VacancyQuery(text="медицинская сестра", municipality="36435")
            ),
            "minor 15 + place + words": await walk_of(PUPIL, replace(place, text="подработка летом")),
            "no words, 4 filters: page": page_queries(ADULT, four, today, ())[0],
            "no words, 4 filters: count (capped)": page_queries(ADULT, four, today, ())[1],
            "no words, minor 15, place: count (capped)": page_queries(PUPIL, place, today, ())[1],
            "match a profile (minor 16, welder): candidates": _bound(*candidates_query(seeker, today)),
        }
        for title, statement in shown.items():
            await _print_plan(connection, title, statement)
        started = time.perf_counter()
        await candidates(connection, seeker, today)
        print(f"\n-- match candidates: {(time.perf_counter() - started) * 1000:.1f} ms (one statement)")


def _bound(prepared: Any, parameters: dict[str, Any]) -> Any:
    return prepared.statement.params(parameters)


async def _print_plan(connection: Any, title: str, statement: Any) -> None:
    postgres = connection.dialect.name == "postgresql"
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " if postgres else "EXPLAIN QUERY PLAN "
    plan = (await connection.execute(text(prefix + sql))).all()
    print(f"\n-- {title}")
    if postgres:
        for row in plan:
            print("   ", row[0])
        return
    depth = {0: 0}
    for node, parent, _, detail in plan:  # (id, parent, unused, detail): indent by the tree
        depth[node] = depth.get(parent, 0) + 1
        print("   ", "  " * (depth[node] - 1) + detail)


@dataclass(frozen=True, slots=True)
class Options:
    count: int
    runs: int
    batch: int
    postgres: str | None
    explain: bool
    sqlite: bool
    cache_mib: int
    sqlite_path: str | None
    reuse: bool


async def run(url: str, drafts: list[VacancyDraft], options: Options, *, cache_mib: int = 0) -> None:
    migrate(url)
    database = await open_database(url, ManualClock(NOW))
    try:
        if cache_mib:  # instead of the engine's 64 MiB (``engine._SQLITE_PRAGMAS``)
            async with database.engine.connect() as connection:
                await connection.execute(text(f"PRAGMA cache_size = -{cache_mib * 1024}"))
            print(f"  SQLite page cache {cache_mib} MiB")
        if options.reuse and await _stored(database) == len(drafts):
            print(f"  reusing the {len(drafts):,} vacancies imported before")
        else:
            await _import(database, drafts, options.batch)
        print(f"  load average of the machine now: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
        print(f"  {'':<48} {'wall p50':>9} {'p95':>8}   {'CPU p50':>8} {'p95':>8}  (ms)")
        for name, p50, p95, cpu50, cpu95 in await measure(database, options.runs):
            print(f"  {name:<48} {p50:9.2f} {p95:8.2f}   {cpu50:8.2f} {cpu95:8.2f}")
        if options.explain:
            await explain(database)
    finally:
        await database.close()


async def _stored(database: Database) -> int:
    async with database.engine.connect() as connection:
        return int((await connection.execute(text("SELECT count(*) FROM vacancies"))).scalar_one())


async def _import(database: Database, drafts: list[VacancyDraft], batch: int) -> None:
    async with database.engine.begin() as connection:
        # PostgreSQL: no dead rows of an earlier run left to vacuum (CASCADE: alerts point at vacancies).
        if connection.dialect.name == "postgresql":
            await connection.execute(text(f"TRUNCATE {', '.join(VACANCY_TABLES)} CASCADE"))
        else:
            for table in VACANCY_TABLES:
                await connection.execute(text(f"DELETE FROM {table}"))
    busy = os.getloadavg()[0]
    seconds, cpu = await load(database, drafts, batch)
    print(
        f"  load average of the machine: {busy:.1f} before the import, "
        f"{os.getloadavg()[0]:.1f} after ({os.cpu_count()} CPUs)"
    )
    print(
        f"  import of {len(drafts):,} through upsert_vacancies: {seconds:.1f} s "
        f"({len(drafts) / seconds:,.0f}/s, batches of {batch:,}; CPU of this process {cpu:.1f} s)"
    )
    await _analyze(database)


async def _analyze(database: Database) -> None:
    if database.engine.dialect.name == "postgresql":
        engine: Any = database.engine  # SQLAlchemy's AsyncEngine: VACUUM runs outside a transaction
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE"))
    else:
        async with database.engine.begin() as connection:
            await connection.execute(text("ANALYZE"))
        # The import leaves a long WAL that the checkpointer thread would copy while the queries are
        # timed, its CPU counted against them: copy it now, as it is once the import has settled.
        await truncate_wal(database.engine)


async def main(options: Options) -> None:
    started = time.perf_counter()
    drafts = generate(options.count)
    print(
        f"vacancy search benchmark: {options.count:,} vacancies "
        f"generated in {time.perf_counter() - started:.1f} s"
    )
    if options.sqlite:
        with tempfile.TemporaryDirectory() as scratch:
            path = options.sqlite_path or str(Path(scratch) / "bench.db")
            print("\nSQLite (inline, WAL)")
            await run(f"sqlite:///{path}", drafts, options, cache_mib=options.cache_mib)
    if options.postgres:
        print("\nPostgreSQL")
        await run(options.postgres, drafts, options)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200, help="queries per kind (default 200)")
    parser.add_argument("--batch", type=int, default=1_000, help="vacancies per upsert call (default 1000)")
    parser.add_argument("--postgres", help="a scratch PostgreSQL URL (default: SQLite only)")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument(
        "--sqlite-cache-mib", type=int, default=0, help="SQLite page cache (default: the engine's 64 MiB)"
    )
    parser.add_argument("--sqlite-path", help="keep the SQLite file here (default: a temporary one)")
    parser.add_argument(
        "--reuse", action="store_true", help="skip the import when the store holds --count already"
    )
    arguments = parser.parse_args()
    asyncio.run(
        main(
            Options(
                count=arguments.count,
                runs=arguments.runs,
                batch=arguments.batch,
                postgres=arguments.postgres,
                explain=arguments.explain,
                sqlite=not arguments.skip_sqlite,
                cache_mib=arguments.sqlite_cache_mib,
                sqlite_path=arguments.sqlite_path,
                reuse=arguments.reuse,
            )
        )
    )
