"""What a vacancy draft must be before the store takes it: every problem named, none fixed silently.

Importers clean what they can (HTML stripped, «0» salaries made None, contacts dropped); what still
arrives wrong here is listed by row, and the batch is not written (an import is all or nothing).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from backend_client.reference import municipality
from backend_client.vacancies.models import VacancyDraft

MAX_SALARY = 2_000_000  # roubles a month: above it is a typo (an extra zero) or a yearly figure
MAX_TEXT = 20_000  # characters of duties or requirements; the card shows the first few hundred
MAX_TITLE = 200
MAX_ID = 64
MAX_SOURCE = 16
MAX_URL = 400
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")  # a tag left in a text that must be plain
_INN = re.compile(r"^(\d{10}|\d{12})$")
_OGRN = re.compile(r"^(\d{13}|\d{15})$")


def draft_problems(draft: VacancyDraft) -> list[str]:
    """What is wrong with the draft, as short English phrases (the operator's CLI shows them)."""
    problems = [*_identity(draft), *_money(draft), *_hours(draft), *_texts(draft)]
    if draft.municipality is not None and municipality(draft.municipality) is None:
        problems.append(f"unknown municipality code {draft.municipality!r}")
    if not 14 <= draft.min_age <= 18:
        problems.append(f"minimum age {draft.min_age} outside 14–18")
    if draft.work_places < 1:
        problems.append("work places below 1")
    return problems


def batch_problems(drafts: Sequence[VacancyDraft]) -> tuple[str, ...]:
    """Every problem of the batch as «row N: …» (N from 1), duplicated ids included."""
    found: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for row, draft in enumerate(drafts, start=1):
        found.extend(f"row {row}: {problem}" for problem in draft_problems(draft))
        key = (draft.source, draft.source_id)
        if key in seen:
            found.append(f"row {row}: the same id as row {seen[key]}")
        seen.setdefault(key, row)
    return tuple(found)


def _identity(draft: VacancyDraft) -> list[str]:
    problems = []
    if not draft.source or len(draft.source) > MAX_SOURCE:
        problems.append("source missing or too long")
    if not draft.source_id.strip() or len(draft.source_id) > MAX_ID:
        problems.append("id missing or too long")
    if not draft.title.strip() or len(draft.title) > MAX_TITLE:
        problems.append("title missing or too long")
    if not draft.employer.name.strip() or len(draft.employer.name) > MAX_TITLE:
        problems.append("employer name missing or too long")
    if draft.employer.inn and not _INN.match(draft.employer.inn):
        problems.append("INN is not 10 or 12 digits")
    if draft.employer.ogrn and not _OGRN.match(draft.employer.ogrn):
        problems.append("OGRN is not 13 or 15 digits")
    if len(draft.source_url) > MAX_URL or (draft.source_url and not draft.source_url.startswith("https://")):
        problems.append("source link is not an https address")
    return problems


def _money(draft: VacancyDraft) -> list[str]:
    problems = []
    for name, value in (("salary from", draft.salary_from), ("salary to", draft.salary_to)):
        if value is not None and not 0 < value <= MAX_SALARY:
            problems.append(f"{name} {value} is not a monthly salary in roubles")
    if draft.salary_from and draft.salary_to and draft.salary_from > draft.salary_to:
        problems.append("salary from is above salary to")
    return problems


def _hours(draft: VacancyDraft) -> list[str]:
    problems = []
    if draft.hours_per_day is not None and not 0 < draft.hours_per_day <= 24:
        problems.append("hours a day outside 0–24")
    if draft.hours_per_week is not None and not 0 < draft.hours_per_week <= 7 * 24:
        problems.append("hours a week outside 0–168")
    return problems


def _texts(draft: VacancyDraft) -> list[str]:
    problems = []
    for name, value in (
        ("title", draft.title),
        ("duties", draft.duties),
        ("requirements", draft.requirements),
    ):
        if _MARKUP.search(value):
            problems.append(f"{name} still holds markup")
    if len(draft.duties) > MAX_TEXT or len(draft.requirements) > MAX_TEXT:
        problems.append("duties or requirements too long")
    return problems
