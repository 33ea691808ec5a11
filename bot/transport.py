"""What ``bot.serve`` asks of a messenger, and the HTTP serving that webhook-style transports share.

A transport is one messenger's side of the running product: its API client, the front that turns its
updates into engine calls, the relay's sender for it, and the loop that receives updates (polling or an
HTTP endpoint). ``serve`` drives every configured transport through the same steps, in this order:
``open`` (reach the platform: the deep-link maker; start-up errors surface here), ``wire`` (build the
front on the App), ``start`` (inside ``reaching_out``: configured operators are granted by then),
``run`` until the stop event, and ``close`` (always, also after a failed ``open``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from aiohttp import web

from bot.healthz import StaleLoops, health_handler
from notifications.sender import Sender

if TYPE_CHECKING:
    from bot.app import App
    from bot.resend import Resend

log = logging.getLogger(__name__)

DeepLink = Callable[[str], str]  # a start payload -> the link that opens the bot with it


@dataclass(frozen=True, slots=True)
class Problem:
    """One row of a transport's start-up error table: errors of ``kind`` for which ``matches`` holds
    become one line (``message``) and an exit status: ``config`` -> 2 (a setting is wrong), else 1
    (a service cannot be reached)."""

    kind: type[BaseException] | tuple[type[BaseException], ...]
    message: Callable[[BaseException], str]
    config: bool = False
    matches: Callable[[BaseException], bool] = lambda _: True


class Transport(Protocol):
    @property
    def name(self) -> str:
        """The channel: the key of the deep links, the senders and the operators' accounts."""
        ...

    @property
    def problems(self) -> Sequence[Problem]:
        """How this messenger's start-up errors read on the command line."""
        ...

    async def open(self) -> DeepLink: ...

    def wire(self, app: App) -> tuple[Sender, Mapping[str, Resend]]:
        """The relay's sender and the sweep of owed replies per receipt source (``bot.resend``)."""
        ...

    async def start(self) -> None:
        """Start-up work that needs the configured operators granted (e.g. command menus)."""
        ...

    async def run(self, stop: asyncio.Event) -> None:
        """Receive updates until ``stop`` is set, then finish those in flight."""
        ...

    async def close(self) -> None: ...


def endpoint_app(
    path: str, receive: Callable[[web.Request], Awaitable[web.Response]], stale: StaleLoops | None
) -> web.Application:
    """A webhook or callback server: the platform POSTs to ``path``; ``GET /healthz`` for load balancers."""
    app = web.Application()
    app.router.add_post(path, receive)
    app.router.add_get("/healthz", health_handler(stale))
    return app


@asynccontextmanager
async def listening(web_app: web.Application, host: str, port: int, what: str) -> AsyncIterator[None]:
    """Serve ``web_app`` for the life of the block; leaving waits for the requests in flight."""
    runner = web.AppRunner(web_app)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        log.info("%s listening on %s:%s", what, host, port)
        yield
    finally:
        await runner.cleanup()
