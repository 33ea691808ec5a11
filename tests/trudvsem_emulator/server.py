"""«Работа России» open data on loopback: ``GET /api/v1/vacancies/region/{code}`` with ``limit`` (at most
100, more is refused with 400), a page-number ``offset`` (0-based) and ``modifiedFrom``, answered in the
API's envelope (``results: {}`` when a page is empty), plus scripted faults and a log of every request.

    async with TrudvsemEmulator([record(n) for n in range(250)]) as api:
        client = TrudvsemClient(api.base_url, delay=0)
        api.fail(page=1, fault=Fault.ERROR)      # the second page answers 500 once, then serves
        ...

Records are served in a fixed order that is not by modification (by id), as nothing says the real API
sorts by date: an importer must not rely on it.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from aiohttp import web

MAX_LIMIT = 100


class Fault(StrEnum):
    ERROR = "error"  # HTTP 500 with an HTML error page
    SLOW = "slow"  # the page comes after ``delay`` seconds
    EMPTY = "empty"  # ``"results": {}`` whatever there is to serve
    MALFORMED = "malformed"  # the JSON is cut off half-way
    STRING_TOTAL = "string_total"  # ``meta.total`` as a string
    NOT_FOUND = "not_found"  # HTTP 404


@dataclass(slots=True)
class _Scripted:
    page: int | None  # None: any page
    fault: Fault
    times: int
    delay: float


@dataclass(frozen=True, slots=True)
class Served:
    region: str
    page: int
    limit: int
    modified_from: str | None
    status: int
    fault: Fault | None
    count: int  # records on the page


class TrudvsemEmulator:
    def __init__(self, records: list[dict[str, Any]] | None = None) -> None:
        self.records: dict[str, dict[str, Any]] = {}
        for item in records or []:
            self.put(item)
        self.requests: list[Served] = []
        self._faults: list[_Scripted] = []
        self._injected: dict[int, list[Any]] = {}
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # -- what is served -------------------------------------------------------------------------------
    def put(self, item: dict[str, Any]) -> None:
        """Add or replace a record (by its id)."""
        self.records[str(item["id"])] = item

    def remove(self, vacancy_id: str) -> None:
        del self.records[vacancy_id]

    def inject(self, page: int, item: Any) -> None:
        """Serve ``item`` (anything: a malformed record, a second copy of an id) inside ``page``'s
        wrapper list, after the page's own records; totals do not count it."""
        self._injected.setdefault(page, []).append(item)

    def fail(self, *, page: int | None, fault: Fault, times: int = 1, delay: float = 0.0) -> None:
        """The next ``times`` requests of ``page`` (any page if None) get ``fault``."""
        self._faults.append(_Scripted(page, fault, times, delay))

    # -- lifecycle ------------------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/api/v1/vacancies/region/{code}", self._region)
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/api/v1"

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> TrudvsemEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- the endpoint ---------------------------------------------------------------------------------
    async def _region(self, request: web.Request) -> web.StreamResponse:
        code = request.match_info["code"]
        try:
            limit = int(request.query.get("limit", MAX_LIMIT))
            page = int(request.query.get("offset", 0))
            since = _moment(request.query.get("modifiedFrom"))
        except ValueError:
            return self._log(code, -1, 0, request, web.Response(status=400, text="bad parameters"), None)
        if not 1 <= limit <= MAX_LIMIT or page < 0:
            return self._log(code, page, limit, request, web.Response(status=400, text="bad limit"), None)
        fault = self._take_fault(page)
        if fault is not None and fault.fault is Fault.SLOW:
            await asyncio.sleep(fault.delay)
        matching = [
            item for _, item in sorted(self.records.items()) if _in_region(item, code) and _since(item, since)
        ]
        rows = matching[page * limit : (page + 1) * limit] + self._injected.get(page, [])
        kind = fault.fault if fault else None
        return self._log(
            code, page, limit, request, _answer(kind, rows, len(matching), limit), kind, len(rows)
        )

    def _take_fault(self, page: int) -> _Scripted | None:
        for scripted in self._faults:
            if scripted.times > 0 and scripted.page in (None, page):
                scripted.times -= 1
                return scripted
        return None

    def _log(
        self,
        code: str,
        page: int,
        limit: int,
        request: web.Request,
        response: web.Response,
        fault: Fault | None,
        count: int = 0,
    ) -> web.Response:
        served = Served(code, page, limit, request.query.get("modifiedFrom"), response.status, fault, count)
        self.requests.append(served)
        return response


def _answer(fault: Fault | None, rows: list[Any], total: int, limit: int) -> web.Response:
    if fault is Fault.ERROR:
        return web.Response(status=500, text="<html><body>Internal Server Error</body></html>")
    if fault is Fault.NOT_FOUND:
        return web.Response(status=404, text="not found")
    if fault is Fault.EMPTY:
        rows = []
    body: dict[str, Any] = {
        "status": "200",
        "request": {"api": "v1"},
        "meta": {"total": str(total) if fault is Fault.STRING_TOTAL else total, "limit": limit},
        "results": {"vacancies": [_wrapped(row) for row in rows]} if rows else {},
    }
    text = json.dumps(body, ensure_ascii=False)
    if fault is Fault.MALFORMED:
        text = text[: len(text) // 2]
    return web.Response(text=text, content_type="application/json")


def _wrapped(row: Any) -> Any:
    return {"vacancy": row} if isinstance(row, dict) else row  # a malformed item is served as it is


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _in_region(item: dict[str, Any], code: str) -> bool:
    region = str(item.get("region", {}).get("region_code", ""))
    return region == code or (len(code) == 2 and region.startswith(code))


def _since(item: dict[str, Any], since: datetime | None) -> bool:
    if since is None:
        return True
    modified = item.get("date_modify")
    return isinstance(modified, str) and datetime.fromisoformat(modified) >= since
