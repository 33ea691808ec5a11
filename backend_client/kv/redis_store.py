"""Conversation state in Redis, shared by several bot instances; saves are compare-and-set in Lua."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from backend_client.clock import Clock, SystemClock
from backend_client.errors import ConversationConflict, DuplicateUpdate
from backend_client.ports import Receipt, StoredConversation

RECEIPT_TTL = timedelta(hours=48)  # Telegram redelivers for 24 hours; a receipt outlives that
SENT = "1"  # a receipt's value once its replies left; before that, the replies themselves

# Receipts: KEYS[n] = receipt key, KEYS[n+1] = the source's sorted set of unsent turns (score: ms).
# ARGV: receipt ttl in ms, replies ("" = none), now in ms, update id. SET NX makes the receipt the
# arbiter; -2 means it was seen before and nothing was written.
_RECEIPT = """
local function take(receipt, unsent, ttl, replies, now, update_id)
  local value = replies
  if value == '' then value = '1' end
  if not redis.call('SET', receipt, value, 'NX', 'PX', ttl) then return false end
  if replies ~= '' then redis.call('ZADD', unsent, now, update_id) end
  return true
end
"""
# KEYS[1] = conversation key, KEYS[2], KEYS[3] (optional) = receipt, unsent set; ARGV = expected version,
# blob, ttl in ms (0: keep forever), then the receipt's four. Redis runs a script atomically, so the version
# check, the receipt and the write cannot interleave with another save. -1: version conflict, -2: receipt
# seen; nothing written.
_SAVE = (
    _RECEIPT
    + """
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if current ~= tonumber(ARGV[1]) then return -1 end
if KEYS[2] and not take(KEYS[2], KEYS[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]) then return -2 end
local next = current + 1
redis.call('HSET', KEYS[1], 'blob', ARGV[2], 'version', next)
if tonumber(ARGV[3]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return next
"""
)
# KEYS[1] = conversation key, KEYS[2], KEYS[3] (optional) = receipt, unsent set; ARGV = the receipt's four.
_DELETE = (
    _RECEIPT
    + """
if KEYS[2] and not take(KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], ARGV[4]) then return -2 end
redis.call('DEL', KEYS[1])
return 0
"""
)
# KEYS[1] = receipt, KEYS[2] = unsent set; ARGV = the receipt's four.
_RECORD = (
    _RECEIPT
    + """
if not take(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4]) then return -2 end
return 0
"""
)
# KEYS[1] = receipt, KEYS[2] = unsent set; ARGV[1] = update id. Only an existing receipt is overwritten.
_SENT = """
redis.call('SET', KEYS[1], '1', 'XX', 'KEEPTTL')
redis.call('ZREM', KEYS[2], ARGV[1])
return 0
"""


class RedisConversationStore:
    """``ConversationStore`` as one hash per conversation (``blob``, ``version``) under ``prefix``.

    ``ttl``: conversations untouched that long disappear (every save renews it); None keeps them.
    Receipts are keys under ``receipt_prefix`` that expire after ``RECEIPT_TTL``; a receipt's value is its
    turn's unsent replies until they are reported sent, and a sorted set per source lists those turns.
    Works with clients that decode responses and with those that return bytes.
    """

    def __init__(
        self,
        client: Redis,
        prefix: str = "frontdoor:conv:",
        ttl: timedelta | None = None,
        receipt_prefix: str = "frontdoor:seen:",
        clock: Clock | None = None,
    ) -> None:
        self._client = client
        self._prefix = prefix
        self._ttl_ms = int(ttl.total_seconds() * 1000) if ttl else 0
        self._receipt_prefix = receipt_prefix
        self._receipt_ttl_ms = int(RECEIPT_TTL.total_seconds() * 1000)
        self._clock = clock or SystemClock()
        self._save: Any = client.register_script(_SAVE)  # EVALSHA, loaded on first use
        self._delete: Any = client.register_script(_DELETE)
        self._record: Any = client.register_script(_RECORD)
        self._sent: Any = client.register_script(_SENT)

    async def load(self, key: str) -> StoredConversation | None:
        blob, version = await self._client.hmget(self._prefix + key, ["blob", "version"])
        if blob is None or version is None:
            return None
        return StoredConversation(_text(blob), int(version))

    async def save(
        self,
        key: str,
        blob: str,
        expected_version: int,
        receipt: Receipt | None = None,
        replies: str | None = None,
    ) -> int:
        if expected_version < 0:
            raise ValueError("expected_version is 0 (nothing stored) or a version returned by save")
        keys = [self._prefix + key, *self._receipt_keys(receipt)]
        args = [expected_version, blob, self._ttl_ms, *self._receipt_args(receipt, replies)]
        result = int(await self._save(keys=keys, args=args))
        if result == -2:
            raise DuplicateUpdate(keys[1])
        if result < 0:
            raise ConversationConflict(key)
        return result

    async def delete(self, key: str, receipt: Receipt | None = None, replies: str | None = None) -> None:
        keys = [self._prefix + key, *self._receipt_keys(receipt)]
        if int(await self._delete(keys=keys, args=self._receipt_args(receipt, replies))) == -2:
            raise DuplicateUpdate(keys[1])

    async def record(self, receipt: Receipt, replies: str | None = None) -> None:
        keys = self._receipt_keys(receipt)
        if int(await self._record(keys=keys, args=self._receipt_args(receipt, replies))) == -2:
            raise DuplicateUpdate(keys[0])

    async def handled(self, receipt: Receipt) -> bool:
        return bool(await self._client.exists(self._receipt_keys(receipt)[0]))

    async def unsent_replies(self, receipt: Receipt) -> str | None:
        value = await self._client.get(self._receipt_keys(receipt)[0])
        return None if value is None or _text(value) == SENT else _text(value)

    async def replies_sent(self, receipt: Receipt) -> None:
        await self._sent(keys=self._receipt_keys(receipt), args=[receipt.update_id])

    async def unsent(self, source: str, before: datetime, limit: int = 100) -> list[tuple[Receipt, str]]:
        unsent_key = self._unsent_key(source)
        ids: list[Any] = await self._client.zrangebyscore(
            unsent_key, "-inf", f"({_ms(before)}", start=0, num=limit
        )
        found: list[tuple[Receipt, str]] = []
        for raw in ids:
            receipt = Receipt(source, int(raw))
            replies = await self.unsent_replies(receipt)
            if replies is None:  # sent meanwhile, or expired with its receipt
                await self._client.zrem(unsent_key, raw)
            else:
                found.append((receipt, replies))
        return found

    def _receipt_keys(self, receipt: Receipt | None) -> list[str]:
        if receipt is None:
            return []
        return [
            f"{self._receipt_prefix}{receipt.source}:{receipt.update_id}",
            self._unsent_key(receipt.source),
        ]

    def _receipt_args(self, receipt: Receipt | None, replies: str | None) -> list[Any]:
        if receipt is None:
            return []
        now = _ms(self._clock.now())
        return [self._receipt_ttl_ms, replies or "", now, receipt.update_id]

    def _unsent_key(self, source: str) -> str:
        return f"{self._receipt_prefix}unsent:{source}"


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


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
