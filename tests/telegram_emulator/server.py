"""The HTTP face: ``/bot{token}/{method}`` with Telegram's envelopes and statuses, and a log of every call.

Requests may be GET or POST, urlencoded, multipart or JSON. aiogram sends an urlencoded form (multipart when
a file goes along) with nested objects, numbers and booleans JSON-encoded in the fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from json import JSONDecodeError
from typing import Any

from aiohttp import BodyPartReader, web

from tests.telegram_emulator import errors
from tests.telegram_emulator.errors import ApiError
from tests.telegram_emulator.faults import Disconnect, Faults
from tests.telegram_emulator.methods import HANDLERS
from tests.telegram_emulator.spec import BotApiSpec, Upload
from tests.telegram_emulator.state import State

MAX_BODY = 60 * 2**20  # uploads up to 50 MB, as with the cloud Bot API


@dataclass(frozen=True, slots=True)
class ApiCall:
    method: str  # as the spec spells it (sendMessage), whatever case the client used
    params: dict[str, Any]  # decoded: numbers, booleans, objects; files as spec.Upload
    status: int  # the HTTP status, equal to error_code on failures; 0 when the connection was dropped
    response: dict[str, Any]  # the envelope sent back
    at: float  # the emulator's clock

    @property
    def ok(self) -> bool:
        return self.status == 200


class BotApiServer:
    def __init__(self, token: str, spec: BotApiSpec, state: State, faults: Faults) -> None:
        self._token = token
        self._spec = spec
        self._state = state
        self._faults = faults
        self.calls: list[ApiCall] = []

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/{tail:.*}", self._elsewhere)
        return app

    async def _handle(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        params: dict[str, Any] = {}
        try:
            if request.match_info["token"] != self._token:
                raise ApiError(401, errors.UNAUTHORIZED)
            spec = self._spec.method(name)
            if spec is None:
                raise ApiError(404, errors.METHOD_NOT_FOUND)
            name = spec.name
            handler = HANDLERS.get(name.lower())
            if handler is None:  # a real method this emulator lacks: say so rather than pretend
                raise ApiError(404, f"{errors.METHOD_NOT_FOUND} (the emulator does not implement {name})")
            values, uploads = await _read(request)
            params = self._spec.decode(spec, values, uploads)
            if problem := self._spec.problem(spec, params):
                raise ApiError(400, problem)
            if fault := self._faults.take(name, params):
                raise fault
            result = await handler(self._state, params)
        except ApiError as error:
            return self._answer(name, params, error.code, error.envelope(), error.retry_after)
        except Disconnect:
            self.calls.append(ApiCall(name, params, 0, {}, self._state.now()))
            return _hang_up(request)
        return self._answer(name, params, 200, {"ok": True, "result": result})

    def _answer(
        self,
        name: str,
        params: dict[str, Any],
        status: int,
        body: dict[str, Any],
        retry_after: int | None = None,
    ) -> web.Response:
        self.calls.append(ApiCall(name, params, status, body, self._state.now()))
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        return web.json_response(body, status=status, headers=headers)

    async def _elsewhere(self, request: web.Request) -> web.Response:
        return web.json_response(ApiError(404, errors.NOT_FOUND).envelope(), status=404)


def _hang_up(request: web.Request) -> web.Response:
    """Close the connection without an answer: the client sees a dropped connection."""
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=204)  # never written: aiohttp finds the transport closed


async def _read(request: web.Request) -> tuple[dict[str, Any], dict[str, Upload]]:
    """Raw parameters (query string and body), and the file parts of a multipart body."""
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if not request.can_read_body:
        return values, uploads
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except (JSONDecodeError, UnicodeDecodeError):
            raise ApiError(400, "Bad Request: can't parse JSON request body") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: JSON request body must be an object")
        values.update(body)
    elif request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename is not None:
                content_type = part.headers.get("Content-Type", "")
                uploads[part.name] = Upload(part.filename, bytes(await part.read()), content_type)
            else:
                values[part.name] = await part.text()
    else:
        form = await request.post()
        values.update({key: value for key, value in form.items() if isinstance(value, str)})
    return values, uploads
