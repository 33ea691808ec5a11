"""Reminder rules: what is due is derived from the records on every sweep, never remembered as timers.

A rule returns the notices it wants now, all under its own key prefix. The runner enqueues them (a key
seen before is skipped, so a rule may run every minute) and withdraws pending notices under the prefix
that the rule no longer wants: a moved date gives a new key and the old one is withdrawn; a cancelled
record gives nothing and its reminder is withdrawn. Keys therefore carry the record's version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from backend_client.outreach import Notice
from backend_client.ports import Outbox


class Rule(Protocol):
    @property
    def prefix(self) -> str:
        """Every key of the rule starts with it, and no other rule's key does."""
        ...

    async def wanted(self, now: datetime) -> Sequence[Notice]: ...


@dataclass(frozen=True, slots=True)
class RuleRun:
    enqueued: int
    withdrawn: int


async def apply_rule(rule: Rule, outbox: Outbox, now: datetime) -> RuleRun:
    notices = await rule.wanted(now)
    if any(not notice.key.startswith(rule.prefix) for notice in notices):
        raise ValueError(f"a notice of rule {rule.prefix!r} is outside its prefix")
    enqueued = await outbox.enqueue(notices)
    stale = await outbox.pending_keys(rule.prefix) - {notice.key for notice in notices}
    withdrawn = await outbox.cancel(sorted(stale)) if stale else 0
    return RuleRun(enqueued, withdrawn)
