"""The delivery probes replayed: for each fault, how many inputs, and how many effects came twice, went
missing or landed in the wrong place.

Two replicas are two engines over their own connections to one database (one SQLite file by default, or
``--postgres URL`` with ``--redis URL`` for conversation state in Redis, as a production pair runs), with
the real flows, the real stores and a manual clock. Each probe drives people through the conversations
the way the fault hits them in production:

- **double tap on two replicas**: an operator's «Отправить» (a campaign), «Разослать всем сейчас» (an
  emergency), a pupil's «Записаться», a graduate's «Согласен»: two updates with the same button, at once,
  one on each replica;
- **same update on two replicas**: one update delivered to both at once (a webhook retried while the first
  delivery was still busy);
- **state save failed after the effect**: the effect committed, the state write failed (Redis blipped),
  the person got an apology and pressed the still-valid button again;
- **reply refused, then the sweep**: the messenger failed every try of the reply; the sweep of owed
  replies runs later;
- **killed while sending the reply**: the process dies after the turn committed and before the reply left;
  the messenger redelivers the update;
- **people retype after a restart**: the answer was filed and the reply lost to the restart; the
  redelivery brings the next question, and the person, who saw nothing for a while, types the same answer
  again a few seconds later.

Duplicates: effects beyond one per press (campaigns, system messages, sign-ups, consents) or a reply shown
twice. Lost: a press without its effect, or a turn whose reply never reached the person. Misfiled: an
answer stored under a question it did not answer.

    .venv/bin/python benchmarks/faults.py [--rounds 20] [--postgres URL --redis URL]

``--postgres`` takes the URL of a scratch database: its tables are emptied.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import func, select, text

from backend_client.broadcasts import CLI
from backend_client.clock import ManualClock
from backend_client.kv.redis_store import RedisConversationStore
from backend_client.ports import ConversationStore, Receipt
from backend_client.sql import Database, migrate, open_database
from backend_client.sql.tables import campaigns, consents, event_signups, metadata, profiles, system_messages
from bot.wiring import build_engine
from dialogs.engine import Engine
from dialogs.testing import DialogClient
from dialogs.ui import Incoming, Outcome

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the flow helpers live with the tests
from tests.flows.conftest import choose_role, consent_adult, fill_rest
from tests.flows.test_events import draft, pupil

SOURCE = "bench:bot"
SPECIALTY = "Сварочное производство"
_updates = itertools.count(1)


@dataclass
class Row:
    fault: str
    inputs: int
    duplicates: int
    lost: int
    misfiled: int = 0


class Blips:
    """A conversation store whose next write fails, as a Redis or database blip does (the wrapped store
    is the real one; only the failure is made up)."""

    def __init__(self, store: ConversationStore) -> None:
        self._store = store
        self.fail_next = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def _blip(self) -> None:
        if self.fail_next:
            self.fail_next = False
            raise ConnectionError("the store went away")

    async def save(self, *args: Any, **kwargs: Any) -> int:
        self._blip()
        return await self._store.save(*args, **kwargs)

    async def delete(self, *args: Any, **kwargs: Any) -> None:
        self._blip()
        await self._store.delete(*args, **kwargs)


@dataclass
class Pair:
    one: Engine
    two: Engine
    database: Database
    blips: Blips

    async def count(self, table: Any, *where: Any) -> int:
        async with self.database.engine.connect() as connection:
            query = select(func.count()).select_from(table).where(*where)
            return int((await connection.execute(query)).scalar() or 0)


def press(client: DialogClient, label: str, update_id: int | None = None) -> Incoming:
    receipt = Receipt(SOURCE, update_id if update_id is not None else next(_updates))
    return Incoming.press(client.channel, client.account_id, client.button(label).payload, receipt=receipt)


def shown(client: DialogClient, outcomes: list[Outcome]) -> None:
    """The person sees the answer that has a screen (the repeat is a notice or nothing)."""
    for outcome in outcomes:
        buttons = tuple(b for reply in outcome.replies for b in reply.buttons)
        if buttons and "Извините" not in " ".join(outcome.texts):
            client.last, client._buttons = outcome, buttons


async def twice(pair: Pair, client: DialogClient, label: str, mode: str) -> None:
    """One press of ``label``, delivered twice in ``mode``."""
    if mode == "double tap":
        first, second = press(client, label), press(client, label)
        shown(client, list(await asyncio.gather(pair.one.handle(first), pair.two.handle(second))))
    elif mode == "same update":
        update = next(_updates)
        first, second = press(client, label, update), press(client, label, update)
        shown(client, list(await asyncio.gather(pair.one.handle(first), pair.two.handle(second))))
    else:  # the state save fails after the effect; the button is pressed again on the other replica
        pair.blips.fail_next = True
        apology = await pair.one.handle(press(client, label))
        shown(client, [apology, await pair.two.handle(press(client, label))])


# -- the probes ----------------------------------------------------------------------------------------
async def campaigns_probe(pair: Pair, rounds: int, mode: str) -> Row:
    op = DialogClient(pair.one, account_id=f"op-{mode}")
    await consent_adult(op)
    await pair.database.broadcasts.grant_operator("test", op.account_id, by="bench")
    before = await pair.count(campaigns)
    for n in range(rounds):
        await op.send("/operator")
        await op.press("Новая рассылка")
        await op.send(f"Ярмарка вакансий №{n}")
        await op.press("Далее")
        await op.press("Сейчас")
        await twice(pair, op, "Отправить", mode)
    made = await pair.count(campaigns) - before
    return Row(f"campaign «Отправить», {mode}", rounds, max(0, made - rounds), max(0, rounds - made))


async def emergency_probe(pair: Pair, rounds: int, mode: str) -> Row:
    op = DialogClient(pair.one, account_id=f"em-{mode}")
    await consent_adult(op)
    await pair.database.broadcasts.grant_operator("test", op.account_id, by="bench")
    before = await pair.count(system_messages)
    for n in range(rounds):
        await op.send("/operator")
        await op.press("Аварийное сообщение")
        await op.send(f"Сбой входа №{n}, чиним.")
        await twice(pair, op, "Разослать всем сейчас", mode)
    made = await pair.count(system_messages) - before
    return Row(
        f"emergency «Разослать всем сейчас», {mode}", rounds, max(0, made - rounds), max(0, rounds - made)
    )


async def signups_probe(pair: Pair, rounds: int, mode: str, clock: ManualClock) -> Row:
    before = await pair.count(event_signups)
    title = f"Профтур №{len(mode)}"  # the modes' names differ in length; labels are clipped
    await pair.database.records.create_event(CLI, draft(clock, title, capacity=rounds + 1))
    for n in range(rounds):
        person = DialogClient(pair.one, account_id=f"pupil-{mode}-{n}")
        await pupil(person)
        await person.press("Профтуры и профпробы")
        await person.press(title)
        await twice(pair, person, "Записаться", mode)
    made = await pair.count(event_signups) - before
    return Row(f"sign-up «Записаться», {mode}", rounds, max(0, made - rounds), max(0, rounds - made))


async def consents_probe(pair: Pair, rounds: int, mode: str) -> Row:
    before = await pair.count(consents)
    for n in range(rounds):
        person = DialogClient(pair.one, account_id=f"grad-{mode}-{n}")
        await choose_role(person, "graduate", "22")
        await twice(pair, person, "Согласен", mode)
    made = await pair.count(consents) - before
    return Row(f"consent «Согласен», {mode}", rounds, max(0, made - rounds), max(0, rounds - made))


async def refused_reply_probe(pair: Pair, rounds: int, clock: ManualClock) -> Row:
    """Every try of the reply fails; the sweep runs half a minute later with the messenger back."""
    got: dict[str, list[str]] = {}

    async def refused(outcome: Outcome) -> bool:
        return False

    for n in range(rounds):
        person = DialogClient(pair.one, account_id=f"refused-{n}")
        await choose_role(person, "graduate", "22")
        await pair.one.deliver(press(person, "Согласен"), refused)
    clock.advance(timedelta(seconds=31))
    for receipt, unsent in await pair.one.unsent(SOURCE, timedelta(seconds=30), limit=10_000):
        if unsent.account_id.startswith("refused-"):
            got.setdefault(unsent.account_id, []).extend(unsent.outcome.texts)
            await pair.one.replies_sent(receipt)
    lost = sum(1 for n in range(rounds) if not any("Как к вам" in t for t in got.get(f"refused-{n}", [])))
    twice_shown = sum(1 for texts in got.values() if len(texts) > len(set(texts)))
    return Row("reply refused by the messenger, then the sweep", rounds, twice_shown, lost)


async def killed_probe(pair: Pair, rounds: int) -> Row:
    """Killed after the turn committed, before the reply left; the messenger redelivers the update."""
    seen: dict[str, list[Outcome]] = {}

    async def killed(outcome: Outcome) -> bool:
        raise asyncio.CancelledError("killed while sending")

    def sent_to(account: str) -> Callable[[Outcome], Awaitable[bool]]:
        async def sent(outcome: Outcome) -> bool:
            seen.setdefault(account, []).append(outcome)
            return True

        return sent

    for n in range(rounds):
        person = DialogClient(pair.one, account_id=f"killed-{n}")
        await choose_role(person, "graduate", "22")
        update = next(_updates)
        with suppress(asyncio.CancelledError):
            await pair.one.deliver(press(person, "Согласен", update), killed)
        for _ in range(2):  # the restarted process gets the update, and then once more
            await pair.two.deliver(press(person, "Согласен", update), sent_to(person.account_id))
    shown = [seen.get(f"killed-{n}", []) for n in range(rounds)]
    lost = sum(not any("Как к вам" in " ".join(o.texts) for o in outcomes) for outcomes in shown)
    duplicates = sum(max(0, len(outcomes) - 1) for outcomes in shown)
    return Row("killed while sending the reply, redelivered", rounds, duplicates, lost)


async def retype_probe(pair: Pair, rounds: int, clock: ManualClock) -> Row:
    """The institution was filed and its reply lost to a restart; the redelivery shows the next question
    (the specialty, free text too); the person, who saw nothing for seconds, types the institution again."""
    misfiled = lost = 0

    async def killed(outcome: Outcome) -> bool:
        raise asyncio.CancelledError("killed while sending")

    async def sent(outcome: Outcome) -> bool:
        return True

    for n in range(rounds):
        person = DialogClient(pair.one, account_id=f"retype-{n}")
        await consent_adult(person)
        await person.send("Олег")
        await person.send(
            "Кинель"
        )  # the next question, the institution, takes any text; so does the one after
        name = f"Колледж №{n}"
        update = next(_updates)
        answer = Incoming.message(person.channel, person.account_id, name, receipt=Receipt(SOURCE, update))
        with suppress(asyncio.CancelledError):
            await pair.one.deliver(answer, killed)
        clock.advance(timedelta(seconds=5))
        again = await pair.two.deliver(answer, sent)  # redelivered after the restart
        lost += not again.handled
        clock.advance(timedelta(seconds=3))
        retyped = Incoming.message(
            person.channel, person.account_id, name, receipt=Receipt(SOURCE, next(_updates))
        )
        await pair.two.deliver(retyped, sent)
        finish = DialogClient(pair.two, account_id=person.account_id)  # the rest, as the person goes on
        await finish.send(SPECIALTY)
        await fill_rest(finish, ())
        person_id = (await pair.database.records.identify("test", person.account_id, person.account_id)).id
        async with pair.database.engine.connect() as connection:
            row = (
                await connection.execute(select(profiles).where(profiles.c.person_id == person_id))
            ).first()
        stored = dict(row._mapping) if row is not None else {}
        misfiled += stored.get("institution") != name or stored.get("specialty") != SPECIALTY
    return Row("people retype after a restart", rounds, 0, lost, misfiled)


# -- running -------------------------------------------------------------------------------------------
@asynccontextmanager
async def pair_of_replicas(
    postgres: str | None, redis: str | None, clock: ManualClock
) -> AsyncIterator[Pair]:
    with tempfile.TemporaryDirectory() as folder:
        url = postgres or f"sqlite:///{folder}/faults.db"
        await asyncio.to_thread(migrate, url)
        first, second = await open_database(url, clock), await open_database(url, clock)
        if postgres:
            tables = ", ".join(table.name for table in metadata.sorted_tables)
            async with first.engine.begin() as connection:
                await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        client = Redis.from_url(redis) if redis else None
        if client is not None:
            await client.flushdb()
            stores: tuple[ConversationStore, ConversationStore] = (
                RedisConversationStore(client, clock=clock),
                RedisConversationStore(client, clock=clock),
            )
        else:
            stores = (first.conversations, second.conversations)
        blips = Blips(stores[0])
        one = build_engine(first, blips, clock)  # type: ignore[arg-type]
        two = build_engine(second, stores[1], clock)
        try:
            yield Pair(one, two, first, blips)
        finally:
            if client is not None:
                await client.aclose()
            await first.close()
            await second.close()


def guards_off() -> None:
    """The same probes against what the product did before: no press keys, no second run of a conflicting
    turn, no replies kept until sent, no retype check. Only for comparison, in this process."""
    import backend_client.sql.campaigns as campaigns
    import backend_client.sql.system_messages as system_messages
    import dialogs.engine as engine
    from backend_client.sql.conversations import SqlConversationStore

    async def act_always(*_: Any) -> None:
        return None

    async def nothing_kept(*_: Any) -> None:
        return None

    async def none_owed(*_: Any, **__: Any) -> list[Any]:
        return []

    campaigns.earlier_result = act_always  # type: ignore[assignment]
    system_messages.earlier_result = act_always  # type: ignore[assignment]
    engine.CONFLICT_RETRIES = 0
    engine.REPEAT_WINDOW = -1.0
    for store in (RedisConversationStore, SqlConversationStore):
        store.unsent_replies = nothing_kept  # type: ignore[method-assign,assignment]
        store.unsent = none_owed  # type: ignore[method-assign]


async def main(rounds: int, postgres: str | None, redis: str | None) -> list[Row]:
    clock = ManualClock()
    rows: list[Row] = []
    async with pair_of_replicas(postgres, redis, clock) as pair:
        probes: list[Callable[[], Awaitable[Row]]] = []
        for mode in ("double tap", "same update", "state save failed, pressed again"):
            probes += [
                lambda mode=mode: campaigns_probe(pair, rounds, mode),
                lambda mode=mode: emergency_probe(pair, rounds, mode),
                lambda mode=mode: signups_probe(pair, rounds, mode, clock),
                lambda mode=mode: consents_probe(pair, rounds, mode),
            ]
        probes += [
            lambda: refused_reply_probe(pair, rounds, clock),
            lambda: killed_probe(pair, rounds),
            lambda: retype_probe(pair, rounds, clock),
        ]
        for probe in probes:
            rows.append(await probe())
    return rows


def report(rows: list[Row], where: str) -> None:
    print(f"Delivery faults ({where}): inputs, and effects or replies twice / missing / misfiled")
    width = max(len(row.fault) for row in rows)
    print(f"  {'fault':<{width}}  inputs  duplicates  lost  misfiled")
    for row in rows:
        print(
            f"  {row.fault:<{width}}  {row.inputs:>6}  {row.duplicates:>10}  {row.lost:>4}  {row.misfiled:>8}"
        )
    print(
        "  The relay's own window (a crash while a send is in flight) is measured by benchmarks/broadcast.py."
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="presses per probe")
    parser.add_argument("--postgres", help="a scratch PostgreSQL database (emptied)")
    parser.add_argument("--redis", help="conversation state in this Redis (its database is flushed)")
    parser.add_argument("--guards-off", action="store_true", help="the probes against the old behaviour")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)  # the faults are made on purpose: their tracebacks are noise
    where = (
        "PostgreSQL + Redis" if args.postgres and args.redis else "PostgreSQL" if args.postgres else "SQLite"
    )
    if args.guards_off:
        guards_off()
        where += ", guards off (the behaviour before)"
    report(asyncio.run(main(args.rounds, args.postgres, args.redis)), where)
