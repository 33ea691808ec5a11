"""Between vacancy drafts, table rows and the ``Vacancy`` records the store hands out."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, select

from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.vacancies.tables import vacancies, vacancy_texts
from backend_client.vacancies.minors import youngest_legal_age
from backend_client.vacancies.models import (
    Application,
    ApplicationStatus,
    Employer,
    Employment,
    Hazard,
    Schedule,
    Vacancy,
    VacancyDraft,
    VacancyKind,
    VacancyStatus,
)


def hazards_column(hazards: frozenset[Hazard]) -> str:
    return f",{','.join(sorted(h.value for h in hazards))}," if hazards else ""


def row_values(draft: VacancyDraft) -> dict[str, Any]:
    """The ``vacancies`` columns a draft decides (not the id, times of our own or the digest)."""
    return {
        "source": draft.source,
        "source_id": draft.source_id,
        "kind": draft.kind.value,
        "title": draft.title.strip(),
        "employer_name": draft.employer.name.strip(),
        "employer_inn": draft.employer.inn or None,
        "employer_ogrn": draft.employer.ogrn or None,
        "municipality": draft.municipality,
        "address": draft.address.strip()[:300],
        "latitude": draft.latitude,
        "longitude": draft.longitude,
        "salary_from": draft.salary_from,
        "salary_to": draft.salary_to,
        "employment": draft.employment.value,
        "schedule": draft.schedule.value,
        "education": draft.education.strip()[:120],
        "experience_required": draft.experience_required,
        "work_places": draft.work_places,
        "min_age": draft.min_age,
        "hours_per_week": draft.hours_per_week,
        "hours_per_day": draft.hours_per_day,
        "hazards": hazards_column(draft.hazards),
        "profession": draft.profession.strip()[:160],
        "source_url": draft.source_url,
        "published_at": draft.published_at,
        "modified_at": draft.modified_at,
        "status": draft.status.value,
        "legal_from_school": youngest_legal_age(draft, school_time=True),
        "legal_from_free": youngest_legal_age(draft, school_time=False),
    }


def text_values(draft: VacancyDraft) -> dict[str, Any]:
    return {
        "duties": draft.duties.strip(),
        "requirements": draft.requirements.strip(),
        "skills": list(draft.skills),
    }


def digest(values: dict[str, Any], draft: VacancyDraft) -> str:
    """A fingerprint of all the draft says (``values``: its ``row_values``): equal, nothing to write."""
    everything = {**values, **text_values(draft)}
    return hashlib.blake2b(repr(sorted(everything.items())).encode(), digest_size=16).hexdigest()


def select_full() -> Select[Any]:
    """Vacancies with their texts; add a WHERE."""
    return select(
        vacancies, vacancy_texts.c.duties, vacancy_texts.c.requirements, vacancy_texts.c.skills
    ).join(vacancy_texts, vacancy_texts.c.vacancy_id == vacancies.c.id)


def vacancy_from(row: Any) -> Vacancy:
    return Vacancy(
        id=row.id,
        source=row.source,
        source_id=row.source_id,
        kind=VacancyKind(row.kind),
        title=row.title,
        employer=Employer(row.employer_name, row.employer_inn, row.employer_ogrn),
        municipality=row.municipality,
        address=row.address,
        latitude=row.latitude,
        longitude=row.longitude,
        salary_from=row.salary_from,
        salary_to=row.salary_to,
        employment=Employment(row.employment),
        schedule=Schedule(row.schedule),
        duties=row.duties,
        requirements=row.requirements,
        education=row.education,
        experience_required=bool(row.experience_required),
        skills=tuple(row.skills or ()),
        work_places=row.work_places,
        min_age=row.min_age,
        hours_per_week=row.hours_per_week,
        hours_per_day=row.hours_per_day,
        hazards=frozenset(Hazard(h) for h in row.hazards.split(",") if h),
        profession=row.profession,
        source_url=row.source_url,
        published_at=row.published_at,
        modified_at=row.modified_at,
        status=VacancyStatus(row.status),
    )


_BY_ID = select_full().where(vacancies.c.id.in_(bindparam("ids", expanding=True)))  # built once


async def vacancies_by_id(connection: DbConnection, ids: Sequence[int]) -> list[Vacancy]:
    """The vacancies in the order of ``ids`` (unknown ids left out)."""
    if not ids:
        return []
    rows = await connection.execute(_BY_ID, {"ids": list(ids)})
    found = {row.id: vacancy_from(row) for row in rows}
    return [found[i] for i in ids if i in found]


def application_from(row: Any, prefix: str = "") -> Application:
    """An application from its columns, named ``prefix + column`` (a join labels them apart)."""

    def value(name: str) -> Any:
        return getattr(row, prefix + name)

    return Application(
        id=value("id"),
        person_id=value("person_id"),
        vacancy_id=value("vacancy_id"),
        created_at=value("created_at"),
        message=value("message"),
        status=ApplicationStatus(value("status")),
        answered_at=value("answered_at"),
    )


def new_listing(draft: VacancyDraft, now: datetime) -> datetime:
    return draft.published_at or draft.modified_at or now
