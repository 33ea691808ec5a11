"""The VK API client: vkbottle's ``API`` pointed at a configurable base URL, and the small helpers every
VK module shares (plain-dict calls, event numbers, deterministic random_ids).

Calls go through ``API.request`` with string parameters and come back as plain dicts: the engine needs a
handful of fields, not vkbottle's pydantic models. VK errors arrive as ``VKAPIError[code]`` (vkbottle reads
VK's HTTP-200 ``{"error": ...}`` envelope); what they mean is decided in ``delivery`` and ``sender``.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from vkbottle import API, AiohttpClient, VKAPIError
from vkbottle.api import ABCAPI
from vkbottle.api.request_rescheduler import ABCRequestRescheduler

CHANNEL = "vk"
API_VERSION = "5.199"
_INT63 = (1 << 63) - 1


class NoReschedule(ABCRequestRescheduler):
    """vkbottle re-sends a call whose answer was not JSON, forever, 5 s apart; here it is one more
    internal error, so our bounded retries (or the relay's) decide."""

    async def reschedule(self, ctx_api: ABCAPI | API, method: str, data: dict[str, Any], recent: Any) -> Any:
        raise VKAPIError[10](error_msg="the API answered something other than JSON")


def open_api(token: str, api_url: str) -> API:
    # vkbottle logs every request with its parameters (message texts) at DEBUG: never below WARNING here,
    # and through our handlers only (it brings a coloured one of its own).
    library = logging.getLogger("vkbottle")
    library.setLevel(logging.WARNING)
    library.handlers.clear()
    api = API(token, http_client=AiohttpClient(), request_rescheduler=NoReschedule())
    api.API_URL = api_url.rstrip("/") + "/"
    return api


async def close_api(api: API) -> None:
    await api.http_client.close()


async def call(api: API, method: str, **params: object) -> Any:
    """One API call; returns VK's ``response``. Raises VKAPIError, aiohttp's ClientError or TimeoutError."""
    data = {key: str(value) for key, value in params.items() if value is not None}
    answer = await api.request(method, data)
    return answer["response"]


@dataclass(frozen=True, slots=True)
class Community:
    id: int
    screen_name: str


async def resolve_community(api: API, group_id: int | None) -> Community:
    """The community the token belongs to (or the configured one): its id and vk.me short name."""
    answer = await call(api, "groups.getById", group_id=group_id)
    groups = answer.get("groups", []) if isinstance(answer, dict) else answer
    if not groups:
        raise VKAPIError[100](error_msg="no community for this token: is it a community token?")
    group = groups[0]
    return Community(int(group["id"]), str(group.get("screen_name") or f"club{group['id']}"))


def event_number(event_id: str) -> int:
    """VK's event ids are opaque strings; receipts hold a 63-bit number derived from them (a collision
    would need ~3e9 events within the receipts' 24 hours)."""
    return int.from_bytes(hashlib.blake2b(event_id.encode(), digest_size=8).digest()) & _INT63


def random_id(*parts: object) -> int:
    """A deterministic, non-zero messages.send random_id: the same reply of the same event always gets the
    same id, so VK drops a repeat (a retry after a timeout, a redelivered event answered again)."""
    key = "\x1f".join(str(part) for part in parts)
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest()) & _INT63 or 1
