"""The scheduler's jobs. Each is referenced as "notifications.sweeps:<name>" and takes only the name of a
registered ``SweepContext``, so a job definition holds no objects and the database stays the truth.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from backend_client.clock import Clock
from backend_client.ports import Broadcasts, Outbox, UpdateJournal
from notifications.rules import Rule, apply_rule

log = logging.getLogger(__name__)


@dataclass
class SweepContext:
    clock: Clock
    outbox: Outbox
    broadcasts: Broadcasts
    rules: tuple[Rule, ...] = ()
    journal: UpdateJournal | None = None
    leading: bool = False  # set by the scheduler's lease: sweeps run only in the leader
    runs: dict[str, int] = field(default_factory=dict)  # sweep name -> passes done (for status and tests)


CONTEXTS: dict[str, SweepContext] = {}


def _context(name: str) -> SweepContext | None:
    context = CONTEXTS.get(name)
    if context is None or not context.leading:
        return None
    return context


def _count(context: SweepContext, sweep: str) -> None:
    context.runs[sweep] = context.runs.get(sweep, 0) + 1


async def start_campaigns(name: str) -> None:
    """Fan out campaigns (and system messages' stages) whose time came."""
    context = _context(name)
    if context is None:
        return
    started = await context.broadcasts.start_due_campaigns()
    if started:
        log.info("campaigns started: %s", started)
    _count(context, "start_campaigns")


async def run_rules(name: str) -> None:
    context = _context(name)
    if context is None:
        return
    now = context.clock.now()
    for rule in context.rules:
        try:
            run = await apply_rule(rule, context.outbox, now)
        except Exception:
            log.exception("reminder rule %s failed", rule.prefix)
            continue
        if run.enqueued or run.withdrawn:
            log.info("rule %s: %d enqueued, %d withdrawn", rule.prefix, run.enqueued, run.withdrawn)
    _count(context, "run_rules")


async def prune_journal(name: str) -> None:
    """Forget inbound update ids older than Telegram keeps updates (a day), with a margin."""
    context = _context(name)
    if context is None or context.journal is None:
        return
    await context.journal.prune(context.clock.now() - timedelta(days=2))
    _count(context, "prune_journal")
