"""Conversation state in Redis, shared by several bot instances; saves are compare-and-set in Lua."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from redis.asyncio import Redis

from backend_client.errors import ConversationConflict
from backend_client.ports import StoredConversation

# KEYS[1] = conversation key; ARGV = expected version, blob, ttl in ms (0: keep forever).
# Redis runs a script atomically, so the version check and the write cannot interleave with another save.
_SAVE = """
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if current ~= tonumber(ARGV[1]) then return -1 end
local next = current + 1
redis.call('HSET', KEYS[1], 'blob', ARGV[2], 'version', next)
if tonumber(ARGV[3]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return next
"""


class RedisConversationStore:
    """``ConversationStore`` as one hash per conversation (``blob``, ``version``) under ``prefix``.

    ``ttl``: conversations untouched that long disappear (every save renews it); None keeps them.
    Works with clients that decode responses and with those that return bytes.
    """

    def __init__(self, client: Redis, prefix: str = "frontdoor:conv:", ttl: timedelta | None = None) -> None:
        self._client = client
        self._prefix = prefix
        self._ttl_ms = int(ttl.total_seconds() * 1000) if ttl else 0
        self._save: Any = client.register_script(_SAVE)  # EVALSHA, loaded on first use

    async def load(self, key: str) -> StoredConversation | None:
        blob, version = await self._client.hmget(self._prefix + key, ["blob", "version"])
        if blob is None or version is None:
            return None
        return StoredConversation(_text(blob), int(version))

    async def save(self, key: str, blob: str, expected_version: int) -> int:
        if expected_version < 0:
            raise ValueError("expected_version is 0 (nothing stored) or a version returned by save")
        result = int(await self._save(keys=[self._prefix + key], args=[expected_version, blob, self._ttl_ms]))
        if result < 0:
            raise ConversationConflict(key)
        return result

    async def delete(self, key: str) -> None:
        await self._client.delete(self._prefix + key)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value
