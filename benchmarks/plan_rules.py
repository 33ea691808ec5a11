"""The plan and check-in reminder rules at scale: a sweep over many plans and graduates, SQLite and
PostgreSQL.

On a fresh database: ``--people`` consenting graduates, each with ``--steps`` plan steps due over the
next 60 days and a graduation date in the last 15 months. Then, on a virtual clock:

1. **first sweep**: both rules run once (what is due now and tomorrow is enqueued);
2. **steady sweep**: the same moment again (goal: nothing enqueued, nothing withdrawn);
3. **a week of sweeps**, one every three hours: the time of each, notices enqueued and withdrawn, while a
   tenth of the due steps are moved and a tenth marked done before each day's sweeps (through the store),
   so withdrawals happen; at the end, keys enqueued twice (goal 0) and overdue nudges per step-version
   (goal at most 1). No relay runs: a notice still pending when its rule stops wanting it (its moment
   passed: the eve reminder at the morning, a check-in after two weeks) is withdrawn too.

    .venv/bin/python benchmarks/plan_rules.py [--people 20000 --steps 3] [--postgres URL] [--skip-sqlite]

``--postgres`` takes a scratch database: its schema is dropped and rebuilt.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: the repository's root
from backend_client.broadcasts import CLI
from backend_client.clock import ManualClock
from backend_client.sql import Database, migrate, open_database
from backend_client.sql.plans.tables import graduations, plan_steps
from backend_client.sql.tables import channel_accounts, outbox, people
from notifications.rules import apply_rule
from notifications.rules.check_ins import CheckInsRule
from notifications.rules.plan_reminders import PlanRemindersRule

SAMARA = ZoneInfo("Europe/Samara")
START = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)  # Monday 10:00 in Samara
TODAY = date(2026, 12, 7)


async def fresh(url: str | None, workdir: Path, clock: ManualClock) -> Database:
    if url is None:
        url = f"sqlite:///{workdir / f'plans-{time.monotonic_ns()}.db'}"
    else:
        scratch = await open_database(url, clock)
        async with scratch.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await scratch.close()
    await asyncio.to_thread(migrate, url)
    return await open_database(url, clock)


async def seed(database: Database, count: int, steps: int) -> float:
    rng = random.Random(17)
    started = time.perf_counter()
    async with database.engine.begin() as connection:
        for first in range(1, count + 1, 5_000):
            ids = range(first, min(first + 5_000, count + 1))
            await connection.execute(
                insert(people),
                [
                    {
                        "id": i,
                        "role": "graduate",
                        "age_band": "18_plus",
                        "consent_status": "granted",
                        "created_at": START,
                    }
                    for i in ids
                ],
            )
            await connection.execute(
                insert(channel_accounts),
                [
                    {
                        "person_id": i,
                        "channel": "bench",
                        "external_id": str(i),
                        "chat_id": str(i),
                        "created_at": START,
                    }
                    for i in ids
                ],
            )
            await connection.execute(
                insert(graduations),
                [
                    {
                        "person_id": i,
                        "graduated_on": TODAY - timedelta(days=rng.randrange(450)),
                        "recorded_at": START,
                    }
                    for i in ids
                ],
            )
            await connection.execute(
                insert(plan_steps),
                [
                    {
                        "person_id": i,
                        "text": f"Шаг {n} плана",
                        "due_on": TODAY + timedelta(days=rng.randrange(60)),
                        "place": "",
                        "status": "open",
                        "version": 1,
                        "created_at": START - timedelta(days=3),
                        "updated_at": START - timedelta(days=3),
                    }
                    for i in ids
                    for n in range(steps)
                ],
            )
    return time.perf_counter() - started


async def sweep(database: Database, rules: tuple, now: datetime) -> tuple[float, int, int]:
    started = time.perf_counter()
    enqueued = withdrawn = 0
    for rule in rules:
        run = await apply_rule(rule, database.outbox, now)
        enqueued, withdrawn = enqueued + run.enqueued, withdrawn + run.withdrawn
    return time.perf_counter() - started, enqueued, withdrawn


async def churn(database: Database, day: date, rng: random.Random) -> tuple[int, int]:
    """A tenth of the steps due tomorrow moved a week on, a tenth of today's marked done."""
    due = await database.plans.open_steps_due(day, day + timedelta(days=1))
    moved = done = 0
    for step in due:
        roll = rng.random()
        if step.due_on > day and roll < 0.1:
            await database.plans.move_step(CLI, step.id, step.due_on + timedelta(days=7), today=day)
            moved += 1
        elif step.due_on == day and roll < 0.1:
            await database.plans.mark_step_done(step.person_id, step.id)
            done += 1
    return moved, done


async def run(name: str, url: str | None, options: argparse.Namespace, workdir: Path) -> None:
    clock = ManualClock(START)
    database = await fresh(url, workdir, clock)
    try:
        seeded = await seed(database, options.people, options.steps)
        print(
            f"{name}: {options.people:,} graduates, {options.people * options.steps:,} steps "
            f"seeded in {seeded:.1f} s"
        )
        rules = (PlanRemindersRule(database.plans, SAMARA), CheckInsRule(database.plans, SAMARA))
        first = await sweep(database, rules, clock.now())
        print(f"  first sweep: {first[0] * 1000:.0f} ms, {first[1]:,} enqueued")
        again = await sweep(database, rules, clock.now())
        print(
            f"  steady sweep: {again[0] * 1000:.0f} ms, {again[1]} enqueued, {again[2]} withdrawn (goal 0, 0)"
        )
        rng, times, enqueued, withdrawn, changes = random.Random(3), [], 0, 0, Counter[str]()
        for hours in range(3, 24 * 7 + 1, 3):
            clock.set(START + timedelta(hours=hours))
            if hours % 24 == 3:
                moved, done = await churn(database, clock.now().astimezone(SAMARA).date(), rng)
                changes.update(moved=moved, done=done)
            took, added, taken = await sweep(database, rules, clock.now())
            times.append(took)
            enqueued, withdrawn = enqueued + added, withdrawn + taken
        print(
            f"  a week of sweeps every 3 h: median {statistics.median(times) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms; {enqueued:,} enqueued, {withdrawn:,} withdrawn "
            f"({changes['moved']:,} steps moved, {changes['done']:,} done)"
        )
        async with database.engine.connect() as connection:
            keys = [row.key.rpartition("|")[0] for row in await connection.execute(select(outbox.c.key))]
        twice = sum(1 for count in Counter(keys).values() if count > 1)
        nudges = Counter(key.rpartition(":")[0] for key in keys if key.endswith(":overdue"))
        most = max(nudges.values(), default=0)
        print(
            f"  keys enqueued twice: {twice} (goal 0); most overdue nudges per step version: {most} (goal 1)"
        )
    finally:
        await database.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--steps", type=int, default=3)
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
