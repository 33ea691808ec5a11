"""A campaign to many people through the real relay, the real aiogram client and the Bot API emulator.

Runs, each on a fresh database:

1. **limits on**: the emulator enforces Telegram's limits (~30 messages/s overall, 1/s per private chat)
   on a virtual clock that the relay's waits move forward, so 100,000 messages take minutes of wall time,
   not an hour. Prints the achieved rate against the rate we allow ourselves (25/s, leaving room for
   interactive replies) and against Telegram's 30/s, the 429s received, duplicates and lost messages.
2. **killed**: the same, but the relay process is killed (no clean-up: its outbox writes stop and its
   calls never return) when a given share of the messages went out; a new relay takes over after the
   dead one's lease expires. Run for every recipient count and kill point (odd sizes and shares, so a kill
   falls anywhere in the flow, not on a convenient boundary); prints the duplicates and the lost of each.
   ``--latency`` makes every Bot API answer come that many (real) seconds after the message was
   delivered: the worst case for a kill, as every call in flight has already reached the person.
3. **limits off**: no limits anywhere; messages per wall-clock second, i.e. what the relay, the outbox and
   the HTTP round trip cost per message (the emulator runs in this process and its cost is included);
4. the same with a messenger that answers at once without HTTP: the relay and the outbox alone.

    .venv/bin/python benchmarks/broadcast.py                      # small and quick: 1,003 and 2,013
    .venv/bin/python benchmarks/broadcast.py --recipients 100000 --kills 0.4 [--database URL]
    .venv/bin/python benchmarks/broadcast.py --recipients 1003 --latency 0.3 --skip-throughput

``--database`` takes a PostgreSQL URL of a scratch database: its schema is dropped and rebuilt.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import math
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text

from backend_client.broadcasts import CLI, Audience, CampaignDraft, CampaignKind
from backend_client.clock import ManualClock
from backend_client.sql import Database, migrate, open_database
from backend_client.sql.tables import channel_accounts, people
from bot.telegram.runner import open_bot
from bot.telegram.sender import TelegramSender
from notifications.ratelimit import Limits, MemoryRateLimiter
from notifications.relay import Relay, RelayPolicy
from notifications.sender import Delivered, Message, Outcome, Sender

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the emulator lives with the tests
from tests.telegram_emulator import TelegramEmulator

TOKEN = "123456:BENCH-token"
SAMARA = ZoneInfo("Europe/Samara")
START = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 10:00 in Samara: no quiet hours for hours ahead
OURS, TELEGRAMS = 25.0, 30.0  # messages per second: what we allow ourselves, what Telegram allows
UNLIMITED = Limits(per_second=1e9, burst=1_000_000_000, private_interval=0.0)


@dataclass(frozen=True, slots=True)
class Figures:
    recipients: int
    fan_out_seconds: float  # wall time to enqueue the campaign
    wall_seconds: float  # wall time of the sending
    virtual_seconds: float  # emulator time from the first to the last delivered message
    delivered: int
    throttled: int  # 429s the emulator answered
    duplicates: int  # people who got the message more than once
    lost: int  # people who never got it

    @property
    def virtual_rate(self) -> float:
        return self.delivered / self.virtual_seconds if self.virtual_seconds else 0.0

    @property
    def wall_rate(self) -> float:
        return self.delivered / self.wall_seconds if self.wall_seconds else 0.0


class VirtualTime:
    """One clock for everything: the relay's wall clock, the limiter's seconds and the emulator's."""

    def __init__(self) -> None:
        self.clock = ManualClock(START)

    def seconds(self) -> float:
        return (self.clock.now() - START).total_seconds()

    async def sleep(self, delay: float) -> None:
        """Time moves to the end of the wait, never back: waits that overlap (the relay's lanes) overlap
        in virtual time too. Rounded up to the clock's microsecond, so even a tiny wait moves time on."""
        until = self.clock.now() + timedelta(microseconds=max(1, math.ceil(delay * 1_000_000)))
        await asyncio.sleep(0)
        if until > self.clock.now():
            self.clock.set(until)


class Killed(Exception):
    """What a dead process's store calls raise: nothing it would write after the kill is written."""


class KilledAt:
    """The relay process dies when ``after`` messages have gone out: the call that would be the next one
    and every call after it never return and send nothing, and its outbox writes stop (``DeadOutbox``).
    Calls already under way at that moment are cut off with the process: whether the messenger got them
    is down to timing, as in a real kill."""

    def __init__(self, inner: Sender, after: int) -> None:
        self.inner, self.left = inner, after
        self.hung = asyncio.Event()

    async def send(self, message: Message) -> Outcome:
        if self.left <= 0 or self.hung.is_set():
            self.hung.set()
            await asyncio.Event().wait()
        self.left -= 1
        return await self.inner.send(message)


class DeadOutbox:
    """The outbox as the doomed relay sees it: every call raises once the process is dead."""

    def __init__(self, inner: Any, dead: asyncio.Event) -> None:
        self._inner, self._dead = inner, dead

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._inner, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            if self._dead.is_set():
                raise Killed(name)
            return await method(*args, **kwargs)

        return call


class Latent:
    """A Bot API whose answer comes ``seconds`` (real time) after the message was delivered."""

    def __init__(self, inner: Sender, seconds: float) -> None:
        self.inner, self.seconds = inner, seconds

    async def send(self, message: Message) -> Outcome:
        outcome = await self.inner.send(message)
        await asyncio.sleep(self.seconds)
        return outcome


class Instant:
    """A messenger that accepts everything at once, without HTTP: what the relay and outbox cost alone."""

    def __init__(self) -> None:
        self.chats: list[str] = []

    async def send(self, message: Message) -> Outcome:
        self.chats.append(message.chat_id)
        return Delivered(str(len(self.chats)))


async def fresh_database(url: str | None, workdir: Path, clock: ManualClock) -> Database:
    if url is None:
        url = f"sqlite:///{workdir / f'bench-{time.monotonic_ns()}.db'}"
    else:
        scratch = await open_database(url, clock)
        async with scratch.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await scratch.close()
    await asyncio.to_thread(migrate, url)
    return await open_database(url, clock)


async def add_people(database: Database, count: int, now: datetime) -> None:
    """Consenting adults with one Telegram account each; user ids (and chat ids) 1..count."""
    chunk = 5_000
    async with database.engine.begin() as connection:
        for first in range(1, count + 1, chunk):
            ids = range(first, min(first + chunk, count + 1))
            await connection.execute(
                insert(people),
                [
                    {
                        "id": i,
                        "role": "graduate",
                        "age_band": "18_plus",
                        "consent_status": "granted",
                        "created_at": now,
                    }
                    for i in ids
                ],
            )
            await connection.execute(
                insert(channel_accounts),
                [
                    {
                        "person_id": i,
                        "channel": "telegram",
                        "external_id": str(i),
                        "chat_id": str(i),
                        "created_at": now,
                    }
                    for i in ids
                ],
            )


async def broadcast(
    recipients: int,
    *,
    database_url: str | None,
    workdir: Path,
    limits: bool,
    kill_at: float | None = None,
    instant: Sender | None = None,
    latency: float = 0.0,
) -> Figures:
    vt = VirtualTime()
    database = await fresh_database(database_url, workdir, vt.clock)
    emulator = TelegramEmulator(TOKEN, spec_path=None, clock=vt.seconds, rate_limits=limits)
    await emulator.start()
    bot = open_bot(TOKEN, emulator.base_url)
    try:
        await add_people(database, recipients, vt.clock.now())
        for user_id in range(1, recipients + 1):
            emulator.user(user_id, started=True)
        started = time.perf_counter()
        await database.broadcasts.create_campaign(
            CLI, CampaignDraft(CampaignKind.NEWS, "Ярмарка вакансий в субботу", Audience(), vt.clock.now())
        )
        await database.broadcasts.start_due_campaigns()
        fan_out = time.perf_counter() - started

        sender: Sender = TelegramSender(bot)
        if latency > 0:
            sender = Latent(sender, latency)
        limiter = MemoryRateLimiter() if limits else MemoryRateLimiter(UNLIMITED)
        monotonic = vt.seconds if limits else time.monotonic
        sleep: Callable[[float], Awaitable[None]] = vt.sleep if limits else asyncio.sleep

        def relay(owner: str, channel_sender: Sender, outbox: Any = database.outbox) -> Relay:
            return Relay(
                outbox,
                {"telegram": channel_sender},
                limiter,
                vt.clock,
                owner=owner,
                timezone=SAMARA,
                policy=RelayPolicy(batch=200),
                monotonic=monotonic,
                sleep=sleep,
            )

        started = time.perf_counter()
        if kill_at is not None:
            doomed = KilledAt(sender, int(recipients * kill_at))
            dead_outbox = DeadOutbox(database.outbox, doomed.hung)
            task = asyncio.create_task(drain(relay("doomed", doomed, dead_outbox), database, vt))
            await doomed.hung.wait()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Killed):
                await task
            # A second relay goes on at once; the dead one's rows come back when its lease runs out.
        await drain(relay("survivor", sender if instant is None else instant), database, vt)
        wall = time.perf_counter() - started
    finally:
        await bot.session.close()
        await emulator.stop()
        await database.close()
    sends = emulator.calls_to("sendMessage")
    delivered_at = [call.at for call in sends if call.ok]
    per_chat = Counter(int(call.params["chat_id"]) for call in sends if call.ok)
    if isinstance(instant, Instant):
        per_chat = Counter(int(chat) for chat in instant.chats)
    return Figures(
        recipients=recipients,
        fan_out_seconds=fan_out,
        wall_seconds=wall,
        virtual_seconds=(max(delivered_at) - min(delivered_at)) if len(delivered_at) > 1 else 0.0,
        delivered=sum(per_chat.values()),
        throttled=sum(1 for call in sends if call.status == 429),
        duplicates=sum(1 for count in per_chat.values() if count > 1),
        lost=recipients - len(per_chat),
    )


async def drain(relay: Relay, database: Database, vt: VirtualTime) -> None:
    """Relay passes until nothing is left; when nothing is due yet, jump the virtual clock to it."""
    while True:
        if await relay.run_once():
            continue
        due = await database.outbox.next_due()
        if due is None:
            return
        if due > vt.clock.now():
            vt.clock.set(due)


def report(title: str, figures: Figures, *, limits: bool) -> None:
    print(f"\n{title}")
    print(f"  recipients {figures.recipients:,}; fan-out into the outbox {figures.fan_out_seconds:.1f} s")
    if limits:
        print(
            f"  achieved {figures.virtual_rate:.2f} msg/s over {figures.virtual_seconds:,.0f} virtual s: "
            f"{figures.virtual_rate / OURS:.3f} of our 25/s, "
            f"{figures.virtual_rate / TELEGRAMS:.3f} of Telegram's 30/s"
        )
    print(f"  wall time {figures.wall_seconds:.1f} s: {figures.wall_rate:,.0f} msg/s")
    print(f"  429s {figures.throttled}, duplicates {figures.duplicates}, lost {figures.lost}")


async def main(
    sizes: Sequence[int],
    kills: Sequence[float],
    database_url: str | None,
    *,
    latency: float,
    throughput: bool,
) -> None:
    # the dead relay's failed clean-up and the survivor's take-over are expected here, not news
    logging.getLogger("notifications").setLevel(logging.CRITICAL)
    where = "PostgreSQL" if database_url else "SQLite"
    print(f"broadcast benchmark: {', '.join(f'{n:,}' for n in sizes)} recipients, {where}")
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        common: dict[str, Any] = {"database_url": database_url, "workdir": workdir}
        if throughput:
            on = await broadcast(sizes[0], limits=True, **common)
            report("limits on (virtual clock)", on, limits=True)
        answer = f", Bot API answering {latency * 1000:.0f} ms after delivery" if latency else ""
        print(f"\nrelay killed mid-campaign and replaced (concurrency {RelayPolicy().concurrency}{answer})")
        worst = 0
        for size in sizes:
            for share in kills:
                killed = await broadcast(size, limits=True, kill_at=share, latency=latency, **common)
                worst = max(worst, killed.duplicates)
                print(
                    f"  {size:>7,} recipients, killed at {share:4.0%}: "
                    f"duplicates {killed.duplicates}, lost {killed.lost}, delivered {killed.delivered:,}"
                )
        print(f"  most duplicates in one kill: {worst}")
        if throughput:
            off = await broadcast(sizes[0], limits=False, **common)
            report("limits off, through aiogram and the emulator (wall clock)", off, limits=False)
            alone = await broadcast(sizes[0], limits=False, instant=Instant(), **common)
            report("limits off, a messenger that answers at once: relay + outbox alone", alone, limits=False)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--recipients",
        type=int,
        nargs="+",
        default=[1_003, 2_013],
        help="campaign sizes; the throughput runs use the first (default: 1003 2013)",
    )
    parser.add_argument(
        "--kills",
        type=float,
        nargs="+",
        default=[0.13, 0.40, 0.77],
        help="shares of the campaign sent when the relay is killed (default: 0.13 0.40 0.77)",
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds from delivery to the answer")
    parser.add_argument("--skip-throughput", action="store_true", help="only the kill runs")
    parser.add_argument("--database", help="a scratch PostgreSQL URL (default: a temporary SQLite file)")
    options = parser.parse_args()
    asyncio.run(
        main(
            options.recipients,
            options.kills,
            options.database,
            latency=options.latency,
            throughput=not options.skip_throughput,
        )
    )
