"""The scheduler's jobs. Each is referenced as "notifications.sweeps:<name>" and takes only the name of a
registered ``SweepContext``, so a job definition holds no objects and the database stays the truth.

Every pass runs under the context's supervisor: an error is logged with its traceback, the sweep is asked
to run again after a growing pause (``retry``, set by the scheduler) and never stops being scheduled; a
completed pass beats the sweep's heartbeat. A process that stands by completes its passes too (there is
nothing for it to do), so its heartbeats say the scheduler is alive there as well.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from backend_client.clock import Clock
from backend_client.ports import Broadcasts, Outbox, UpdateJournal
from notifications.rules import Rule, apply_rule
from notifications.supervisor import Retry, Supervisor

log = logging.getLogger(__name__)
# How long the outbox keeps a message's words after it ended (sent, withdrawn, failed): long enough to
# answer "what did you send me?" and to read a campaign's failures, short enough that people's names in
# reminders do not pile up. Who was sent which kind of message, and how it went, stays.
OUTBOX_TEXT_RETENTION = timedelta(days=30)


@dataclass
class SweepContext:
    clock: Clock
    outbox: Outbox
    broadcasts: Broadcasts
    rules: tuple[Rule, ...] = ()
    journal: UpdateJournal | None = None
    # Outside sources pulled every hour (e.g. «Работа России»); each decides by the time what to ask for.
    pulls: tuple[Callable[[datetime], Awaitable[None]], ...] = ()
    leading: bool = False  # set by the scheduler's lease: sweeps run only in the leader
    runs: dict[str, int] = field(default_factory=dict)  # sweep name -> passes done (for status and tests)
    supervisor: Supervisor = field(default_factory=Supervisor)
    retry: Callable[[str, float], None] | None = None  # (job, seconds): run that job again sooner


CONTEXTS: dict[str, SweepContext] = {}


def loop_name(job: str) -> str:
    """A sweep's name in logs and ``/healthz``: "notifications.sweeps:run_rules" -> "sweep run_rules"."""
    return "sweep " + job.rpartition(":")[2]


async def sweep_pass(name: str, job: str, body: Callable[[SweepContext], Awaitable[None]]) -> None:
    """One supervised pass of the sweep ``job`` ("module:function") on the context called ``name``."""
    context = CONTEXTS.get(name)
    if context is None:
        return

    async def one_pass() -> None:
        if context.leading:  # set by the scheduler's lease: sweeps act only in the leader
            await body(context)
            sweep = job.rpartition(":")[2]
            context.runs[sweep] = context.runs.get(sweep, 0) + 1

    outcome = await context.supervisor.attempt(loop_name(job), one_pass)
    if isinstance(outcome, Retry) and context.retry is not None:
        context.retry(job, outcome.after)


async def start_campaigns(name: str) -> None:
    """Fan out campaigns (and system messages' stages) whose time came."""
    await sweep_pass(name, f"{__name__}:start_campaigns", _start_campaigns)


async def run_rules(name: str) -> None:
    await sweep_pass(name, f"{__name__}:run_rules", _run_rules)


async def prune_journal(name: str) -> None:
    """Forget inbound update ids older than Telegram keeps updates (a day), with a margin."""
    await sweep_pass(name, f"{__name__}:prune_journal", _prune_journal)


async def forget_outbox_texts(name: str) -> None:
    """Blank the text of outbox rows that ended over ``OUTBOX_TEXT_RETENTION`` ago."""
    await sweep_pass(name, f"{__name__}:forget_outbox_texts", _forget_outbox_texts)


async def pull_sources(name: str) -> None:
    """Pull the outside sources (vacancies); a failing one is retried sooner, the others still run."""
    await sweep_pass(name, f"{__name__}:pull_sources", _pull_sources)


async def _start_campaigns(context: SweepContext) -> None:
    started = await context.broadcasts.start_due_campaigns()
    if started:
        log.info("campaigns started: %s", started)


async def _run_rules(context: SweepContext) -> None:
    now = context.clock.now()
    for rule in context.rules:
        try:
            run = await apply_rule(rule, context.outbox, now)
        except Exception:
            # one broken rule must not hold back the others; the sweep itself goes on
            log.exception("reminder rule %s failed", rule.prefix)
            continue
        if run.enqueued or run.withdrawn:
            log.info("rule %s: %d enqueued, %d withdrawn", rule.prefix, run.enqueued, run.withdrawn)


async def _pull_sources(context: SweepContext) -> None:
    failed: Exception | None = None
    for pull in context.pulls:
        try:
            await pull(context.clock.now())
        except Exception as error:  # the next source still runs; the pass then fails (and is retried)
            failed = error
    if failed is not None:
        raise failed


async def _prune_journal(context: SweepContext) -> None:
    if context.journal is not None:
        await context.journal.prune(context.clock.now() - timedelta(days=2))


async def _forget_outbox_texts(context: SweepContext) -> None:
    before = context.clock.now() - OUTBOX_TEXT_RETENTION
    while (blanked := await context.outbox.forget_texts(before)) > 0:
        log.info("outbox texts past retention blanked: %d", blanked)
