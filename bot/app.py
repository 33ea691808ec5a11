"""The composition root: every long-lived object is built here, once, from the settings.

Transports receive an ``App`` and never build stores or engines themselves, so the choice of database,
conversation store and clock lives in exactly one place.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from asyncpg import PostgresError  # type: ignore[import-untyped]  # asyncpg ships no type hints
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.exc import DBAPIError

from backend_client.clock import Clock, SystemClock
from backend_client.http.json_client import JsonClient
from backend_client.kv.redis_store import RedisConversationStore, keeps_an_append_only_file
from backend_client.ports import ConversationStore
from backend_client.sql import Database, migrate, open_database
from bot.settings import ENV_PREFIX, Settings
from bot.wiring import build_engine
from dialogs.context import CentreContacts, ConsentTerms
from dialogs.engine import Engine
from dialogs.flood import FloodGate, RateLimit
from dialogs.intents import Confidence
from nlu.types import Understanding
from notifications.health import Heartbeats

log = logging.getLogger(__name__)

# What a server that is down, unreachable or refusing our credentials looks like from here (asyncpg
# raises its own errors while connecting; SQLAlchemy wraps the ones that come later).
_UNREACHABLE: tuple[type[BaseException], ...] = (OSError, DBAPIError, PostgresError, RedisError)


class StartupError(RuntimeError):
    """A service the settings name cannot be used. The message is one line and holds no secrets."""


@dataclass(frozen=True, slots=True)
class App:
    settings: Settings
    clock: Clock
    database: Database
    states: ConversationStore
    engine: Engine
    heartbeats: Heartbeats = field(default_factory=Heartbeats)  # background loops, read by /healthz


async def migrate_database(url: str) -> None:
    """Bring the schema up to date (Alembic is synchronous, so it runs on a worker thread)."""
    try:
        await asyncio.to_thread(migrate, url)
    except _UNREACHABLE as error:
        log.debug("migration failed", exc_info=True)
        raise StartupError(f"cannot migrate the database at {redacted(url)}: {summary(error)}") from error


@asynccontextmanager
async def build_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    deep_links: Mapping[str, Callable[[str], str]] | None = None,
    rate_limited: bool = True,
) -> AsyncIterator[App]:
    """Open the database and the conversation store, build the engine; close them all on exit.

    ``rate_limited`` False leaves out the per-person rate limit (the terminal chat: one local person,
    whose piped script may be any length).

    The schema must already be migrated (``migrate_database``). Raises StartupError when Redis is
    configured but does not answer, or keeps no append-only file and ``REDIS_ALLOW_VOLATILE`` is not set,
    so a misconfigured instance fails at start, not at the first message or the first Redis restart.
    """
    clock = clock or SystemClock()
    async with AsyncExitStack() as resources:
        database = await open_database(settings.database.database_url, clock)
        resources.push_async_callback(database.close)
        states = await _conversation_store(settings, database, clock, resources)
        nlu = await build_nlu(settings, resources)
        engine = build_engine(
            database,
            states,
            clock,
            deep_links=deep_links,
            timezone=ZoneInfo(settings.region.timezone),
            consent=ConsentTerms(
                operator=settings.region.operator_name, contact=settings.region.operator_contact
            ),
            nlu=nlu,
            confidence=Confidence(high=settings.nlu.nlu_high, low=settings.nlu.nlu_low),
            flood=_flood_gate(settings) if rate_limited else None,
            centre=centre_contacts(settings),
        )
        yield App(settings=settings, clock=clock, database=database, states=states, engine=engine)


def centre_contacts(settings: Settings) -> CentreContacts:
    """The centre people reach through «Обратная связь» and /help: its name and the feedback settings."""
    contacts = settings.feedback
    return CentreContacts(
        name=settings.region.operator_name,
        phone=contacts.feedback_phone,
        email=contacts.feedback_email,
        address=contacts.feedback_address,
        hours=contacts.feedback_hours,
        answer_within=timedelta(hours=contacts.feedback_answer_hours),
    )


def _flood_gate(settings: Settings) -> FloodGate | None:
    limit = settings.rate_limit
    if limit.rate_limit_burst == 0:
        return None
    return FloodGate(RateLimit(limit.rate_limit_burst, limit.rate_limit_per_second))


async def _conversation_store(
    settings: Settings, database: Database, clock: Clock, resources: AsyncExitStack
) -> ConversationStore:
    """SQL (the same database) by default; Redis when several instances must share conversations."""
    url = settings.redis.redis_url
    if settings.state.state_backend != "redis" or url is None:
        return database.conversations
    client = Redis.from_url(url)
    resources.push_async_callback(client.aclose)
    try:
        await client.ping()
        durable = await keeps_an_append_only_file(client)
    except _UNREACHABLE as error:
        raise StartupError(f"cannot reach Redis at {redacted(url)}: {summary(error)}") from error
    if not durable:
        if not settings.redis.redis_allow_volatile:
            raise StartupError(
                f"Redis at {redacted(url)} keeps no append-only file, so a restart would lose every "
                f"conversation in progress: turn on appendonly, or set {ENV_PREFIX}REDIS_ALLOW_VOLATILE=true"
            )
        log.warning("Redis keeps no append-only file: conversations are lost when it restarts (allowed)")
    return RedisConversationStore(client, clock=clock)


async def build_nlu(settings: Settings, resources: AsyncExitStack) -> Understanding | None:
    """The configured NLU backend: the embedded model (trained on first start, then cached), a Rasa
    server, or none ("off": free text gets "I did not understand")."""
    config = settings.nlu
    if config.nlu_backend == "off":
        return None
    if config.nlu_backend == "rasa" and config.nlu_rasa_url:
        from nlu.rasa_http import RasaBackend

        client = JsonClient(config.nlu_rasa_url, timeout=config.nlu_rasa_timeout)
        resources.push_async_callback(client.close)
        token = config.nlu_rasa_token.get_secret_value() if config.nlu_rasa_token else None
        return RasaBackend(client, token=token)
    from nlu.embedded import load_or_train

    # Training takes about a second and happens once per data version; off the event loop all the same.
    return await asyncio.to_thread(load_or_train, Path(config.nlu_cache_dir))


def redacted(url: str) -> str:
    """The URL with its password masked, fit for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user_info, _, host = parts.netloc.rpartition("@")
    user = user_info.partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def summary(error: BaseException) -> str:
    """The error's type and first line (SQLAlchemy appends the statement and a link on later lines)."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
