"""POST JSON to one external service and read JSON back; transport failures become ConnectionError.

Used by the Rasa NLU backend (``nlu.rasa_http.JsonPoster``). The session lives as long as the client
(the composition root closes it); the timeout covers the whole request.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import aiohttp


class JsonClient:
    def __init__(
        self, base_url: str, *, timeout: float, session: aiohttp.ClientSession | None = None
    ) -> None:
        self._base = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session = session
        self._owned = session is None

    async def post_json(
        self, path: str, body: Mapping[str, Any], params: Mapping[str, str] | None = None
    ) -> tuple[int, Any]:
        """(status, decoded JSON or None when the body is not JSON). Raises ConnectionError when the
        server cannot be reached or does not answer in time; the message holds no request data."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        try:
            async with self._session.post(self._base + path, json=dict(body), params=params) as response:
                raw = await response.read()
                status = response.status
        except (TimeoutError, aiohttp.ClientError) as error:
            raise ConnectionError(f"{type(error).__name__} from {self._base}") from error
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, None

    async def close(self) -> None:
        if self._session is not None and self._owned:
            await self._session.close()
        self._session = None
