"""The line «Мои данные» shows about career tests (the export holds every attempt with its answers)."""

from __future__ import annotations

from backend_client.models import AttemptStatus
from backend_client.ports import CareerTests
from dialogs.career.instruments import instrument
from dialogs.texts import t
from dialogs.views.career import leaders_names


async def career_line(tests: CareerTests, person_id: int) -> str:
    """How many results, the latest, and whether they are shared with parents."""
    attempts = await tests.attempts_of(person_id)
    done = [a for a in attempts if a.status is AttemptStatus.COMPLETED]
    if not done:
        return t("mydata.career_none")
    latest = done[0]
    test = instrument(latest.instrument)
    last = f"{test.title}: {leaders_names(test, latest)}" if test else latest.code or "—"
    shared = await tests.career_shared(person_id)
    return t("mydata.career", done=len(done), last=last, shared=t("career.yes" if shared else "career.no"))
