"""``GET /healthz`` of the webhook and callback servers: 200 while every background loop keeps completing
its passes, 503 naming the loops that stopped (the relay stuck on a database that is away, a scheduler
whose lease checks keep failing), so a load balancer or an orchestrator sees what the bot's answers hide.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.app import App

StaleLoops = Callable[[], Sequence[str]]  # the background loops that are late now
Handler = Callable[[web.Request], Awaitable[web.Response]]


def stale_loops(app: App) -> StaleLoops:
    after = app.settings.health.health_stale_after
    return lambda: app.heartbeats.stale(after)


def health_handler(stale: StaleLoops | None) -> Handler:
    async def health(_: web.Request) -> web.Response:
        late = list(stale()) if stale is not None else []
        if late:
            return web.json_response({"status": "unhealthy", "stale": late}, status=503)
        return web.json_response({"status": "ok"})

    return health
