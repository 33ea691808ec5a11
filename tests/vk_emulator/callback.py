"""The Callback API's side: VK POSTs each event as JSON to the community's server and expects the body
``ok``; anything else (or a broken connection) is retried with doubling backoff and an ``X-Retry-Counter``
header, then given up. Before any event the server must pass the ``confirmation`` handshake by answering
the community's confirmation string. Events go one at a time, in order (a test emulator's simplification).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout

from tests.vk_emulator.state import State


@dataclass(slots=True)
class Posted:
    event_id: str
    status: int  # HTTP status, 0 when the connection failed
    body: str
    retry: int  # 0 for the first attempt


@dataclass(slots=True)
class CallbackServer:
    url: str
    secret: str | None
    confirmed: bool = False
    posted: list[Posted] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # event ids given up on


class CallbackDelivery:
    def __init__(self, state: State, *, backoff: float, attempts: int, timeout: float = 10.0) -> None:
        self._state = state
        self._backoff = backoff
        self._attempts = max(1, attempts)
        self._timeout = timeout
        self.server: CallbackServer | None = None
        self._next = 0  # index into the event history of the next event to deliver
        self._again: list[dict[str, Any]] = []  # events to deliver once more (duplicates)
        self._session: ClientSession | None = None

    async def confirm(self, url: str, secret: str | None) -> bool:
        """Register the server: the handshake must answer the confirmation string exactly. Events that
        happen from now on are delivered to it."""
        session = self._open()
        body = {"type": "confirmation", "group_id": self._state.group["id"]}
        if secret is not None:
            body["secret"] = secret
        try:
            async with session.post(url, json=body) as response:
                answer = await response.text()
        except (ClientError, OSError, TimeoutError):
            return False
        server = CallbackServer(url, secret, confirmed=answer == self._state.confirmation)
        if server.confirmed:
            self.server = server
            self._next = len(self._state.history)
            self._state.changed.notify()
        return server.confirmed

    def deliver_again(self, event: dict[str, Any]) -> None:
        self._again.append(event)
        self._state.changed.notify()

    async def run(self) -> None:
        try:
            while not self._state.closing:
                await self._deliver_ready()
                await self._state.changed.wait(1.0)
        finally:
            if self._session is not None:
                await self._session.close()

    async def _deliver_ready(self) -> None:
        while self.server is not None:
            if self._again:
                event = self._again.pop(0)
            elif self._next < len(self._state.history):
                event = self._state.history[self._next][1]
                self._next += 1
            else:
                return
            await self._deliver(self.server, event)

    async def _deliver(self, server: CallbackServer, event: dict[str, Any]) -> None:
        body = dict(event)
        if server.secret is not None:
            body["secret"] = server.secret
        delay = self._backoff
        for retry in range(self._attempts):
            headers = {"X-Retry-Counter": str(retry)} if retry else None
            status, text = await self._post(server.url, body, headers)
            server.posted.append(Posted(event["event_id"], status, text, retry))
            if status == 200 and text == "ok":
                return
            if retry + 1 < self._attempts:
                await asyncio.sleep(delay)
                delay *= 2
        server.dropped.append(event["event_id"])

    async def _post(self, url: str, body: dict[str, Any], headers: dict[str, str] | None) -> tuple[int, str]:
        try:
            async with self._open().post(url, json=body, headers=headers) as response:
                return response.status, await response.text()
        except (ClientError, OSError, TimeoutError):
            return 0, ""

    def _open(self) -> ClientSession:
        if self._session is None:
            self._session = ClientSession(timeout=ClientTimeout(total=self._timeout))
        return self._session
