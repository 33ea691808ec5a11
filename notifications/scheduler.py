"""APScheduler 3 running the sweeps, with one leader among several processes.

Jobs are interval triggers referenced as "module:function" with the context's name as the only
argument; nothing about what is due lives in the scheduler (the sweeps read the database), so a restart
loses nothing and the in-memory job store is enough. Leadership is a named lease in the database: every
process renews or tries to take it, and only the holder's sweeps act. A leader that dies stops renewing
and another process takes over once the lease runs out.
"""

from __future__ import annotations

import importlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]

from backend_client.ports import Leases
from notifications import sweeps
from notifications.sweeps import SweepContext

log = logging.getLogger(__name__)
LEASE_NAME = "scheduler"


@dataclass(frozen=True, slots=True)
class Sweep:
    job: str  # "module:function"
    every: timedelta


SWEEPS = (
    Sweep("notifications.sweeps:start_campaigns", timedelta(seconds=15)),
    Sweep("notifications.sweeps:run_rules", timedelta(minutes=1)),
    Sweep("notifications.sweeps:prune_journal", timedelta(hours=1)),
)


class Scheduler:
    def __init__(
        self,
        context: SweepContext,
        leases: Leases,
        *,
        holder: str | None = None,
        lease: timedelta = timedelta(seconds=30),
        sweeps_: tuple[Sweep, ...] = SWEEPS,
    ) -> None:
        self.name = f"ctx-{uuid.uuid4().hex[:8]}"
        self.holder = holder or f"scheduler-{uuid.uuid4().hex[:8]}"
        self._context = context
        self._leases = leases
        self._lease = lease
        self._sweeps = sweeps_
        self._scheduler: AsyncIOScheduler | None = None

    @property
    def leading(self) -> bool:
        return self._context.leading

    async def keep_lead(self) -> bool:
        """Renew or take the lease; the sweeps act only while this returns True."""
        try:
            leading = await self._leases.hold(LEASE_NAME, self.holder, self._lease)
        except Exception:
            log.exception("scheduler lease check failed")
            leading = False
        if leading != self._context.leading:
            log.info("scheduler %s %s", self.holder, "leads" if leading else "stands by")
        self._context.leading = leading
        return leading

    async def run_pending(self) -> None:
        """Every sweep once, now (the leader only): for tests, benchmarks and `frontdoor sweep`."""
        sweeps.CONTEXTS[self.name] = self._context
        if await self.keep_lead():
            for sweep in self._sweeps:
                await _job(sweep.job)(self.name)

    async def start(self) -> None:
        sweeps.CONTEXTS[self.name] = self._context
        await self.keep_lead()
        scheduler = AsyncIOScheduler(timezone="UTC")
        renew = self._lease.total_seconds() / 3
        scheduler.add_job(self.keep_lead, "interval", seconds=renew, id="keep_lead", max_instances=1)
        for sweep in self._sweeps:
            scheduler.add_job(
                sweep.job,
                "interval",
                seconds=sweep.every.total_seconds(),
                args=[self.name],
                id=sweep.job,
                max_instances=1,  # a slow sweep is not started again while it runs
                coalesce=True,  # after a pause, one catch-up run rather than a burst
            )
        scheduler.start()
        self._scheduler = scheduler

    async def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        sweeps.CONTEXTS.pop(self.name, None)
        if self._context.leading:
            self._context.leading = False
            await self._leases.let_go(LEASE_NAME, self.holder)


def _job(reference: str) -> Callable[[str], Awaitable[None]]:
    """The function a "module:function" reference names (what APScheduler resolves for its jobs)."""
    module, _, function = reference.partition(":")
    job: Callable[[str], Awaitable[None]] = getattr(importlib.import_module(module), function)
    return job
