"""The reminder rules the scheduler runs: one table, one line per rule.

A rule is its own module under ``notifications/rules/``: ``wanted(now)`` over the narrow port it reads,
under a key prefix of its own (``notifications.rules.Rule``). It joins the product with one line in
``RULES``: a factory that picks its port from the open store and its figures from the settings, so the
rule itself imports neither ``bot`` nor the SQL store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from backend_client.sql import Database
from bot.settings import Settings
from notifications.rules import Rule
from notifications.rules.application_follow_up import ApplicationFollowUpRule
from notifications.rules.centre_reminders import CentreRemindersRule
from notifications.rules.check_ins import CheckInsRule
from notifications.rules.event_reminders import EventRemindersRule
from notifications.rules.plan_reminders import PlanRemindersRule
from notifications.rules.unfinished_start import UnfinishedStartRule

RuleFactory = Callable[[Database, Settings], Rule]

RULES: tuple[RuleFactory, ...] = (
    lambda database, settings: UnfinishedStartRule(
        database.reminder_sources, delay=timedelta(hours=settings.region.nudge_after_hours)
    ),
    lambda database, settings: EventRemindersRule(database.events, ZoneInfo(settings.region.timezone)),
    lambda database, settings: ApplicationFollowUpRule(database.vacancies),
    lambda database, settings: CentreRemindersRule(database.graduates, ZoneInfo(settings.region.timezone)),
    lambda database, settings: PlanRemindersRule(database.plans, ZoneInfo(settings.region.timezone)),
    lambda database, settings: CheckInsRule(database.plans, ZoneInfo(settings.region.timezone)),
)


def build_rules(
    database: Database, settings: Settings, factories: Iterable[RuleFactory] = RULES
) -> tuple[Rule, ...]:
    """Every rule of ``factories``, checked to own its keys: a rule withdraws the pending notices under
    its prefix that it no longer wants, so a prefix inside another rule's would withdraw that rule's."""
    rules = tuple(factory(database, settings) for factory in factories)
    prefixes = sorted(rule.prefix for rule in rules)
    for shorter, longer in pairwise(prefixes):
        if longer.startswith(shorter):
            raise ValueError(f"reminder rules share keys: prefix {shorter!r} covers {longer!r}")
    return rules
