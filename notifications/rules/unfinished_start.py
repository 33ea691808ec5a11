"""One nudge to people who began onboarding or their profile and stopped half-way.

Sent once per person (the key has no version: whatever they stop at next, we do not ask again), after
``delay``, and only to people who began within ``horizon``: someone who left a month ago is not chased.
A nudge held for the night is withdrawn if the person finishes before the morning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from backend_client.outreach import Category, Notice, Priority
from backend_client.ports import ReminderSources
from dialogs.texts import t


@dataclass(frozen=True, slots=True)
class UnfinishedStartRule:
    sources: ReminderSources
    delay: timedelta = timedelta(hours=24)
    horizon: timedelta = timedelta(days=14)
    prefix: str = "nudge:"

    async def wanted(self, now: datetime) -> list[Notice]:
        started = await self.sources.unfinished_starts(now - self.horizon, now - self.delay)
        return [
            Notice(
                key=f"{self.prefix}{person_id}",
                person_id=person_id,
                category=Category.REMINDERS,
                text=t(f"notify.nudge.{stage}"),
                not_before=now,
                priority=Priority.NORMAL,
                expires_at=now + timedelta(days=3),  # a nudge that could not go for days is no longer timely
            )
            for person_id, stage in started
        ]
