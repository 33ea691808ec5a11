"""Reaching out inside a running bot: the relay loop and the scheduler, started and stopped together.

Several instances may run this at once: relays share the outbox through leases (and SKIP LOCKED on
PostgreSQL) and, with Redis configured, one rate limit; only one scheduler leads at a time.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import AsyncIterator, Collection, Mapping
from contextlib import asynccontextmanager
from zoneinfo import ZoneInfo

from redis.asyncio import Redis

from bot.app import App
from bot.operator_cli import parse_operators
from bot.reminder_rules import build_rules
from bot.resend import Resend, resending
from bot.vacancy_pull import ScheduledPull
from notifications.alerts import AlertExpander
from notifications.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from notifications.relay import Relay
from notifications.scheduler import Scheduler
from notifications.sender import Sender
from notifications.supervisor import Supervisor
from notifications.sweeps import SweepContext

log = logging.getLogger(__name__)


async def grant_configured_operators(app: App) -> None:
    for channel, account in parse_operators(app.settings.region.operators):
        await app.database.broadcasts.grant_operator(channel, account, by="config")


def _scheduled_pulls(app: App) -> tuple[ScheduledPull, ...]:
    options = app.settings.trudvsem
    if not options.trudvsem_schedule:
        return ()
    zone = ZoneInfo(app.settings.region.timezone)
    return (ScheduledPull(options, app.database.vacancy_catalogue, app.clock, zone),)


@asynccontextmanager
async def reaching_out(
    app: App,
    senders: Mapping[str, Sender],
    resenders: Mapping[str, Resend] | None = None,
    *,
    chats: Collection[str] | None = None,
) -> AsyncIterator[None]:
    """Run the relay, the scheduler and the sweep of owed replies (``resenders``: per receipt source) for
    the life of the block, all supervised: an error is logged and retried after a growing pause, and every
    completed pass beats ``app.heartbeats`` (read by /healthz). ``chats``: the relay claims only these
    chat ids (a terminal chat: its own account), leaving the rest to their own processes."""
    await grant_configured_operators(app)
    settings, database = app.settings, app.database
    identity = f"{socket.gethostname()}-{os.getpid()}"
    limiter: RateLimiter = MemoryRateLimiter()
    redis: Redis | None = None
    if settings.redis.redis_url:
        redis = Redis.from_url(settings.redis.redis_url)
        limiter = RedisRateLimiter(redis)
    relay = Relay(
        database.outbox,
        senders,
        limiter,
        app.clock,
        owner=f"relay-{identity}",
        timezone=ZoneInfo(settings.region.timezone),
        maintenance=database.broadcasts.maintenance_windows,
        chats=chats,
        expand=AlertExpander(database.vacancy_alerts),  # vacancy alerts are put together as they go
    )
    supervisor = Supervisor(app.heartbeats)
    context = SweepContext(
        app.clock,
        database.outbox,
        database.broadcasts,
        rules=build_rules(database, settings),
        journal=database.journal,
        supervisor=supervisor,
        pulls=_scheduled_pulls(app),
    )
    scheduler = Scheduler(context, database.leases, holder=f"scheduler-{identity}")
    stop = asyncio.Event()
    relaying = asyncio.create_task(relay.run(stop, supervisor=supervisor), name="relay")
    await scheduler.start()
    log.info("relay and scheduler started")
    try:
        async with resending(app.engine, resenders or {}, supervisor):
            yield
    finally:
        stop.set()
        await scheduler.stop()
        await relaying
        if redis is not None:
            await redis.aclose()
