"""``frontdoor run`` with messengers: one serve loop for every transport (``bot.transport``).

Migrate, open every configured messenger, build the App once, start reaching out with every transport's
sender and resenders, run them all until SIGINT or SIGTERM, then let each finish its updates in flight
and close. A start-up error becomes one line and an exit status through the transports' tables.
"""

from __future__ import annotations

import asyncio
import gc
import signal
from collections.abc import Awaitable, Callable, Sequence
from importlib import import_module
from typing import TypeVar

from bot.app import StartupError, build_app, migrate_database
from bot.outreach import reaching_out
from bot.resend import Resend
from bot.settings import Settings, SettingsError
from bot.transport import DeepLink, Transport
from notifications.sender import Sender

T = TypeVar("T")

# A new messenger: its folder with a ``transport`` module (``from_settings``) and one line here. The
# check comes first so that a messenger without a token costs no import of its library.
MESSENGERS: tuple[tuple[Callable[[Settings], bool], str], ...] = (
    (lambda settings: settings.vk.vk_token is not None, "bot.vk.transport"),
    (lambda settings: settings.telegram.telegram_token is not None, "bot.telegram.transport"),
)


def configured(settings: Settings) -> list[Transport]:
    """The transports whose tokens are set, in a fixed order (empty: the terminal chat instead)."""
    return [
        import_module(module).from_settings(settings) for wanted, module in MESSENGERS if wanted(settings)
    ]


async def serve(settings: Settings, transports: Sequence[Transport]) -> None:
    """Migrate, then serve until SIGINT or SIGTERM. An error a transport's table reads (raised by that
    transport) becomes SettingsError or StartupError: one line each, for the command line's exit status."""
    try:
        await _serve(settings, transports)
    except ExceptionGroup as group:  # from the running transports: the first one explained, if any
        explained = _first_explained(group)
        if explained is None:
            raise
        raise explained from None


async def _serve(settings: Settings, transports: Sequence[Transport]) -> None:
    try:
        await migrate_database(settings.database.database_url)
        links: dict[str, DeepLink] = {}
        for transport in transports:
            links[transport.name] = await _explaining(transport, transport.open())
        async with build_app(settings, deep_links=links) as app:
            senders: dict[str, Sender] = {}
            owed: dict[str, Resend] = {}
            for transport in transports:
                senders[transport.name], resenders = transport.wire(app)
                owed.update(resenders)
            async with reaching_out(app, senders, owed):  # grants the configured operators first
                for transport in transports:
                    await _explaining(transport, transport.start())
                # Everything built at start-up lives for the whole run: frozen, the collector stops
                # rescanning it (measured: the webhook stack handles ~1.3x more updates per second).
                gc.collect()
                gc.freeze()
                stop = asyncio.Event()
                loop = asyncio.get_running_loop()
                for sig in (signal.SIGINT, signal.SIGTERM):
                    loop.add_signal_handler(sig, stop.set)
                try:
                    async with asyncio.TaskGroup() as running:
                        for transport in transports:
                            work = _explaining(transport, transport.run(stop))
                            running.create_task(work, name=f"{transport.name}-updates")
                finally:
                    for sig in (signal.SIGINT, signal.SIGTERM):
                        loop.remove_signal_handler(sig)
    finally:
        for transport in reversed(transports):
            await transport.close()


async def _explaining(transport: Transport, step: Awaitable[T]) -> T:
    """``step`` of ``transport``; an error its table reads is raised as that one line."""
    try:
        return await step
    except Exception as error:
        for problem in transport.problems:
            if isinstance(error, problem.kind) and problem.matches(error):
                line = problem.message(error)
                raise (SettingsError(line) if problem.config else StartupError(line)) from None
        raise


def _first_explained(group: BaseExceptionGroup) -> SettingsError | StartupError | None:
    for error in group.exceptions:
        if isinstance(error, SettingsError | StartupError):
            return error
        if isinstance(error, BaseExceptionGroup) and (inner := _first_explained(error)) is not None:
            return inner
    return None
