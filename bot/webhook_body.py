"""Reading a webhook's JSON body safely, for both webhook endpoints (Telegram's and VK's Callback API).

Bad input is refused with a status, never an exception that escapes to aiohttp (a 500 with a logged
traceback), and never after reading or parsing more than a bound:

- over ``MAX_BODY_BYTES``: 413, decided from ``Content-Length`` before reading anything, or as soon as a
  body without one (chunked) passes the bound;
- nested deeper than ``MAX_DEPTH`` arrays or objects: 400, decided by a linear scan of the bytes before
  ``json.loads`` (whose C parser recurses once per level: ~100,000 levels end in RecursionError);
- not UTF-8 or not JSON: 400.

Real updates are far inside both bounds: a Telegram update is a few KB (a 4,096-character text escaped
is ~25 KB), a VK event tens of KB unless it forwards dozens of long messages (a hundred forwarded
4,096-letter texts, VK's maximum, would pass the bound: such an event is refused and VK gives up on it
after its retries); Telegram's nesting stays under ten levels (a reply carries no reply of its own), VK's
forwards nest a few levels per forward.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from aiohttp import web

MAX_BODY_BYTES = 512 * 1024
MAX_DEPTH = 100
_READ_CHUNK = 64 * 1024

_ESCAPES = re.compile(rb"\\.", re.DOTALL)  # first, so an escaped quote cannot end a string
_STRINGS = re.compile(rb'"[^"]*"')  # linear: no quote inside, nothing to backtrack over
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in _STEP)


class BadBody(Exception):
    """The body is refused; ``status`` is the HTTP answer to give (400 or 413)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason

    def response(self) -> web.Response:
        return web.Response(status=self.status, text=self.reason)


async def read_json(
    request: web.Request, *, max_bytes: int = MAX_BODY_BYTES, max_depth: int = MAX_DEPTH
) -> Any:
    """The request's JSON body, parsed; BadBody when it is too large, too deep or not JSON."""
    return parse_json(await read_body(request, max_bytes=max_bytes), max_depth=max_depth)


async def read_body(request: web.Request, *, max_bytes: int = MAX_BODY_BYTES) -> bytes:
    if request.content_length is not None and request.content_length > max_bytes:
        raise BadBody(413, "body too large")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(_READ_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise BadBody(413, "body too large")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(body: bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    if too_deep(body, max_depth):
        raise BadBody(400, "body nested too deeply")
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise BadBody(400, "bad json") from None


def too_deep(body: bytes, limit: int) -> bool:
    """Whether arrays and objects nest deeper than ``limit`` (brackets inside strings do not count).
    Exact for valid JSON; for anything else json.loads refuses the body anyway."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # cannot nest deeper than it has brackets: a typical update stops here (<1 µs)
    brackets = _STRINGS.sub(b"", _ESCAPES.sub(b"", body)).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit
