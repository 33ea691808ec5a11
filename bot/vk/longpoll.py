"""The Bots Long Poll loop: groups.getLongPollServer, then ``a_check`` requests, events handled in order.

Acknowledgement (documented choice): VK's long poll has no "confirm" call; the ``ts`` a request sends is
the acknowledgement. The next request carries the new ``ts`` only after every event of the batch was
handled and its effects committed, and that ``ts`` is then kept in the conversation store (key
``vk-longpoll:<community>``), so a restart resumes where the last finished batch ended instead of at
VK's newest event. A crash mid-batch re-reads the batch; the receipts make the finished events of it
no-ops. Events of one person are handled in order, different people's concurrently.

``failed`` answers (PLATFORMS.md §3.4): 1, the history is outdated: continue from the ``ts`` VK gives
(the events in between are lost, and logged as such); 2, the key expired: a new key, the same ``ts``;
3, information lost: a new key and ``ts``. Network errors and VK's internal errors back off and retry.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import ClientError, ClientTimeout
from vkbottle import API, VKAPIError

from backend_client.errors import ConversationConflict
from backend_client.ports import ConversationStore
from bot.vk.api import call

log = logging.getLogger(__name__)
Handler = Callable[[Mapping[str, Any]], Awaitable[None]]
MAX_BACKOFF = 30.0


class Cursor:
    """The last acknowledged ``ts``, kept as an opaque blob in the conversation store (SQL or Redis)."""

    def __init__(self, states: ConversationStore, group_id: int) -> None:
        self._states = states
        self._key = f"vk-longpoll:{group_id}"
        self._version = 0

    async def load(self) -> str | None:
        stored = await self._states.load(self._key)
        if stored is None:
            return None
        self._version = stored.version
        return stored.blob or None

    async def save(self, ts: str) -> None:
        try:
            self._version = await self._states.save(self._key, ts, self._version)
        except ConversationConflict:  # another poller moved it: take theirs, ours comes next time
            await self.load()


class LongPoll:
    def __init__(
        self,
        api: API,
        group_id: int,
        handle: Handler,
        cursor: Cursor,
        *,
        wait: int = 25,
        backoff: float = 1.0,
    ) -> None:
        self._api = api
        self._group_id = group_id
        self._handle = handle
        self._cursor = cursor
        self._wait = min(max(wait, 1), 90)
        self._backoff = backoff

    async def run(self, stop: asyncio.Event) -> None:
        """Until ``stop`` is set: a batch being handled is finished first."""
        server: dict[str, Any] | None = None
        delay = self._backoff
        while not stop.is_set():
            try:
                if server is None:
                    server = await self._server(await self._cursor.load())
                answer = await _unless_stopped(self._check(server), stop)
                if answer is None:
                    return
                server = await self._follow(server, answer)
                delay = self._backoff
            except (ClientError, TimeoutError, ValueError, KeyError, VKAPIError) as error:
                log.warning(
                    "vk long poll failed error=%s; retrying", getattr(error, "code", type(error).__name__)
                )
                await _unless_stopped(asyncio.sleep(delay), stop)
                delay = min(delay * 2, MAX_BACKOFF)

    async def _server(self, ts: str | None) -> dict[str, Any]:
        server = dict(await call(self._api, "groups.getLongPollServer", group_id=self._group_id))
        if ts is not None:
            server["ts"] = ts  # resume after the last finished batch
        return server

    async def _check(self, server: dict[str, Any]) -> Any:
        return await self._api.http_client.request_json(
            url=server["server"],
            method="POST",
            params={"act": "a_check", "key": server["key"], "ts": server["ts"], "wait": self._wait},
            timeout=ClientTimeout(total=self._wait + 10),
        )

    async def _follow(self, server: dict[str, Any], answer: Any) -> dict[str, Any]:
        """Handle an answer; returns the server to ask next."""
        if not isinstance(answer, dict):
            raise ValueError("long poll answer is not an object")
        failed = answer.get("failed")
        if failed == 1 and answer.get("ts") is not None:
            log.warning("vk long poll history outdated: events in between are lost")
            return server | {"ts": str(answer["ts"])}
        if failed == 2:
            return await self._server(server["ts"])
        if failed is not None:
            return await self._server(None)
        updates = answer.get("updates")
        await self._handle_all(updates if isinstance(updates, list) else [])
        ts = str(answer["ts"])
        await self._cursor.save(ts)
        return server | {"ts": ts}

    async def _handle_all(self, events: list[Any]) -> None:
        by_person: dict[object, list[Mapping[str, Any]]] = {}
        for event in events:
            if isinstance(event, dict):
                by_person.setdefault(_person_of(event), []).append(event)
        await asyncio.gather(*(self._in_order(group) for group in by_person.values()))

    async def _in_order(self, events: list[Mapping[str, Any]]) -> None:
        for event in events:
            try:
                await self._handle(event)
            except Exception:
                log.exception("vk event %s failed", event.get("event_id"))


def _person_of(event: Mapping[str, Any]) -> object:
    obj = event.get("object")
    if not isinstance(obj, dict):
        return None
    message = obj.get("message")
    if isinstance(message, dict):
        return message.get("from_id")
    return obj.get("user_id")


async def _unless_stopped(work: Awaitable[Any], stop: asyncio.Event) -> Any:
    """The result of ``work``, or None (``work`` cancelled) as soon as ``stop`` is set."""
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        task.cancel()
        raise
    finally:
        stopping.cancel()
    if not task.done():
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return None
    return task.result()
