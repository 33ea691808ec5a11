"""The Callback API endpoint: VK POSTs each event as JSON and expects the body ``ok``.

- ``secret`` (a field of the body, not a header) is compared in constant time; a wrong or missing one is
  refused with 403 and nothing is handled. So are events for another community.
- ``confirmation`` is answered with the community's confirmation string. VK may send it without the
  secret, so there the secret is checked only when present: the string proves the server, it hides
  nothing.
- Acknowledgement (documented choice): "ok" goes back only after the event was handled and its effects
  committed; a failure answers 500, so VK retries, and the receipt makes a retry of a finished event a
  no-op. The body is read through ``bot.webhook_body`` before anything else (the secret is inside it):
  over its size bound 413, nested too deeply or not JSON 400, never a 500; bodies that are not JSON
  objects get 400 too (VK never sends them).
- ``GET /healthz`` answers for load balancers (503 naming a background loop that stopped completing its
  passes); stopping the runner waits for requests in flight.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from typing import Any, Protocol

from aiohttp import web

from bot.healthz import StaleLoops, health_handler
from bot.webhook_body import BadBody, read_json

log = logging.getLogger(__name__)


class Front(Protocol):
    """What the endpoint hands events to (``VkFront``; a bare echo bot in the benchmark)."""

    @property
    def group_id(self) -> int: ...

    async def handle(self, event: Mapping[str, Any]) -> None: ...


def callback_app(
    front: Front, *, path: str, secret: str, confirmation: str, stale: StaleLoops | None = None
) -> web.Application:
    async def receive(request: web.Request) -> web.Response:
        try:
            body = await read_json(request)
        except BadBody as refused:
            return refused.response()
        if not isinstance(body, dict):
            return web.Response(status=400, text="bad request")
        given = body.get("secret")
        if body.get("type") == "confirmation" and given is None:
            given = secret
        if not isinstance(given, str) or not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=403, text="forbidden")
        if body.get("group_id") != front.group_id:
            return web.Response(status=403, text="forbidden")
        if body.get("type") == "confirmation":
            return web.Response(text=confirmation)
        try:
            await front.handle(body)
        except Exception:
            log.exception("vk callback event %s failed", body.get("event_id"))
            return web.Response(status=500, text="retry later")
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post(path, receive)
    app.router.add_get("/healthz", health_handler(stale))
    return app
