"""Vacancy alerts at scale: 100,000 saved searches and a batch of 10,000 new vacancies, SQLite and PostgreSQL.

On a fresh database, for each store:

1. A catalogue of ``--catalogue`` open vacancies and the batch of ``--batch`` new ones are imported (the
   demo's roles at the demo's employers, all over the region); the batch goes in before the searches
   exist, so its import matches nothing.
2. ``--people`` people (a tenth of them 15-year-old pupils, every one with a messenger account) get
   ``--searches`` saved searches, written in bulk with the store's own rules (terms, the rarest word as
   the index key): one or two words of a role's title or profession in nine of ten, a place in seven of
   ten, and a kind, pay, «без опыта», part-time, exclude words, daily now and then.
3. **match**: ``match_vacancies`` of the batch's ids — index, exact rule, minors' law, the once-only pairs
   and the outbox notices, in one transaction: the time to match and enqueue (goal < 60 s on PostgreSQL).
4. **again**: the same batch matched again, and imported again: pairs and outbox rows added (goal 0).
5. **two processes**: the batch's pairs and notices removed, then two OS processes match it at once
   (goal: the same pairs and notices as one process, none twice).
6. **send**: a fifth of the batch is closed through the catalogue, then the real relay sends the alerts
   of the first ``--send-people`` people (a messenger that accepts at once, the day's alert hour on a
   virtual clock): alerts sent and withdrawn, vacancies listed, closed vacancies listed (goal 0),
   (person, vacancy) listed twice (goal 0).

    .venv/bin/python benchmarks/alerts.py [--searches 100000 --batch 10000] [--postgres URL] [--skip-sqlite]

``--postgres`` takes a scratch database: its schema is dropped and rebuilt.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: the repository's root
from backend_client.clock import ManualClock
from backend_client.reference import BY_CODE
from backend_client.sql import Database, migrate, open_database
from backend_client.sql.alerts.rows import filters_from, search_values
from backend_client.sql.alerts.tables import saved_search_keys, saved_searches, vacancy_alert_items
from backend_client.sql.tables import channel_accounts, outbox, people, profiles
from backend_client.sql.vacancies.search import posting_counts
from backend_client.sql.vacancies.tables import vacancies
from backend_client.vacancies.alerts import AlertContents, AlertFrequency, index_keys, key_term
from backend_client.vacancies.demo import FIRMS, requisites, role_vacancy
from backend_client.vacancies.demo_roles import demo_roles
from backend_client.vacancies.models import VacancyDraft, VacancyKind, VacancyQuery, VacancyStatus
from backend_client.vacancies.terms import words
from dialogs.views.alerts import alert_text
from notifications.alerts import AlertExpander
from notifications.ratelimit import Limits, MemoryRateLimiter
from notifications.relay import Relay, RelayPolicy
from notifications.sender import Delivered, Message, Outcome

NOW = datetime(2026, 10, 12, 7, tzinfo=UTC)  # 11:00 in Samara, a school day
EVENING = datetime(2026, 10, 12, 14, tzinfo=UTC)  # 18:00: daily alerts are due too
SAMARA = ZoneInfo("Europe/Samara")
PLACES = sorted(BY_CODE)
BIG = ("36401", "36440", "36435", "36404")  # Самара, Тольятти, Сызрань, Жигулёвск: most vacancies
UNLIMITED = Limits(per_second=1e9, burst=1_000_000_000, private_interval=0.0)
CHANNEL = "bench"
QUIET_KINDS = (VacancyKind.INTERNSHIP, VacancyKind.PRACTICE, VacancyKind.TEMPORARY, VacancyKind.TARGETED)


def drafts(count: int, start: int, seed: int) -> list[VacancyDraft]:
    rng = random.Random(seed)
    roles = demo_roles()
    found = []
    for number in range(start, start + count):
        role = rng.choice(roles)
        firm = rng.choice([firm for firm in FIRMS if firm.sector in role.sectors])
        base = role_vacancy(number, role, firm, requisites(firm, number % 7), rng, date(2026, 10, 1))
        place = firm.municipality if rng.random() < 0.6 else rng.choice(PLACES)
        found.append(replace(base, source="bench", source_id=f"b{number:07d}", municipality=place))
    return found


@dataclass(frozen=True, slots=True)
class Mix:
    """How subscriptions are made: the shares of searches with two words, with a place, with a pay floor,
    with «без опыта»."""

    two_words: float = 0.2
    place: float = 0.8
    salary: float = 0.2
    no_experience: float = 0.2


MIXES = {
    "broad": Mix(),  # a word (now and then two), mostly a town: each gets ~60 of a 10k batch of demo roles
    "specific": Mix(two_words=0.5, place=1.0, salary=0.3, no_experience=0.3),
}


def search_query(rng: random.Random, mix: Mix) -> tuple[VacancyQuery, str, AlertFrequency]:
    """A subscription as people make them: a profession's word (now and then two) in their town, or
    «стажировки / практика / подработка» somewhere without words; a filter or two at times."""
    role = rng.choice(demo_roles())
    chance = rng.random
    profession = list(dict.fromkeys(words(role.profession)))
    title = [word for word in dict.fromkeys(words(role.title)) if word not in profession]
    if chance() < 0.9 and profession:
        chosen = [rng.choice(profession)] + (
            [rng.choice(title)] if title and chance() < mix.two_words else []
        )
        text, kinds = " ".join(chosen), frozenset({role.kind}) if chance() < 0.2 else frozenset()
    else:
        text, kinds = "", frozenset({rng.choice(QUIET_KINDS)})
    place = (rng.choice(BIG) if chance() < 0.7 else rng.choice(PLACES)) if chance() < mix.place else None
    options: dict[str, Any] = {
        "municipality": place,
        "kinds": kinds,
        "salary_from": rng.choice((30_000, 40_000, 50_000)) if chance() < mix.salary else None,
        "no_experience": chance() < mix.no_experience,
        "part_time": chance() < 0.05,
        "remote": chance() < 0.01,
    }
    exclude = rng.choice(("ночь", "вахта", "продажа")) if chance() < 0.1 else ""
    frequency = AlertFrequency.DAILY if chance() < 0.3 else AlertFrequency.INSTANT
    return VacancyQuery(text=text, **options), exclude, frequency


async def fresh(url: str | None, workdir: Path, clock: ManualClock) -> tuple[Database, str]:
    if url is None:
        url = f"sqlite:///{workdir / f'alerts-{time.monotonic_ns()}.db'}"
    else:
        scratch = await open_database(url, clock)
        async with scratch.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await scratch.close()
    await asyncio.to_thread(migrate, url)
    return await open_database(url, clock), url


async def import_all(database: Database, batch: list[VacancyDraft], size: int = 1_000) -> float:
    started = time.perf_counter()
    for start in range(0, len(batch), size):
        report = await database.vacancy_catalogue.upsert_vacancies(batch[start : start + size])
        assert not report.problems, report.problems[:3]
    return time.perf_counter() - started


async def add_people(database: Database, count: int) -> None:
    """Consenting people with a messenger account each; every tenth a 15-year-old pupil."""
    async with database.engine.begin() as connection:
        for first in range(1, count + 1, 5_000):
            ids = range(first, min(first + 5_000, count + 1))
            teen = {i for i in ids if i % 10 == 0}
            await connection.execute(
                insert(people),
                [
                    {
                        "id": i,
                        "role": "pupil" if i in teen else "graduate",
                        "age_band": "14_17" if i in teen else "18_plus",
                        "consent_status": "granted",
                        "created_at": NOW,
                    }
                    for i in ids
                ],
            )
            await connection.execute(
                insert(channel_accounts),
                [
                    {
                        "person_id": i,
                        "channel": CHANNEL,
                        "external_id": str(i),
                        "chat_id": str(i),
                        "created_at": NOW,
                    }
                    for i in ids
                ],
            )
            await connection.execute(
                insert(profiles), [{"person_id": i, "birth_year": 2011, "updated_at": NOW} for i in teen]
            )


async def add_searches(database: Database, count: int, people_count: int, mix: Mix) -> float:
    """``count`` searches spread over the people (at most 10 each), with their index keys."""
    rng = random.Random(16)
    started = time.perf_counter()
    chosen = [search_query(rng, mix) for _ in range(count)]
    rows = [
        {
            "id": n + 1,
            "person_id": n % people_count + 1,
            "frequency": frequency.value,
            "paused": False,
            "created_at": NOW,
            "updated_at": NOW,
            **search_values(query, exclude),
        }
        for n, (query, exclude, frequency) in enumerate(chosen)
    ]
    async with database.engine.begin() as connection:
        terms = sorted({term for row in rows for term in row["terms"].split()})
        postings: dict[str, int] = {}
        for start in range(0, len(terms), 50):
            postings.update(await posting_counts(connection, tuple(terms[start : start + 50])))
        keys = []
        for row in rows:
            filters = filters_from(_Row(row))
            key = key_term(filters.terms, postings)
            keys += [
                {"term": t, "place": p, "kind": k, "search_id": row["id"]}
                for t, p, k in index_keys(filters, key)
            ]
        for start in range(0, len(rows), 5_000):
            await connection.execute(insert(saved_searches), rows[start : start + 5_000])
        for start in range(0, len(keys), 10_000):
            await connection.execute(insert(saved_search_keys), keys[start : start + 10_000])
        if connection.dialect.name == "postgresql":
            await connection.execute(text("SELECT setval('saved_searches_id_seq', :n)"), {"n": count})
    return time.perf_counter() - started


class _Row:
    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


async def analyze(database: Database) -> None:
    async with database.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE"))
        else:
            await connection.execute(text("ANALYZE"))


async def counts(database: Database) -> tuple[int, int]:
    """(pairs recorded, alert rows in the outbox)."""
    async with database.engine.connect() as connection:
        pairs = (await connection.execute(select(func.count()).select_from(vacancy_alert_items))).scalar_one()
        rows = (
            await connection.execute(
                select(func.count()).select_from(outbox).where(outbox.c.key.startswith("alert:"))
            )
        ).scalar_one()
    return int(pairs), int(rows)


async def batch_ids(database: Database, first: int, count: int) -> list[int]:
    wanted = [f"b{n:07d}" for n in range(first, first + count)]
    async with database.engine.connect() as connection:
        found = []
        for start in range(0, len(wanted), 1_000):
            rows = await connection.execute(
                select(vacancies.c.id).where(
                    vacancies.c.source == "bench", vacancies.c.source_id.in_(wanted[start : start + 1_000])
                )
            )
            found += [row.id for row in rows]
    return sorted(found)


async def worker(url: str, ids_file: str) -> None:
    """One of the two processes matching at once: prints its run as JSON."""
    database = await open_database(url, ManualClock(NOW))
    try:
        ids = json.loads(await asyncio.to_thread(Path(ids_file).read_text))
        deadline = time.monotonic() + 1_800
        while True:
            try:
                run = await database.vacancy_alerts.match_vacancies(ids)
                break
            except Exception as error:  # SQLite's one writer: the other holds it longer than the busy wait
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.5)
        print(json.dumps({"new_pairs": run.new_pairs, "notices": run.notices}))
    finally:
        await database.close()


async def two_processes(database: Database, url: str, ids: list[int], workdir: Path) -> list[dict[str, int]]:
    async with database.engine.begin() as connection:
        await connection.execute(delete(vacancy_alert_items))
        await connection.execute(delete(outbox).where(outbox.c.key.startswith("alert:")))
    ids_file = workdir / "ids.json"
    await asyncio.to_thread(ids_file.write_text, json.dumps(ids))
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--worker", url, str(ids_file), stdout=asyncio.subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [await process.communicate() for process in processes]
    return [json.loads(out.decode().strip().splitlines()[-1]) for out, _ in outputs]


class Accepting:
    """A messenger that accepts everything at once: only the relay and the store are measured."""

    def __init__(self) -> None:
        self.sent = 0

    async def send(self, message: Message) -> Outcome:
        self.sent += 1
        return Delivered(str(self.sent))


@dataclass
class Sent:
    listed: Counter[tuple[int, int]]
    alerts: int = 0


async def send_everything(
    database: Database, clock: ManualClock, sample: int
) -> tuple[Sent, float, dict[str, int]]:
    sent = Sent(Counter())

    def recording(alert: AlertContents) -> str:
        sent.alerts += 1
        sent.listed.update((alert.person_id, vacancy.id) for vacancy in alert.shown)
        return alert_text(alert)

    clock.set(EVENING)
    relay = Relay(
        database.outbox,
        {CHANNEL: Accepting()},
        MemoryRateLimiter(UNLIMITED),
        clock,
        owner="bench",
        timezone=SAMARA,
        policy=RelayPolicy(batch=500, concurrency=16),
        expand=AlertExpander(database.vacancy_alerts, recording),
        chats=[str(n) for n in range(1, sample + 1)],
    )
    started = time.perf_counter()
    while await relay.run_once():
        pass
    return sent, time.perf_counter() - started, await database.outbox.counts()


async def closed_listed(database: Database, listed: Counter[tuple[int, int]]) -> int:
    ids = sorted({vacancy for _, vacancy in listed})
    closed = 0
    async with database.engine.connect() as connection:
        for start in range(0, len(ids), 1_000):
            rows = await connection.execute(
                select(func.count())
                .select_from(vacancies)
                .where(
                    vacancies.c.id.in_(ids[start : start + 1_000]),
                    vacancies.c.status != VacancyStatus.OPEN.value,
                )
            )
            closed += int(rows.scalar_one())
    return closed


async def run(name: str, url: str | None, options: argparse.Namespace, workdir: Path) -> None:
    clock = ManualClock(NOW)
    database, url = await fresh(url, workdir, clock)
    print(f"\n== {name}")
    try:
        catalogue = drafts(options.catalogue, 1, seed=1)
        batch = drafts(options.batch, options.catalogue + 1, seed=2)
        seconds = await import_all(database, catalogue + batch)
        print(
            f"catalogue: {len(catalogue):,} + batch {len(batch):,} imported in {seconds:.1f} s (no searches)"
        )
        await add_people(database, options.people)
        seconds = await add_searches(database, options.searches, options.people, MIXES[options.mix])
        await analyze(database)
        print(
            f"searches ({options.mix}): {options.searches:,} of {options.people:,} people written in "
            f"{seconds:.1f} s"
        )
        ids = await batch_ids(database, options.catalogue + 1, options.batch)

        started = time.perf_counter()
        first = await database.vacancy_alerts.match_vacancies(ids)
        seconds = time.perf_counter() - started
        pairs, rows = await counts(database)
        print(
            f"match: {seconds:.1f} s for {first.vacancies:,} vacancies × {options.searches:,} searches — "
            f"{first.candidates:,} candidates from the index, {first.matched:,} (person, vacancy) pairs fit, "
            f"{first.new_pairs:,} new, {first.notices:,} alert notices enqueued"
        )
        again = await database.vacancy_alerts.match_vacancies(ids)
        report = await database.vacancy_catalogue.upsert_vacancies(batch)
        after = await counts(database)
        print(
            f"again: matched a second time → {again.new_pairs} new pairs, {again.notices} notices; "
            f"imported a second time → {report.unchanged:,} unchanged, "
            f"pairs +{after[0] - pairs}, outbox rows +{after[1] - rows}"
        )
        runs = await two_processes(database, url, ids, workdir)
        together = await counts(database)
        print(
            f"two processes at once: new pairs {runs[0]['new_pairs']:,} + {runs[1]['new_pairs']:,} = "
            f"{runs[0]['new_pairs'] + runs[1]['new_pairs']:,} (one process: {first.new_pairs:,}); "
            f"pairs {together[0]:,}, outbox rows {together[1]:,} (one process: {pairs:,}, {rows:,})"
        )
        rng = random.Random(5)
        closing = [replace(d, status=VacancyStatus.CLOSED) for d in batch if rng.random() < 0.2]
        await import_all(database, closing)
        sent, seconds, outcome = await send_everything(database, clock, options.send_people)
        twice = sum(1 for count in sent.listed.values() if count > 1)
        closed = await closed_listed(database, sent.listed)
        print(
            f"send: {len(closing):,} of the batch closed first; the relay, for {options.send_people:,} "
            f"people, {seconds:.1f} s: outbox {dict(outcome)}; alerts put together {sent.alerts:,}, "
            f"vacancies listed {sum(sent.listed.values()):,}, closed listed {closed}, "
            f"(person, vacancy) listed twice {twice}"
        )
    finally:
        await database.close()


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        asyncio.run(worker(sys.argv[2], sys.argv[3]))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--searches", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=25_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--catalogue", type=int, default=20_000)
    parser.add_argument("--send-people", type=int, default=1_000, help="whose alerts the relay sends")
    parser.add_argument("--mix", choices=sorted(MIXES), default="broad", help="how subscriptions are made")
    parser.add_argument("--postgres", help="a scratch PostgreSQL database (its schema is dropped)")
    parser.add_argument("--skip-sqlite", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if not options.skip_sqlite:
            asyncio.run(run("SQLite", None, options, Path(folder)))
        if options.postgres:
            asyncio.run(run("PostgreSQL", options.postgres, options, Path(folder)))


if __name__ == "__main__":
    main()
