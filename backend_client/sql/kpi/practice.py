"""KPI section: applications to internships («Стажировка») and practice («Практика») made in the bot.

Withdrawn applications are not counted. Municipality and school (college, university) are the
applicant's current profile.
"""

from __future__ import annotations

from sqlalchemy import select

from backend_client.kpi import KpiQuery
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.kpi.section import Fact, KpiSection, within
from backend_client.sql.tables import profiles
from backend_client.sql.vacancies.tables import applications, vacancies
from backend_client.vacancies.models import ApplicationStatus, VacancyKind

INTERNSHIP = "practice.internship_applications"
PRACTICE = "practice.practice_applications"
APPLICANTS = "practice.applicants"
_KINDS = {VacancyKind.INTERNSHIP.value: INTERNSHIP, VacancyKind.PRACTICE.value: PRACTICE}


async def _applications(connection: DbConnection, query: KpiQuery) -> list[Fact]:
    made = (
        select(
            applications.c.id,
            applications.c.person_id,
            vacancies.c.kind,
            profiles.c.municipality,
            profiles.c.institution,
        )
        .select_from(applications)
        .join(vacancies, vacancies.c.id == applications.c.vacancy_id)
        .outerjoin(profiles, profiles.c.person_id == applications.c.person_id)
        .where(
            vacancies.c.kind.in_(tuple(_KINDS)),
            applications.c.status != ApplicationStatus.WITHDRAWN.value,
            within(applications.c.created_at, query),
        )
    )
    facts = []
    for r in (await connection.execute(made)).all():
        facts.append(Fact(_KINDS[r.kind], r.id, r.municipality, r.institution))
        facts.append(Fact(APPLICANTS, r.person_id, r.municipality, r.institution))
    return facts


PRACTICE_SECTION = KpiSection(
    "practice",
    "Internships and practice",
    (
        (INTERNSHIP, "applications to internships made in the period"),
        (PRACTICE, "applications to practice made in the period"),
        (APPLICANTS, "people who made them"),
    ),
    _applications,
)
