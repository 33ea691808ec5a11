"""Moments worded when a message is sent, not when it is written: «сегодня в 16:00», «завтра в 10:00».

A reminder is written by a rule long before it goes out, and the relay may hold it further (quiet hours,
the person's contact time, planned works), so a «завтра» fixed at writing time can be read on the day
itself. Producers put a mark for the moment into the text (``mark``); the relay replaces every mark with
words for the local day it actually sends on (``resolve``). A mark holds only an instant, nothing
personal, and reads as a plain date if a text ever reaches a person unresolved.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dialogs.texts import t

_MARK = re.compile(r"⟦(at|At) ([0-9T:+\-.]+)⟧")


def mark(moment: datetime, *, capital: bool = False) -> str:
    """A moment to be worded at sending time; ``capital`` for the start of a sentence."""
    if moment.tzinfo is None:
        raise ValueError("a moment needs a time zone")
    return f"⟦{'At' if capital else 'at'} {moment.isoformat(timespec='minutes')}⟧"


def words(moment: datetime, now: datetime, zone: ZoneInfo, *, capital: bool = False) -> str:
    """«сегодня в 16:00», «завтра в 10:00», otherwise «3 декабря в 10:00», by local days."""
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        text = t("moments.today", time=clock)
    elif local.date() == today + timedelta(days=1):
        text = t("moments.tomorrow", time=clock)
    else:
        text = t("moments.date", day=local.day, month=t(f"events.month.{local.month}"), time=clock)
    return text[:1].upper() + text[1:] if capital else text


def resolve(text: str, now: datetime, zone: ZoneInfo) -> str:
    """Every mark in ``text`` worded for ``now``; a text without marks comes back unchanged."""
    if "⟦" not in text:
        return text

    def worded(found: re.Match[str]) -> str:
        try:
            moment = datetime.fromisoformat(found.group(2))
        except ValueError:
            return found.group(0)
        return words(moment, now, zone, capital=found.group(1) == "At")

    return _MARK.sub(worded, text)
