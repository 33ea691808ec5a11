"""Conversation state in Redis, shared by several bot instances; saves are compare-and-set in Lua."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from backend_client.errors import ConversationConflict, DuplicateUpdate
from backend_client.ports import Receipt, StoredConversation

RECEIPT_TTL = timedelta(hours=48)  # Telegram redelivers for 24 hours; a receipt outlives that

# KEYS[1] = conversation key, KEYS[2] (optional) = receipt key; ARGV = expected version, blob, ttl in ms
# (0: keep forever), receipt ttl in ms. Redis runs a script atomically, so the version check, the receipt
# and the write cannot interleave with another save. -1: version conflict, -2: receipt seen; nothing written.
_SAVE = """
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if current ~= tonumber(ARGV[1]) then return -1 end
if KEYS[2] and not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[4]) then return -2 end
local next = current + 1
redis.call('HSET', KEYS[1], 'blob', ARGV[2], 'version', next)
if tonumber(ARGV[3]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return next
"""
# KEYS[1] = conversation key, KEYS[2] (optional) = receipt key; ARGV[1] = receipt ttl in ms.
_DELETE = """
if KEYS[2] and not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return -2 end
redis.call('DEL', KEYS[1])
return 0
"""


class RedisConversationStore:
    """``ConversationStore`` as one hash per conversation (``blob``, ``version``) under ``prefix``.

    ``ttl``: conversations untouched that long disappear (every save renews it); None keeps them.
    Receipts are keys under ``receipt_prefix`` that expire after ``RECEIPT_TTL``.
    Works with clients that decode responses and with those that return bytes.
    """

    def __init__(
        self,
        client: Redis,
        prefix: str = "frontdoor:conv:",
        ttl: timedelta | None = None,
        receipt_prefix: str = "frontdoor:seen:",
    ) -> None:
        self._client = client
        self._prefix = prefix
        self._ttl_ms = int(ttl.total_seconds() * 1000) if ttl else 0
        self._receipt_prefix = receipt_prefix
        self._receipt_ttl_ms = int(RECEIPT_TTL.total_seconds() * 1000)
        self._save: Any = client.register_script(_SAVE)  # EVALSHA, loaded on first use
        self._delete: Any = client.register_script(_DELETE)

    async def load(self, key: str) -> StoredConversation | None:
        blob, version = await self._client.hmget(self._prefix + key, ["blob", "version"])
        if blob is None or version is None:
            return None
        return StoredConversation(_text(blob), int(version))

    async def save(self, key: str, blob: str, expected_version: int, receipt: Receipt | None = None) -> int:
        if expected_version < 0:
            raise ValueError("expected_version is 0 (nothing stored) or a version returned by save")
        keys = [self._prefix + key, *self._receipt_key(receipt)]
        result = int(
            await self._save(keys=keys, args=[expected_version, blob, self._ttl_ms, self._receipt_ttl_ms])
        )
        if result == -2:
            raise DuplicateUpdate(keys[1])
        if result < 0:
            raise ConversationConflict(key)
        return result

    async def delete(self, key: str, receipt: Receipt | None = None) -> None:
        keys = [self._prefix + key, *self._receipt_key(receipt)]
        if int(await self._delete(keys=keys, args=[self._receipt_ttl_ms])) == -2:
            raise DuplicateUpdate(keys[1])

    async def record(self, receipt: Receipt) -> None:
        (key,) = self._receipt_key(receipt)
        if not await self._client.set(key, "1", nx=True, px=self._receipt_ttl_ms):
            raise DuplicateUpdate(key)

    async def handled(self, receipt: Receipt) -> bool:
        (key,) = self._receipt_key(receipt)
        return bool(await self._client.exists(key))

    def _receipt_key(self, receipt: Receipt | None) -> list[str]:
        if receipt is None:
            return []
        return [f"{self._receipt_prefix}{receipt.source}:{receipt.update_id}"]


async def keeps_an_append_only_file(client: Redis) -> bool:
    """Whether the server logs every write to its append-only file (AOF), so that a restart keeps the
    conversations and update receipts. ``CONFIG GET appendonly``; where CONFIG is renamed or forbidden
    (managed services), ``aof_enabled`` from ``INFO persistence``."""
    try:
        reply = await client.config_get("appendonly")
    except ResponseError:
        reply = {}
    value = next(iter(reply.values()), None) if reply else None
    if value is not None:
        return _text(value).strip().lower() == "yes"
    info = await client.info("persistence")
    return str(info.get("aof_enabled", "0")) == "1"


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value
