"""The composition root: every long-lived object is built here, once, from the settings."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from redis.asyncio import Redis

from backend_client.clock import Clock, SystemClock
from backend_client.kv.redis_store import RedisConversationStore
from backend_client.ports import ConversationStore
from backend_client.sql import Database, migrate, open_database
from bot.settings import Settings
from dialogs.context import ConsentTerms
from dialogs.engine import Engine


@dataclass(slots=True)
class App:
    settings: Settings
    database: Database
    states: ConversationStore
    engine: Engine
    clock: Clock
    closers: list[Callable[[], object]] = field(default_factory=list)


async def migrate_database(url: str) -> None:
    await asyncio.to_thread(migrate, url)


@asynccontextmanager
async def build_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    deep_links: Mapping[str, Callable[[str], str]] | None = None,
) -> AsyncIterator[App]:
    clock = clock or SystemClock()
    database = await open_database(settings.database.database_url, clock)
    redis: Redis | None = None
    try:
        states: ConversationStore = database.conversations
        if settings.state.state_backend == "redis" and settings.state.redis_url:
            redis = Redis.from_url(settings.state.redis_url)
            states = RedisConversationStore(redis)
        engine = Engine(
            database.records,
            states,
            clock,
            deep_links=deep_links,
            timezone=ZoneInfo(settings.region.timezone),
            consent=ConsentTerms(
                operator=settings.region.operator_name, contact=settings.region.operator_contact
            ),
        )
        yield App(settings, database, states, engine, clock)
    finally:
        if redis is not None:
            await redis.aclose()
        await database.close()
