"""«Работодатель ответил?» a week after an application, with «Да» / «Нет» buttons under it.

Derived from the applications on every sweep (``ApplicationFollowUps.due_follow_ups``): an application
still unanswered seven days after it was sent wants one question, keyed by the application alone, so it is
asked once however often the rule runs. Answered (by the buttons or in «Мои отклики»), erased with the
person's data, or a week past its moment, it is wanted no more and a question still pending is withdrawn.

The buttons are public (``notifications.buttons``): the work conversation takes them and records the
answer for the presser's own application only. Quiet hours and the person's choices for reminders are
the relay's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backend_client.outreach import Category, Notice, Priority
from backend_client.ports import ApplicationFollowUps
from backend_client.vacancies.models import FOLLOW_UP_WINDOW, FollowUpTarget
from dialogs.texts import t
from dialogs.views.jobs import FOLLOW_UP, follow_up_text
from notifications.buttons import mark


@dataclass(frozen=True, slots=True)
class ApplicationFollowUpRule:
    sources: ApplicationFollowUps
    prefix: str = "followup:"

    async def wanted(self, now: datetime) -> list[Notice]:
        return [self._notice(target) for target in await self.sources.due_follow_ups(now)]

    def _notice(self, target: FollowUpTarget) -> Notice:
        application = target.application_id
        text = "\n".join(
            (
                follow_up_text(target.title, target.employer),
                mark(t("jobs.btn.answered_yes"), FOLLOW_UP, f"{application}:yes"),
                mark(t("jobs.btn.answered_no"), FOLLOW_UP, f"{application}:no"),
            )
        )
        return Notice(
            key=f"{self.prefix}{application}",
            person_id=target.person_id,
            category=Category.REMINDERS,
            text=text,
            not_before=target.due_at,
            priority=Priority.NORMAL,
            expires_at=target.due_at + FOLLOW_UP_WINDOW,
        )
