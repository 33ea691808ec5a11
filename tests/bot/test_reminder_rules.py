"""The reminder rules table (bot/reminder_rules.py): every rule built from the settings, keys of its own."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.reminder_rules import RULES, build_rules
from bot.settings import load_settings
from notifications.rules.event_reminders import EventRemindersRule
from notifications.rules.unfinished_start import UnfinishedStartRule

pytestmark = pytest.mark.usefixtures("clean_settings")


async def test_every_rule_is_built_from_the_store_and_the_settings(database, monkeypatch):
    monkeypatch.setenv("FRONTDOOR_TIMEZONE", "Europe/Moscow")
    monkeypatch.setenv("FRONTDOOR_NUDGE_AFTER_HOURS", "6")
    rules = build_rules(database, load_settings())
    assert len(rules) == len(RULES)
    by_prefix = {rule.prefix: rule for rule in rules}
    nudge, events = by_prefix["nudge:"], by_prefix["event:"]
    assert isinstance(nudge, UnfinishedStartRule)
    assert nudge.sources is database.reminder_sources
    assert nudge.delay == timedelta(hours=6)
    assert isinstance(events, EventRemindersRule)
    assert events.sources is database.events
    assert events.zone == ZoneInfo("Europe/Moscow")


async def test_a_rule_reaching_into_another_rules_keys_is_refused(database):
    """A rule withdraws the pending notices under its prefix it no longer wants: overlapping prefixes
    would let one rule withdraw another's reminders."""
    overlapping = (*RULES, lambda db, _: UnfinishedStartRule(db.reminder_sources, prefix="nudge:later:"))
    with pytest.raises(ValueError, match="'nudge:' covers 'nudge:later:'"):
        build_rules(database, load_settings(), overlapping)
