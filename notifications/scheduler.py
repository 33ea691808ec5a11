"""APScheduler 3 running the sweeps, with one leader among several processes.

Jobs are interval triggers referenced as "module:function" with the context's name as the only
argument; nothing about what is due lives in the scheduler (the sweeps read the database), so a restart
loses nothing and the in-memory job store is enough. Leadership is a named lease in the database: every
process renews or tries to take it, and only the holder's sweeps act. A leader that dies stops renewing
and another process takes over once the lease runs out.

Both the lease check and the sweeps run under one ``Supervisor``: a failing pass is logged and tried again
after a growing pause (sooner than its interval), and every completed pass beats its heartbeat
("scheduler" for the lease, "sweep <name>" for each sweep), which ``/healthz`` reads.
"""

from __future__ import annotations

import importlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]

from backend_client.ports import Leases
from notifications import sweeps
from notifications.supervisor import Retry, Supervisor
from notifications.sweeps import SweepContext, loop_name

log = logging.getLogger(__name__)
LEASE_NAME = "scheduler"
LOOP = "scheduler"  # the lease check's name in logs and /healthz


@dataclass(frozen=True, slots=True)
class Sweep:
    job: str  # "module:function"
    every: timedelta


SWEEPS = (
    Sweep("notifications.sweeps:start_campaigns", timedelta(seconds=15)),
    Sweep("notifications.sweeps:run_rules", timedelta(minutes=1)),
    Sweep("notifications.sweeps:prune_journal", timedelta(hours=1)),
    Sweep("notifications.sweeps:forget_outbox_texts", timedelta(hours=1)),
    Sweep("notifications.sweeps:pull_sources", timedelta(hours=1)),
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
        supervisor: Supervisor | None = None,
    ) -> None:
        self.name = f"ctx-{uuid.uuid4().hex[:8]}"
        self.holder = holder or f"scheduler-{uuid.uuid4().hex[:8]}"
        self._context = context
        self._leases = leases
        self._lease = lease
        self._sweeps = sweeps_
        self._scheduler: AsyncIOScheduler | None = None
        self._supervisor = supervisor or context.supervisor
        context.supervisor = self._supervisor
        context.retry = self._retry_soon

    @property
    def leading(self) -> bool:
        return self._context.leading

    async def keep_lead(self) -> bool:
        """Renew or take the lease; the sweeps act only while this returns True."""
        held = await self._supervisor.attempt(
            LOOP, lambda: self._leases.hold(LEASE_NAME, self.holder, self._lease)
        )
        leading = held if isinstance(held, bool) else False  # could not tell: another may lead now
        if isinstance(held, Retry):
            self._retry_soon("keep_lead", held.after)
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
        renew = self._lease.total_seconds() / 3
        heartbeats = self._supervisor.heartbeats
        heartbeats.watch(LOOP, period=renew)
        for sweep in self._sweeps:
            heartbeats.watch(loop_name(sweep.job), period=sweep.every.total_seconds())
        await self.keep_lead()
        scheduler = AsyncIOScheduler(timezone="UTC")
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

    def _retry_soon(self, job_id: str, seconds: float) -> None:
        """Run a job that just failed again in ``seconds``, unless its interval brings it sooner."""
        job = self._scheduler.get_job(job_id) if self._scheduler is not None else None
        if job is None or job.next_run_time is None:
            return
        at = datetime.now(UTC) + timedelta(seconds=seconds)
        if at < job.next_run_time:
            job.modify(next_run_time=at)

    async def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        heartbeats = self._supervisor.heartbeats
        heartbeats.forget(LOOP)
        for sweep in self._sweeps:
            heartbeats.forget(loop_name(sweep.job))
        sweeps.CONTEXTS.pop(self.name, None)
        if self._context.leading:
            self._context.leading = False
            await self._leases.let_go(LEASE_NAME, self.holder)


def _job(reference: str) -> Callable[[str], Awaitable[None]]:
    """The function a "module:function" reference names (what APScheduler resolves for its jobs)."""
    module, _, function = reference.partition(":")
    job: Callable[[str], Awaitable[None]] = getattr(importlib.import_module(module), function)
    return job
