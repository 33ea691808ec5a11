"""Outcome check-ins at 3, 6 and 12 months after graduation: «Работаете? Учитесь? Служите? Ищете?».

Derived on every sweep from the graduation dates and the answers (``CheckInSources``): the check-in whose
moment (noon local on the day 3, 6 or 12 months after graduation) has come and that is not answered is
wanted for two weeks (``CHECK_IN_WINDOW``), with one public button per answer. An answer withdraws a
pending question; an answer that says the person is settled (working, studying, serving) stops the later
check-ins altogether. Keys carry the graduation date, so a corrected date moves the questions. Quiet
hours by age and the person's choices for reminders are the relay's job.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from backend_client.outreach import Category, Notice, Priority
from backend_client.plans import CHECK_IN_MONTHS, CHECK_IN_WINDOW, CheckInTarget, OutcomeStatus, months_after
from backend_client.ports import CheckInSources
from dialogs.views.plan import CHECK_IN, answer_label, check_in_question
from notifications.buttons import mark

ASK_AT = time(12, 0)
SLACK = timedelta(days=4)  # around the graduation days a sweep reads


@dataclass(frozen=True, slots=True)
class CheckInsRule:
    sources: CheckInSources
    zone: ZoneInfo
    prefix: str = "checkin:"

    async def wanted(self, now: datetime) -> list[Notice]:
        targets = await self.sources.check_in_targets(self._windows(now))
        return [notice for target in targets for notice in self._notices(target, now)]

    def _windows(self, now: datetime) -> list[tuple[date, date]]:
        """Graduation days whose check-in may be open now, with room for the months' ends (a graduation
        on 30 November is asked on 28 February, as is one on the 28th); ``_notices`` decides exactly."""
        today = now.astimezone(self.zone).date()
        opened_since = today - CHECK_IN_WINDOW - SLACK
        return [
            (months_after(opened_since, -months), months_after(today, -months) + SLACK)
            for months in CHECK_IN_MONTHS
        ]

    def _notices(self, target: CheckInTarget, now: datetime) -> Iterator[Notice]:
        if target.settled:
            return
        for months in CHECK_IN_MONTHS:
            if months in target.answered:
                continue
            due = datetime.combine(months_after(target.graduated_on, months), ASK_AT, tzinfo=self.zone)
            if due <= now < due + CHECK_IN_WINDOW:
                yield self._notice(target, months, due)

    def _notice(self, target: CheckInTarget, months: int, due: datetime) -> Notice:
        buttons = [
            mark(answer_label(status), CHECK_IN, f"{months}:{status.value}") for status in OutcomeStatus
        ]
        return Notice(
            key=f"{self.prefix}{target.person_id}:{months}:{target.graduated_on:%Y%m%d}",
            person_id=target.person_id,
            category=Category.REMINDERS,
            text="\n".join((check_in_question(months).rstrip(), *buttons)),
            not_before=due,
            priority=Priority.NORMAL,
            expires_at=due + CHECK_IN_WINDOW,
        )
