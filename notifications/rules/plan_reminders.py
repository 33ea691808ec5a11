"""Deadline reminders of the steps in «Мой план», derived from the steps on every sweep.

For each open step: one at 18:00 local the day before the deadline and one at 09:00 on the day (each
only when the step was recorded before its moment), and, if it is still open, one overdue nudge at 10:00
the day after. Keys carry the step's version: a moved deadline withdraws the pending reminders and makes
new ones; a step marked done is wanted no more, so its pending reminders are withdrawn. The overdue nudge
is keyed by the version alone, so it comes once. Every reminder carries a public «Сделано» button
(``notifications.buttons``) that the plan conversation takes for the presser's own step only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from backend_client.outreach import Category, Notice, Priority
from backend_client.plans import PlanStep
from backend_client.ports import PlanReminderSources
from dialogs.texts import t
from dialogs.views.plan import DONE, day_text, place_text
from notifications.buttons import mark

EVE_AT = time(18, 0)  # the day before the deadline
DAY_AT = time(9, 0)  # the morning of the deadline
OVERDUE_AT = time(10, 0)  # the day after it
OVERDUE_WINDOW = timedelta(days=1)  # an overdue nudge not sent within a day is not sent


@dataclass(frozen=True, slots=True)
class PlanRemindersRule:
    sources: PlanReminderSources
    zone: ZoneInfo
    prefix: str = "plan:"

    async def wanted(self, now: datetime) -> list[Notice]:
        today = now.astimezone(self.zone).date()
        steps = await self.sources.open_steps_due(today - timedelta(days=2), today + timedelta(days=1))
        return [notice for step in steps for notice in self._notices(step, now)]

    def _at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.zone)

    def _notices(self, step: PlanStep, now: datetime) -> Iterator[Notice]:
        eve = self._at(step.due_on - timedelta(days=1), EVE_AT)
        morning = self._at(step.due_on, DAY_AT)
        day_ends = self._at(step.due_on + timedelta(days=1), time(0, 0))
        overdue = self._at(step.due_on + timedelta(days=1), OVERDUE_AT)
        if step.created_at < eve and now < morning:
            yield self._notice(step, "eve", eve, morning)
        if step.created_at < morning and now < day_ends:
            yield self._notice(step, "day", morning, day_ends)
        if now < overdue + OVERDUE_WINDOW:
            yield self._notice(step, "overdue", overdue, overdue + OVERDUE_WINDOW)

    def _notice(self, step: PlanStep, kind: str, at: datetime, until: datetime) -> Notice:
        text = t(
            f"plan.remind.{kind}", text=step.text, day=day_text(step.due_on), place=place_text(step)
        ).rstrip()
        return Notice(
            key=f"{self.prefix}{step.id}:v{step.version}:{kind}",
            person_id=step.person_id,
            category=Category.REMINDERS,
            text=f"{text}\n{mark(t('plan.btn.done_one'), DONE, str(step.id))}",
            not_before=at,
            priority=Priority.HIGH,
            expires_at=until,
        )
