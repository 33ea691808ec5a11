"""The line «Мои данные» shows about work: how many applications and favourites are kept (the export holds
each of them, with the vacancy it concerns)."""

from __future__ import annotations

from backend_client.ports.vacancies import Vacancies
from dialogs.texts import t


async def work_line(vacancies: Vacancies, person_id: int) -> str:
    applications = await vacancies.applications_of(person_id)
    saved = await vacancies.saved(person_id)
    if not applications and not saved:
        return t("jobs.mydata_none")
    return t("jobs.mydata", applications=len(applications), saved=len(saved))
