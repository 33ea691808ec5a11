"""Replies still owed: turns whose replies never reached the messenger are sent again by a sweep.

The engine keeps a turn's replies with its receipt until the transport reports them sent. A redelivery
brings most of them back (a webhook that answered 500, a poller killed before confirming its offset), but
long polling confirms an update even when sending its reply failed, and a webhook retry may never come: for
those a supervised loop per messenger sends them again. A turn younger than ``RESEND_AFTER`` may still be
on its way; one older than ``GIVE_UP_AFTER`` is dropped with a warning, since an answer that late would
only confuse.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import timedelta

from backend_client.ports import Receipt
from dialogs.engine import Engine
from dialogs.pending import Unsent
from notifications.supervisor import Supervisor

log = logging.getLogger(__name__)

RESEND_AFTER = timedelta(seconds=30)
GIVE_UP_AFTER = timedelta(hours=1)
PERIOD = 10.0  # seconds between two sweeps
BATCH = 50

# True: the messenger took the replies (or never will: the person blocked the bot).
Resend = Callable[[Receipt, Unsent], Awaitable[bool]]


async def resend_once(engine: Engine, source: str, resend: Resend) -> int:
    """One sweep over ``source``'s owed replies; the number of turns sent."""
    for receipt, _ in await engine.unsent(source, GIVE_UP_AFTER, BATCH):
        log.warning("replies of update %s:%s dropped: unsent for too long", receipt.source, receipt.update_id)
        await engine.replies_sent(receipt)
    sent = 0
    for receipt, unsent in await engine.unsent(source, RESEND_AFTER, BATCH):
        if await resend(receipt, unsent):
            await engine.replies_sent(receipt)
            sent += 1
    if sent:
        log.info("resent the replies of %d updates source=%s", sent, source)
    return sent


@asynccontextmanager
async def resending(
    engine: Engine, resenders: Mapping[str, Resend], supervisor: Supervisor
) -> AsyncIterator[None]:
    """Sweep each source's owed replies every ``PERIOD`` seconds for the life of the block."""
    stop = asyncio.Event()

    def sweep(source: str, resend: Resend) -> Callable[[], Awaitable[float]]:
        async def step() -> float:
            await resend_once(engine, source, resend)
            return PERIOD

        return step

    tasks = [
        asyncio.create_task(supervisor.loop(f"resend {source}", sweep(source, resend), stop, period=PERIOD))
        for source, resend in resenders.items()
    ]
    try:
        yield
    finally:
        stop.set()
        await asyncio.gather(*tasks)
