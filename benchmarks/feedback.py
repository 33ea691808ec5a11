"""«Обратная связь» at a region's scale: tickets opened through the store, the operators' inbox, one ticket,
the report, and «Взять» raced by two operators, on SQLite and PostgreSQL.

On a fresh database, for each store:

1. ``--people`` people with consent (a messenger account each) open ``--tickets`` tickets in all (two to
   three messages each, topics mixed), one transaction per ticket as in the bot: tickets opened per second.
2. A third of them are answered by an operator through the outbox (the answer's transaction: role check,
   conditional hold, message, outbox row, audit), a few hours apart on a virtual clock: answers per second.
3. **inbox** (the 20 oldest open tickets), **ticket** (one with its messages and the person's shared
   details) and **report** (every ticket's figures): median and p95 of ``--reads`` calls, in ms.
4. **race**: ``--races`` fresh tickets, each taken by two operators at once (``asyncio.gather``; on
   PostgreSQL two connections): tickets with exactly one winner (goal: all).

    .venv/bin/python benchmarks/feedback.py [--people 2000 --tickets 5000] [--postgres URL] [--skip-sqlite]

``--postgres`` takes a scratch database: its schema is dropped and rebuilt.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from backend_client.broadcasts import CLI, Actor
from backend_client.clock import ManualClock
from backend_client.feedback import TakeOutcome, Topic
from backend_client.models import AgeBand, Role
from backend_client.sql import Database, migrate, open_database

TOPICS = tuple(Topic)
WORDS = [
    "не",
    "могу",
    "записаться",
    "на",
    "профтур",
    "кнопка",
    "не",
    "работает",
    "где",
    "справка",
    "когда",
    "ярмарка",
    "вакансий",
]


def notice(number: int, body: str) -> str:
    return f"Ответ на ваше обращение №{number}:\n\n{body}\n\n— Региональный центр"


async def fresh(url: str | None, workdir: Path, clock: ManualClock) -> Database:
    if url is None:
        url = f"sqlite:///{workdir / f'feedback-{time.monotonic_ns()}.db'}"
    else:
        scratch = await open_database(url, clock)
        async with scratch.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await scratch.close()
    await asyncio.to_thread(migrate, url)
    return await open_database(url, clock)


async def timed(calls: int, call: Callable[[], Awaitable[object]]) -> tuple[float, float]:
    spent = []
    for _ in range(calls):
        started = time.perf_counter()
        await call()
        spent.append((time.perf_counter() - started) * 1000)
    spent.sort()
    return statistics.median(spent), spent[max(0, int(len(spent) * 0.95) - 1)]


async def people(database: Database, count: int) -> list[int]:
    found = []
    for n in range(count):
        person = await database.records.identify("telegram", str(10_000 + n), str(10_000 + n))
        await database.records.choose_role(person.id, Role.GRADUATE, AgeBand.ADULT)
        await database.records.give_own_consent(person.id, version="v1", channel="telegram")
        found.append(person.id)
    return found


async def run(name: str, url: str | None, options: argparse.Namespace, workdir: Path) -> None:
    clock = ManualClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    database = await fresh(url, workdir, clock)
    rng = random.Random(18)
    try:
        who = await people(database, options.people)
        for account in ("op1", "op2"):
            await database.records.identify("telegram", account, account)
            await database.broadcasts.grant_operator("telegram", account, by="bench")
        first, second = Actor("telegram", "op1"), Actor("telegram", "op2")

        started = time.perf_counter()
        tickets = []
        for n in range(options.tickets):
            texts = [" ".join(rng.choices(WORDS, k=12)) for _ in range(rng.randint(2, 3))]
            ticket = await database.feedback.open_ticket(
                who[n % len(who)], TOPICS[n % len(TOPICS)], texts, shared=n % 2 == 0, press=f"o{n}"
            )
            tickets.append(ticket.id)
            if n % 50 == 0:
                clock.advance(timedelta(minutes=7))
        opened = options.tickets / (time.perf_counter() - started)

        started = time.perf_counter()
        answered = tickets[: len(tickets) // 3]
        for n, ticket_id in enumerate(answered):
            clock.advance(timedelta(seconds=37))
            await database.feedback.answer_ticket(
                Actor("telegram", "op1", f"a{n}"), ticket_id, "Спасибо, разберёмся.", notice
            )
        answers = len(answered) / (time.perf_counter() - started)

        inbox = await timed(options.reads, lambda: database.feedback.inbox(first))
        view = await timed(options.reads, lambda: database.feedback.ticket_view(first, tickets[-2]))
        report = await timed(
            max(5, options.reads // 10), lambda: database.feedback.feedback_report(CLI, timedelta(hours=24))
        )

        single = 0
        for n in range(options.races):
            ticket = await database.feedback.open_ticket(who[n], Topic.QUESTION, ["гонка"], shared=False)
            outcomes = await asyncio.gather(
                database.feedback.take_ticket(first, ticket.id),
                database.feedback.take_ticket(second, ticket.id),
            )
            single += outcomes.count(TakeOutcome.TAKEN) == 1
    finally:
        await database.close()
    print(f"{name}: {options.tickets} tickets of {options.people} people")
    print(f"  opened {opened:,.0f}/s, answered through the outbox {answers:,.0f}/s")
    print(f"  inbox   median {inbox[0]:.2f} ms, p95 {inbox[1]:.2f} ms")
    print(f"  ticket  median {view[0]:.2f} ms, p95 {view[1]:.2f} ms")
    print(f"  report  median {report[0]:.1f} ms, p95 {report[1]:.1f} ms (all {options.tickets} tickets)")
    print(f"  race    {single}/{options.races} tickets with exactly one winner")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--tickets", type=int, default=5000)
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--races", type=int, default=100)
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
