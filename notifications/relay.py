"""The relay: claims due outbox rows, applies the person's choices, sends within the limits, records.

One pass (``run_once``) claims a batch under a lease and settles every row of it:

- expired → ``expired``; category switched off (and not critical) → ``cancelled``; chosen "once a day"
  → held until the evening digest hour (18:00 local), when the first of a chat's waiting messages
  carries the others with it as one message (the rest end as ``merged``);
- inside the person's quiet hours → held until they end (critical messages go now, without a sound);
- inside planned works (``maintenance`` windows) → anything but system messages waits for their end;
- a busy chat or an empty token bucket → a short wait, or the row goes back with the time it may go;
- sent → ``delivered``; blocked → ``blocked``, the account is marked and its other rows stop;
  429 → the whole lane pauses for ``retry_after`` and the row waits; 5xx / network → retried with
  exponential backoff up to ``max_attempts``; refused for good → ``failed`` with the API's reason.

Time comes from two clocks: ``clock`` (wall time for records and quiet hours) and ``monotonic`` (the
rate limiter's seconds); both are injectable, so tests and the broadcast benchmark run on virtual time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import assert_never
from zoneinfo import ZoneInfo

from backend_client.clock import Clock
from backend_client.outreach import DIGEST_REASON, Category, DeliveryMode, OutboxStatus, OutgoingMessage
from backend_client.ports import Outbox
from dialogs.texts import t
from dialogs.ui import public_payload
from notifications.quiet import digest_time, quiet_until
from notifications.ratelimit import RateLimiter
from notifications.sender import (
    Blocked,
    Delivered,
    Message,
    Outcome,
    Rejected,
    Sender,
    Throttled,
    Transient,
)

log = logging.getLogger(__name__)
Window = tuple[datetime, datetime]  # planned works: (start, end)
DIGEST_LIMIT = 3500  # characters of one digest message; what does not fit goes in the next one


@dataclass(frozen=True, slots=True)
class RelayPolicy:
    batch: int = 100
    lease: timedelta = timedelta(minutes=2)
    max_attempts: int = 6
    max_inline_wait: float = 2.0  # longer waits give the row back instead of holding up the lane
    backoff_first: float = 1.0
    backoff_cap: float = 60.0
    # Messages of a batch in flight at once: the messenger's latency (50-100 ms to Telegram) would
    # otherwise cap one relay below the allowed rate; the limiter still spaces them.
    concurrency: int = 8

    def backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.backoff_cap, self.backoff_first * 2 ** max(0, attempts - 1)))


def compose(message: OutgoingMessage, *, silent: bool) -> Message:
    """The text with a line saying why it came, and a one-tap "stop this kind" (not for critical ones)."""
    why = t(f"notify.why.{message.category.value}")
    buttons: tuple[tuple[str, str], ...] = ()
    if not message.critical:
        label = t("notify.stop_button")
        buttons = ((label, public_payload("stop", message.category.value)),)
    return Message(message.chat_id, f"{message.text}\n\n{why}", buttons, silent)


class Relay:
    def __init__(
        self,
        outbox: Outbox,
        senders: Mapping[str, Sender],
        limiter: RateLimiter,
        clock: Clock,
        *,
        owner: str,
        timezone: ZoneInfo,
        policy: RelayPolicy | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        maintenance: Callable[[], Awaitable[Sequence[Window]]] | None = None,
    ) -> None:
        self._outbox = outbox
        self._senders = dict(senders)
        self._limiter = limiter
        self._clock = clock
        self._owner = owner
        self._zone = timezone
        self._policy = policy or RelayPolicy()
        self._monotonic = monotonic
        self._sleep = sleep
        self._maintenance = maintenance
        self._windows: Sequence[Window] = ()

    async def run_once(self) -> int:
        """Claim one batch and settle it; returns how many rows were claimed (0: nothing was due).

        The batch goes in waves of ``concurrency`` rows: each row is decided (held, dropped, or given a
        rate-limit slot), the wave's sendable rows are marked ``sending`` in one statement, sent at once,
        and the deliveries recorded in one statement. A crash can thus leave at most one wave in
        ``sending`` (re-sent, as documented), and the store sees two writes per wave, not per message.
        """
        policy = self._policy
        # Only rows this relay has a sender for: another process may serve the other messengers.
        batch = await self._outbox.claim(
            owner=self._owner, limit=policy.batch, lease=policy.lease, channels=self._senders.keys()
        )
        if batch and self._maintenance is not None:
            self._windows = await self._maintenance()
        for first in range(0, len(batch), policy.concurrency):
            await self._wave(batch[first : first + policy.concurrency])
        return len(batch)

    async def _wave(self, wave: Sequence[OutgoingMessage]) -> None:
        ready: list[tuple[OutgoingMessage, Sender, bool]] = []
        for message in wave:
            try:
                prepared = await self._prepare(message)
            except Exception:
                # The row keeps its lease and comes back when it expires; the rest of the batch goes on.
                log.exception("relay could not settle outbox row %s", message.id)
                continue
            if prepared is not None:
                ready.append(prepared)
        if not ready:
            return
        started = await self._outbox.start_sending_many([m.id for m, _, _ in ready], owner=self._owner)
        sending = [(m, sender, silent) for m, sender, silent in ready if m.id in started]
        # withdrawn rows (a campaign cancelled) or rows taken over after our lease ran out are skipped
        outcomes = await asyncio.gather(
            *(sender.send(compose(m, silent=silent)) for m, sender, silent in sending), return_exceptions=True
        )
        delivered: list[tuple[int, str | None]] = []
        for (message, _, _), outcome in zip(sending, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                log.error("sender failed on outbox row %s: %s", message.id, type(outcome).__name__)
                outcome = Transient(type(outcome).__name__)
            if isinstance(outcome, Delivered):
                delivered.append((message.id, outcome.message_id))
            else:
                await self._record(message, outcome)
        if delivered:
            await self._outbox.delivered_many(delivered, owner=self._owner)

    async def run(self, stop: asyncio.Event, *, idle: float = 1.0) -> None:
        """Pass after pass until ``stop`` is set; sleeps up to ``idle`` seconds when nothing is due."""
        while not stop.is_set():
            if await self.run_once() == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), idle)

    async def _prepare(self, message: OutgoingMessage) -> tuple[OutgoingMessage, Sender, bool] | None:
        """Settle what can be settled without sending; for a row to send now: (row, sender, silent)."""
        now = self._clock.now()
        owner = self._owner
        if message.expires_at is not None and now >= message.expires_at:
            await self._outbox.finish(message.id, OutboxStatus.EXPIRED, owner=owner)
            return None
        if not message.critical and message.mode is DeliveryMode.OFF:
            reason = "preference off"
            await self._outbox.finish(message.id, OutboxStatus.CANCELLED, owner=owner, reason=reason)
            return None
        if not message.critical and message.mode is DeliveryMode.DIGEST:
            evening = digest_time(now, self._zone)
            if evening is not None:
                await self._outbox.postpone(message.id, owner=owner, until=evening, reason=DIGEST_REASON)
                return None
            message = await self._digest(message)
        night_ends = quiet_until(now, message.quiet, self._zone)
        if night_ends is not None and not message.critical:
            await self._outbox.postpone(message.id, owner=owner, until=night_ends, reason="quiet hours")
            return None
        works_end = self._works_end(message, now)
        if works_end is not None:
            await self._outbox.postpone(message.id, owner=owner, until=works_end, reason="maintenance")
            return None
        sender = self._senders.get(message.channel)
        if sender is None:
            await self._outbox.finish(message.id, OutboxStatus.FAILED, owner=owner, reason="no such channel")
            return None
        if not await self._take_slot(message, now):
            return None
        return message, sender, night_ends is not None

    async def _digest(self, message: OutgoingMessage) -> OutgoingMessage:
        """In the digest hour, the first of a chat's waiting messages carries the others with it."""
        header = t("notify.digest_title", category=t(f"settings.category.{message.category.value}"))
        text = await self._outbox.absorb_digest(
            message.id, owner=self._owner, header=header, limit=DIGEST_LIMIT
        )
        return message if text is None else replace(message, text=text)

    def _works_end(self, message: OutgoingMessage, now: datetime) -> datetime | None:
        """The end of planned works going on now: other messages wait for it (system ones tell of it)."""
        if message.critical or message.category is Category.SYSTEM:
            return None
        return max((end for start, end in self._windows if start <= now < end), default=None)

    async def _take_slot(self, message: OutgoingMessage, now: datetime) -> bool:
        """Wait for the rate limiter, or give the row back when the wait is long (a busy chat)."""
        while True:
            wait = await self._limiter.reserve(message.chat_id, self._monotonic())
            if wait <= 0:
                return True
            if wait > self._policy.max_inline_wait:
                until = now + timedelta(seconds=wait)
                await self._outbox.postpone(message.id, owner=self._owner, until=until, reason="rate limit")
                return False
            await self._sleep(wait)

    async def _record(self, message: OutgoingMessage, outcome: Outcome) -> None:
        owner, now = self._owner, self._clock.now()
        match outcome:
            case Delivered(message_id=sent_id):
                await self._outbox.delivered(message.id, owner=owner, sent_message_id=sent_id)
            case Blocked(reason=reason):
                await self._outbox.finish(message.id, OutboxStatus.BLOCKED, owner=owner, reason=reason)
                await self._outbox.stop_account(message.channel, message.chat_id, reason=reason)
            case Throttled(retry_after=seconds):
                await self._limiter.pause(self._monotonic() + seconds)
                until = now + timedelta(seconds=seconds)
                await self._outbox.postpone(message.id, owner=owner, until=until, reason="429")
            case Transient(reason=reason) if message.attempts + 1 < self._policy.max_attempts:
                until = now + self._policy.backoff(message.attempts + 1)
                await self._outbox.postpone(message.id, owner=owner, until=until, reason=reason)
            case Transient(reason=reason) | Rejected(reason=reason):
                await self._outbox.finish(message.id, OutboxStatus.FAILED, owner=owner, reason=reason)
            case _:
                assert_never(outcome)
