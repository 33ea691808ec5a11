"""The relay: claims due outbox rows, applies the person's choices, sends within the limits, records.

One pass (``run_once``) claims a batch under a lease and settles every row of it:

- expired → ``expired``; category switched off (and not critical) → ``cancelled``; chosen "once a day"
  → held until the evening digest hour (18:00 local), when the first of a chat's waiting messages
  carries the others with it as one message (the rest end as ``merged``);
- inside the person's quiet hours → held until they end (critical messages go now, without a sound);
- outside the contact time chosen in the profile («утро 9–12», «день 12–17», «вечер 17–21») → held until
  it opens, for what can wait: never critical or system messages (service notices keep their own
  timeline, e.g. three working days' notice of planned works), and never past the message's deadline:
  a row that expires is held only while the window opens two hours before that (``CONTACT_LEAD``), so
  the reminder two hours before an event, or the eve one of an early event, still goes in time;
- inside planned works (``maintenance`` windows) → anything but system messages waits for their end;
- a busy chat or an empty token bucket → a short wait, or the row goes back with the time it may go;
- sent → ``delivered``; blocked → ``blocked``, the account is marked and its other rows stop;
  429 → the whole lane pauses for ``retry_after`` and the row waits; 5xx / network → retried with
  exponential backoff up to ``max_attempts``; refused for good → ``failed`` with the API's reason.

Moments in the text («⟦at …⟧», ``notifications.moments``) are worded at sending time, so a reminder held
from the evening to the morning says «сегодня», not «завтра». So are vacancy alerts («⟦alert …⟧», the
``expand`` hook, ``notifications.alerts``): put together from what is still open just before the call,
and withdrawn when nothing is left.

Time comes from two clocks: ``clock`` (wall time for records and quiet hours) and ``monotonic`` (the
rate limiter's seconds); both are injectable, so tests and the broadcast benchmark run on virtual time.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import assert_never
from zoneinfo import ZoneInfo

from backend_client.clock import Clock
from backend_client.outreach import (
    ALWAYS_ON,
    DIGEST_REASON,
    Category,
    DeliveryMode,
    OutboxStatus,
    OutgoingMessage,
)
from backend_client.ports import Outbox
from dialogs.texts import t
from dialogs.ui import public_payload
from notifications.buttons import take
from notifications.moments import resolve
from notifications.quiet import contact_window_start, digest_time, quiet_until
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
from notifications.supervisor import Supervisor

log = logging.getLogger(__name__)
Window = tuple[datetime, datetime]  # planned works: (start, end)
# A row's text as it is to go now (marks filled in from the records); None: nothing left, withdraw it.
Expand = Callable[[OutgoingMessage], Awaitable[str | None]]
LOOP = "relay"  # the loop's name in logs and /healthz
DIGEST_LIMIT = 3500  # characters of one digest message; what does not fit goes in the next one
CONTACT_LEAD = timedelta(hours=2)  # a row held for the contact time must still go this long before expiry


@dataclass(frozen=True, slots=True)
class RelayPolicy:
    batch: int = 100
    lease: timedelta = timedelta(minutes=2)
    max_attempts: int = 6
    max_inline_wait: float = 2.0  # longer waits give the row back instead of holding up the lane
    backoff_first: float = 1.0
    backoff_cap: float = 60.0
    # Calls in flight at once: the messenger's latency (50-100 ms to Telegram) would otherwise cap one
    # relay below the allowed rate; the limiter still spaces them. Also the most a crash can repeat.
    concurrency: int = 8

    def backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.backoff_cap, self.backoff_first * 2 ** max(0, attempts - 1)))


def compose(message: OutgoingMessage, *, silent: bool, now: datetime, zone: ZoneInfo) -> Message:
    """The text, its moments worded for ``now``, with a line saying why it came, its own buttons
    (``notifications.buttons``) and a one-tap "stop this kind" (not for critical ones)."""
    why = t(f"notify.why.{message.category.value}")
    text, buttons = take(resolve(message.text, now, zone))  # a reminder's own buttons come first
    if not message.critical and message.category not in ALWAYS_ON:
        label = t("notify.stop_button")
        buttons += ((label, public_payload("stop", message.category.value)),)
    return Message(message.chat_id, f"{text}\n\n{why}", buttons, silent)


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
        chats: Collection[str] | None = None,
        expand: Expand | None = None,
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
        self._chats = chats  # only these chat ids (a terminal chat's own account); None: every chat
        self._expand = expand
        self._windows: Sequence[Window] = ()
        self._unrecorded: dict[int, str | None] = {}  # delivered, not yet recorded (row -> message id)

    async def run_once(self, stop: asyncio.Event | None = None) -> int:
        """Claim one batch and settle it; returns how many rows were claimed (0: nothing was due).

        Rows are decided in order (held, dropped, or given a rate-limit slot) and each sendable row goes
        out as soon as it has its slot, up to ``concurrency`` calls in flight. A row is marked
        ``sending`` right before its own call and ``delivered`` right after it, so a crash can repeat
        only the messages whose call was under way (or answered and not yet recorded) at that moment.

        If settling fails (the database or the rate limiter errs), ``stop`` is set, or the task is
        cancelled, the calls in flight end first (cancelled only on cancellation) and the rows not
        started go back to ``pending`` at once, in their place in the queue; the error is re-raised.
        """
        policy = self._policy
        await self._record_unrecorded()
        # Only rows this relay has a sender for: another process may serve the other messengers.
        batch = await self._outbox.claim(
            owner=self._owner,
            limit=policy.batch,
            lease=policy.lease,
            channels=self._senders.keys(),
            chats=self._chats,
        )
        if not batch:
            return 0
        try:
            if self._maintenance is not None:
                self._windows = await self._maintenance()
            finished = await self._settle(batch, stop)
        except BaseException:
            await self._release(batch)
            raise
        if not finished:
            await self._release(batch)
        return len(batch)

    async def _settle(self, batch: Sequence[OutgoingMessage], stop: asyncio.Event | None) -> bool:
        """Every row of the batch, in order; False when ``stop`` came first."""
        slots = asyncio.Semaphore(self._policy.concurrency)
        sending: set[asyncio.Task[None]] = set()
        try:
            for message in batch:
                if stop is not None and stop.is_set():
                    return False
                await slots.acquire()
                try:
                    prepared = await self._prepare(message)
                except BaseException:
                    slots.release()
                    raise
                if prepared is None:
                    slots.release()
                    continue
                task = asyncio.create_task(self._send(*prepared))
                task.add_done_callback(lambda _: slots.release())
                sending.add(task)
        except BaseException as error:
            if not isinstance(error, Exception):  # cancelled: the process stops now, calls included
                for task in sending:
                    task.cancel()
            await asyncio.gather(*sending, return_exceptions=True)
            raise
        outcomes = await asyncio.gather(*sending, return_exceptions=True)
        failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
        if failures:
            raise failures[0]
        return True

    async def _send(self, message: OutgoingMessage, sender: Sender, silent: bool) -> None:
        """One message: ``sending`` just before the call, its outcome recorded just after."""
        composed = compose(message, silent=silent, now=self._clock.now(), zone=self._zone)
        if not await self._outbox.start_sending(message.id, owner=self._owner):
            return  # withdrawn (a campaign cancelled) or taken over after our lease ran out
        try:
            outcome = await sender.send(composed)
        except Exception as error:
            log.error("sender failed on outbox row %s: %s", message.id, type(error).__name__)
            outcome = Transient(type(error).__name__)
        if isinstance(outcome, Delivered):
            # Kept until recorded: if the database fails now, the next pass records it rather than
            # letting the lease run out and the message go twice.
            self._unrecorded[message.id] = outcome.message_id
            await self._outbox.delivered(message.id, owner=self._owner, sent_message_id=outcome.message_id)
            del self._unrecorded[message.id]
        else:
            await self._record(message, outcome)

    async def _record_unrecorded(self) -> None:
        if self._unrecorded:
            await self._outbox.delivered_many(list(self._unrecorded.items()), owner=self._owner)
            self._unrecorded.clear()

    async def _release(self, batch: Sequence[OutgoingMessage]) -> None:
        """Rows of the batch still ``claimed`` (not started) go back to the queue at once."""
        try:
            released = await self._outbox.release([m.id for m in batch], owner=self._owner)
        except Exception:
            # The database is away too: the lease running out brings them back instead.
            log.warning("relay could not release its claimed rows", exc_info=True)
            return
        if released:
            log.info("relay released %d claimed rows", released)

    async def run(
        self, stop: asyncio.Event, *, idle: float = 1.0, supervisor: Supervisor | None = None
    ) -> None:
        """Pass after pass until ``stop`` is set, supervised: a failing pass is logged and retried after
        a growing pause, never ending the loop. Sleeps up to ``idle`` seconds when nothing is due."""

        async def step() -> float:
            return 0.0 if await self.run_once(stop) else idle

        await (supervisor or Supervisor()).loop(LOOP, step, stop, period=idle)

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
        digest = not message.critical and message.mode is DeliveryMode.DIGEST
        if digest:
            evening = digest_time(now, self._zone)
            if evening is not None:
                await self._outbox.postpone(message.id, owner=owner, until=evening, reason=DIGEST_REASON)
                return None
            message = await self._digest(message)
        night_ends = quiet_until(now, message.quiet, self._zone)
        if night_ends is not None and not message.critical:
            await self._outbox.postpone(message.id, owner=owner, until=night_ends, reason="quiet hours")
            return None
        window_opens = None if digest else self._contact_hold(message, now)
        if window_opens is not None:
            await self._outbox.postpone(message.id, owner=owner, until=window_opens, reason="contact time")
            return None
        works_end = self._works_end(message, now)
        if works_end is not None:
            await self._outbox.postpone(message.id, owner=owner, until=works_end, reason="maintenance")
            return None
        sender = self._senders.get(message.channel)
        if sender is None:
            await self._outbox.finish(message.id, OutboxStatus.FAILED, owner=owner, reason="no such channel")
            return None
        expanded = await self._expanded(message)
        if expanded is None or not await self._take_slot(expanded, now):
            return None
        return expanded, sender, night_ends is not None

    async def _expanded(self, message: OutgoingMessage) -> OutgoingMessage | None:
        """The row with its text as it goes now (``expand``); None when withdrawn for want of content."""
        if self._expand is None:
            return message
        text = await self._expand(message)
        if text is None:
            reason = "nothing left to send"
            await self._outbox.finish(message.id, OutboxStatus.CANCELLED, owner=self._owner, reason=reason)
            return None
        return replace(message, text=text)

    async def _digest(self, message: OutgoingMessage) -> OutgoingMessage:
        """In the digest hour, the first of a chat's waiting messages carries the others with it."""
        header = t("notify.digest_title", category=t(f"settings.category.{message.category.value}"))
        text = await self._outbox.absorb_digest(
            message.id, owner=self._owner, header=header, limit=DIGEST_LIMIT
        )
        return message if text is None else replace(message, text=text)

    def _contact_hold(self, message: OutgoingMessage, now: datetime) -> datetime | None:
        """When the person's chosen contact time opens, for a row that may wait for it (else None).

        Critical and system messages never wait; a row with a deadline waits only while the window
        opens at least ``CONTACT_LEAD`` before it, otherwise it goes now: in time beats at the chosen hour.
        """
        if message.critical or message.category is Category.SYSTEM:
            return None
        opens = contact_window_start(now, message.contact, self._zone)
        if opens is None:
            return None
        if message.expires_at is not None and opens > message.expires_at - CONTACT_LEAD:
            return None
        return opens

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
