"""The «Работа России» open-data API (DOMAIN.md §2.2): the pages of one region's vacancies.

``GET {base}/vacancies/region/{code}?limit=…&offset=…[&modifiedFrom=…]`` — no key; ``offset`` is a page
number (0-based), ``limit`` at most 100; ``modifiedFrom`` (ISO time, sent in UTC with a ``Z``: **to
verify** against the live API) keeps records modified since then.

Politeness: requests are spaced at least ``delay`` seconds apart (default 1 s: one public consumer measured
~4.5 s per answer and asks for ~1 request a second). A page that fails — a 5xx or 429, a timeout (``timeout``
covers the whole request, so a slow page is a failed one), a dropped connection, a body that is not the
API's JSON, or a page shorter than its own ``meta.total`` promises (a spurious ``"results": {}``) — is asked
again after ``backoff``, 2×, 4× … seconds, ``attempts`` times in all; then ``TrudvsemUnavailable`` names the
page and the last reason. A 4xx other than 429 is not retried: ``TrudvsemRefused`` (a wrong region code).

Paging stops at a page with fewer than ``limit`` records, or when the pages so far cover ``meta.total``;
more than ``max_pages`` pages is refused (a server that ignores ``offset`` would loop forever).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp

from backend_client.vacancies.importers.trudvsem import BadPage, read_page

DEFAULT_URL = "https://opendata.trudvsem.ru/api/v1"
MAX_LIMIT = 100

log = logging.getLogger(__name__)


class TrudvsemError(Exception):
    """The source could not give a page; the message names it (never a body or personal data)."""


class TrudvsemUnavailable(TrudvsemError, ConnectionError):
    """Every attempt at a page failed (server errors, timeouts, broken pages)."""


class TrudvsemRefused(TrudvsemError):
    """The API refused the request itself (4xx): the region code or a parameter is wrong."""


class _Retry(Exception):
    """One attempt failed in a way worth another try."""


@dataclass(frozen=True, slots=True)
class Page:
    number: int  # the ``offset`` asked for
    records: tuple[Any, ...]  # unwrapped records, for ``importers.trudvsem.draft_of``
    total: int | None  # ``meta.total`` when the page gave a count


def modified_from_param(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class TrudvsemClient:
    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        delay: float = 1.0,
        timeout: float = 60.0,
        attempts: int = 4,
        backoff: float = 2.0,
        limit: int = MAX_LIMIT,
        max_pages: int = 1000,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit is 1 to {MAX_LIMIT}")
        if attempts < 1:
            raise ValueError("at least one attempt")
        self._base = base_url.rstrip("/")
        self._delay, self._backoff, self._attempts = delay, backoff, attempts
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self.limit, self.max_pages = limit, max_pages
        self._session = session
        self._owned = session is None
        self._last_request = float("-inf")
        self.requests = 0  # every request sent, retries included (for the summary and the figures)
        self.retries = 0

    async def __aenter__(self) -> TrudvsemClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None and self._owned:
            await self._session.close()
        self._session = None

    async def pages(self, region: str, *, modified_from: datetime | None = None) -> AsyncIterator[Page]:
        """Every page of the region, in order, until the source has no more."""
        for number in range(self.max_pages):
            page = await self.page(region, number, modified_from=modified_from)
            yield page
            covered = (number + 1) * self.limit
            if len(page.records) < self.limit or (page.total is not None and covered >= page.total):
                return
        pages = f"{self.max_pages} pages of {self.limit}"
        raise TrudvsemUnavailable(f"more than {pages}: stopped (does the server ignore offset?)")

    async def page(self, region: str, number: int, *, modified_from: datetime | None = None) -> Page:
        """One page, asked again on failure as the module says."""
        params = {"limit": str(self.limit), "offset": str(number)}
        if modified_from is not None:
            params["modifiedFrom"] = modified_from_param(modified_from)
        url = f"{self._base}/vacancies/region/{region}"
        reason = ""
        for attempt in range(1, self._attempts + 1):
            if attempt > 1:
                self.retries += 1
                log.warning("trudvsem page %d: %s; attempt %d of %d", number, reason, attempt, self._attempts)
                await asyncio.sleep(self._backoff * 2 ** (attempt - 2))
            try:
                return await self._fetch(url, params, number)
            except _Retry as failure:
                reason = str(failure)
        raise TrudvsemUnavailable(f"page {number}: {reason} (after {self._attempts} attempts)")

    async def _fetch(self, url: str, params: dict[str, str], number: int) -> Page:
        status, raw = await self._get(url, params)
        if status == 429 or status >= 500:
            raise _Retry(f"HTTP {status}")
        if status >= 400:
            raise TrudvsemRefused(f"page {number}: HTTP {status} (is the region code right?)")
        try:
            read = read_page(json.loads(raw))
        except ValueError as problem:  # BadPage, or JSON that does not parse
            raise _Retry(str(problem) if isinstance(problem, BadPage) else "the body is not JSON") from None
        expected = None if read.total is None else min(self.limit, read.total - number * self.limit)
        if expected is not None and len(read.records) < expected:
            raise _Retry(f"{len(read.records)} records where meta.total promises {expected}")
        return Page(number, read.records, read.total)

    async def _get(self, url: str, params: dict[str, str]) -> tuple[int, bytes]:
        await self._polite()
        if self._session is None:
            headers = {"Accept": "application/json"}
            self._session = aiohttp.ClientSession(timeout=self._timeout, headers=headers)
        self.requests += 1
        try:
            async with self._session.get(url, params=params, timeout=self._timeout) as response:
                return response.status, await response.read()
        except TimeoutError:
            raise _Retry(f"no answer in {self._timeout.total:g} s") from None
        except aiohttp.ClientError as error:
            raise _Retry(type(error).__name__) from None

    async def _polite(self) -> None:
        wait = self._last_request + self._delay - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self._last_request = time.monotonic()
