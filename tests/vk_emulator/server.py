"""The HTTP face: ``/method/{name}`` with VK's envelopes (always HTTP 200), the Bots Long Poll server at
``/lp``, scripted faults and a log of every call.

vkbottle POSTs each call with ``access_token`` and ``v`` in the query string and the arguments as an
url-encoded form; GET with everything in the query works too, as with VK.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.vk_emulator.errors import VkError
from tests.vk_emulator.limits import RequestLimit
from tests.vk_emulator.methods import HANDLERS
from tests.vk_emulator.spec import VkApiSpec
from tests.vk_emulator.state import State

MAX_WAIT = 90  # seconds, Bots Long Poll


@dataclass(frozen=True, slots=True)
class ApiCall:
    method: str
    params: dict[str, Any]  # decoded
    response: dict[str, Any]  # the envelope sent back
    at: float

    @property
    def ok(self) -> bool:
        return "response" in self.response

    @property
    def error_code(self) -> int | None:
        """VK's error code; 0 when the connection was dropped (``disconnect_next``)."""
        if self.ok:
            return None
        return int(self.response["error"]["error_code"]) if self.response else DISCONNECT


DISCONNECT = 0  # a fault's code for "close the connection without answering"


@dataclass(slots=True)
class Fault:
    method: str
    code: int  # VK's error code, or DISCONNECT
    times: int
    peer_id: int | None


class VkApiServer:
    def __init__(self, spec: VkApiSpec, state: State) -> None:
        self._spec = spec
        self._state = state
        self.calls: list[ApiCall] = []
        self.faults: list[Fault] = []
        self.limit: RequestLimit | None = None
        self.base_url = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/method/{name}", self._method)
        app.router.add_route("*", "/lp", self._long_poll)
        return app

    async def _method(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        values = await _values(request)
        params: dict[str, Any] = {}
        try:
            if values.get("access_token") != self._state.token:
                raise VkError(5)
            spec = self._spec.method(name)
            handler = HANDLERS.get(name)
            if spec is None or handler is None:  # unknown, or a real method this emulator lacks
                raise VkError(3, "" if spec is None else f"the emulator does not implement {name}")
            params = self._spec.decode(spec, values)
            if self.limit is not None and not self.limit.allow():
                raise VkError(6)
            if fault := self._take_fault(name, params):
                if fault.code == DISCONNECT:
                    self.calls.append(ApiCall(name, params, {}, self._state.now()))
                    return _hang_up(request)
                raise fault
            result = handler(self._state, self.base_url, params)
        except VkError as error:
            return self._answer(name, params, error.envelope(name, params or values))
        return self._answer(name, params, {"response": result})

    def _answer(self, name: str, params: dict[str, Any], body: dict[str, Any]) -> web.Response:
        self.calls.append(ApiCall(name, params, body, self._state.now()))
        return web.json_response(body)  # VK answers errors with 200 too

    def _take_fault(self, name: str, params: dict[str, Any]) -> VkError | None:
        for fault in self.faults:
            if fault.method != name:
                continue
            if fault.peer_id is not None and params.get("peer_id", params.get("user_id")) != fault.peer_id:
                continue
            fault.times -= 1
            if fault.times == 0:
                self.faults.remove(fault)
            return VkError(fault.code)
        return None

    async def _long_poll(self, request: web.Request) -> web.Response:
        state = self._state
        values = await _values(request)
        if values.get("act") != "a_check":
            return web.json_response({"failed": 2})
        if values.get("key") != state.lp_key:
            return web.json_response({"failed": 2})
        if state.lp_failures:
            code = state.lp_failures.pop(0)
            if code in (2, 3):
                state.rotate_key()
            answer: dict[str, Any] = {"failed": code}
            if code == 1:
                answer["ts"] = str(state.next_ts)
            return web.json_response(answer)
        try:
            ts = int(values.get("ts", ""))
            wait = min(MAX_WAIT, max(0, int(values.get("wait", "25"))))
        except ValueError:
            return web.json_response({"failed": 1, "ts": str(state.next_ts)})
        if not state.history_floor <= ts <= state.next_ts:
            return web.json_response({"failed": 1, "ts": str(state.next_ts)})
        deadline = asyncio.get_running_loop().time() + wait
        while not state.events_since(ts) and not state.closing:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                break
            await state.changed.wait(left)
        batch = [(number, event) for number, event in state.history if number >= ts][:100]
        next_ts = batch[-1][0] + 1 if batch else state.next_ts
        return web.json_response({"ts": str(next_ts), "updates": [event for _, event in batch]})


def _hang_up(request: web.Request) -> web.Response:
    """Close the connection without an answer: the client sees a dropped connection."""
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=204)  # never written: aiohttp finds the transport closed


async def _values(request: web.Request) -> dict[str, str]:
    values = dict(request.query)
    if request.can_read_body and request.content_type != "application/json":
        form = await request.post()
        values.update({k: v for k, v in form.items() if isinstance(v, str)})
    return values
