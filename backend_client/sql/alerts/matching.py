"""Matching arrived vacancies against saved searches, inside the import's own transaction.

The catalogue's ``upsert_vacancies`` calls ``match_in`` with the ids it added or reopened, before it
commits: the vacancies and their alerts are written together or not at all, so a crash can neither lose
alerts nor send them twice, and no sweep has to find what was missed. ``SqlVacancyAlerts.match_vacancies``
runs the same for given ids in a transaction of its own (an operator's re-run, the benchmark).

1. The arrived vacancies still open, with their search terms (``vacancy_terms``).
2. Candidates from the index (``saved_search_keys``): the keys under the batch's words and "", read once
   for the batch; a vacancy meets the searches keyed by one of its words (or none) × its municipality
   or "" × its kind or "". A search is keyed by its rarest word, so few candidates fail the other words.
3. The exact rule (``backend_client.vacancies.alerts.fits``) and the minors' law for each person's age
   today (``allowed``); people without consent get nothing.
4. One search per (person, vacancy): an instant one before a daily one, then the oldest.
5. The pairs go into ``vacancy_alert_items`` with ON CONFLICT DO NOTHING, sorted (so two transactions
   at once wait for each other instead of deadlocking): the primary key decides which pairs are new,
   across re-imports and processes matching at once, and only those are alerted.
6. For each search with new pairs, one notice into the outbox in this transaction (``enqueue_in``):
   key ``alert:<search>:<token>`` — the token is the newest vacancy id for an instant search, the day for
   a daily one (due at DAILY_AT) — and the text a mark the relay expands when it sends
   (``notifications/alerts.py``): the alert is put together then, from the vacancies still open.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from backend_client.models import Profile
from backend_client.outreach import Category, Notice, Priority
from backend_client.sql.alerts.rows import filters_from
from backend_client.sql.alerts.tables import saved_search_keys, saved_searches, vacancy_alert_items
from backend_client.sql.enqueue import enqueue_in
from backend_client.sql.infra.base import PERSON_COLUMNS, person_from
from backend_client.sql.infra.dialects import upsert
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.tables import people, profiles
from backend_client.sql.vacancies.seeker import STUDYING_ROLES, age_of
from backend_client.sql.vacancies.tables import vacancies, vacancy_terms
from backend_client.vacancies.alerts import (
    ALERT_ZONE,
    DAILY_AT,
    AlertFilters,
    AlertFrequency,
    AlertMatchRun,
    ArrivedVacancy,
    allowed,
    fits,
)
from backend_client.vacancies.minors import school_time
from backend_client.vacancies.models import VacancyStatus

CHUNK = 1_000  # ids per IN list
RECORD_CHUNK = 500  # pairs per INSERT (4 parameters each)
NOTICE_PREFIX = "alert:"
MARK = "⟦alert {notice}⟧"  # expanded by notifications/alerts.py when the relay sends


class _Search:
    __slots__ = ("daily", "filters", "id", "person_id")

    def __init__(self, row: Any) -> None:
        self.id: int = row.id
        self.person_id: int = row.person_id
        self.daily = row.frequency == AlertFrequency.DAILY.value
        self.filters: AlertFilters = filters_from(row)


async def match_in(connection: DbConnection, vacancy_ids: Iterable[int], now: datetime) -> AlertMatchRun:
    """Alert every person whose saved search the vacancies fit, once per (person, vacancy)."""
    arrived = await _arrived(connection, sorted(set(vacancy_ids)))
    if not arrived:
        return AlertMatchRun()
    candidates = await _candidates(connection, arrived)
    searches = await _searches(connection, {search for search, _ in candidates})
    fitting = [
        (searches[s], arrived[v])
        for s, v in sorted(candidates)
        if s in searches and fits(searches[s].filters, arrived[v])
    ]
    today = now.astimezone(ALERT_ZONE).date()
    ages = await _ages(connection, {search.person_id for search, _ in fitting}, today)
    chosen: dict[tuple[int, int], _Search] = {}
    for search, vacancy in fitting:
        if search.person_id not in ages:
            continue  # no consent (or gone)
        age, school = ages[search.person_id]
        if not allowed(vacancy, age, school_time=school):
            continue
        pair = (search.person_id, vacancy.id)
        if pair not in chosen or (chosen[pair].daily and not search.daily):
            chosen[pair] = search  # ``fitting`` is sorted by search id: the oldest of a kind stays
    new = await _record(connection, chosen, now)
    notices = _notices(new, now)
    added = await enqueue_in(connection, notices, now)
    return AlertMatchRun(
        vacancies=len(arrived),
        candidates=len(candidates),
        matched=len(chosen),
        new_pairs=len(new),
        notices=added,
    )


async def _arrived(connection: DbConnection, ids: Sequence[int]) -> dict[int, ArrivedVacancy]:
    """The open ones among ``ids`` with what matching reads, terms included."""
    found: dict[int, ArrivedVacancy] = {}
    columns = [vacancies.c[name] for name in _VACANCY_COLUMNS]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = await connection.execute(
            select(*columns).where(vacancies.c.id.in_(chunk), vacancies.c.status == VacancyStatus.OPEN.value)
        )
        facts = {row.id: row for row in rows}
        if not facts:
            continue
        terms: dict[int, set[str]] = {}
        postings = await connection.execute(
            select(vacancy_terms.c.vacancy_id, vacancy_terms.c.term).where(
                vacancy_terms.c.vacancy_id.in_(list(facts))
            )
        )
        for vacancy_id, term in postings:
            terms.setdefault(vacancy_id, set()).add(term)
        for vacancy_id, row in facts.items():
            values = {name: getattr(row, name) for name in _VACANCY_COLUMNS}
            values["experience_required"] = bool(values["experience_required"])
            found[vacancy_id] = ArrivedVacancy(**values, terms=frozenset(terms.get(vacancy_id, ())))
    return found


_VACANCY_COLUMNS = (
    "id",
    "kind",
    "municipality",
    "employment",
    "schedule",
    "salary_from",
    "salary_to",
    "experience_required",
    "legal_from_school",
    "legal_from_free",
)


async def _candidates(connection: DbConnection, arrived: dict[int, ArrivedVacancy]) -> set[tuple[int, int]]:
    """(search id, vacancy id) pairs the index offers: the keys under the batch's words are read once."""
    words = sorted({"", *(term for vacancy in arrived.values() for term in vacancy.terms)})
    keyed: dict[tuple[str, str, str], list[int]] = {}
    for start in range(0, len(words), CHUNK):
        rows = await connection.execute(
            select(
                saved_search_keys.c.term,
                saved_search_keys.c.place,
                saved_search_keys.c.kind,
                saved_search_keys.c.search_id,
            ).where(saved_search_keys.c.term.in_(words[start : start + CHUNK]))
        )
        for term, place, kind, search_id in rows:
            keyed.setdefault((term, place, kind), []).append(search_id)
    pairs: set[tuple[int, int]] = set()
    if not keyed:
        return pairs
    for vacancy in arrived.values():
        places, kinds = (vacancy.municipality or "", ""), (vacancy.kind, "")
        for term in ("", *vacancy.terms):
            for place in places:
                for kind in kinds:
                    for search_id in keyed.get((term, place, kind), ()):
                        pairs.add((search_id, vacancy.id))
    return pairs


async def _searches(connection: DbConnection, ids: set[int]) -> dict[int, _Search]:
    """The candidates' filters; paused ones left out (their keys are gone, but a pause may race)."""
    ordered = sorted(ids)
    found: dict[int, _Search] = {}
    for start in range(0, len(ordered), CHUNK):
        rows = await connection.execute(
            select(saved_searches).where(
                saved_searches.c.id.in_(ordered[start : start + CHUNK]), saved_searches.c.paused.is_(False)
            )
        )
        found.update({row.id: _Search(row) for row in rows})
    return found


async def _ages(
    connection: DbConnection, person_ids: set[int], today: date
) -> dict[int, tuple[int | None, bool]]:
    """Person id -> (age at worst, school-time limits today), for people who consented."""
    ordered = sorted(person_ids)
    found: dict[int, tuple[int | None, bool]] = {}
    for start in range(0, len(ordered), CHUNK):
        rows = await connection.execute(
            select(*PERSON_COLUMNS, profiles.c.birth_year)
            .select_from(people.outerjoin(profiles, profiles.c.person_id == people.c.id))
            .where(people.c.id.in_(ordered[start : start + CHUNK]))
        )
        for row in rows:
            person = person_from(row)
            if not person.may_store_personal_data:
                continue
            age = age_of(person, Profile(person.id, birth_year=row.birth_year), today)
            studying = person.role in STUDYING_ROLES if person.role else True
            found[person.id] = (age, school_time(today, studying=studying))
    return found


async def _record(
    connection: DbConnection, chosen: dict[tuple[int, int], _Search], now: datetime
) -> list[tuple[_Search, int]]:
    """Insert the pairs; the (search, vacancy id) of those that were new."""
    rows = [
        {
            "person_id": person,
            "vacancy_id": vacancy,
            "search_id": chosen[(person, vacancy)].id,
            "matched_at": now,
        }
        for person, vacancy in sorted(chosen)
    ]
    new: list[tuple[_Search, int]] = []
    for start in range(0, len(rows), RECORD_CHUNK):
        statement = (
            upsert(connection, vacancy_alert_items)
            .values(rows[start : start + RECORD_CHUNK])
            .on_conflict_do_nothing()
            .returning(vacancy_alert_items.c.person_id, vacancy_alert_items.c.vacancy_id)
        )
        for person, vacancy in await connection.execute(statement):
            new.append((chosen[(person, vacancy)], vacancy))
    return new


def daily_due(now: datetime) -> datetime:
    """The next DAILY_AT in the region's time, strictly after ``now``."""
    local = now.astimezone(ALERT_ZONE)
    due = datetime.combine(local.date(), DAILY_AT, tzinfo=ALERT_ZONE)
    return due if due > local else due + timedelta(days=1)


def _notices(new: list[tuple[_Search, int]], now: datetime) -> list[Notice]:
    """One notice per search with new pairs (sorted by key: concurrent transactions lock in one order)."""
    newest: dict[int, tuple[_Search, int]] = {}
    for search, vacancy in new:
        if search.id not in newest or vacancy > newest[search.id][1]:
            newest[search.id] = (search, vacancy)
    due = daily_due(now)
    notices = []
    for search, vacancy in newest.values():
        token = f"d{due.astimezone(ALERT_ZONE):%Y%m%d}" if search.daily else str(vacancy)
        notice = f"{search.id}:{token}"
        notices.append(
            Notice(
                key=f"{NOTICE_PREFIX}{notice}",
                person_id=search.person_id,
                category=Category.VACANCIES,
                text=MARK.format(notice=notice),
                not_before=due if search.daily else now,
                priority=Priority.NORMAL,
            )
        )
    return sorted(notices, key=lambda notice: notice.key)
