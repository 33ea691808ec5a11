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
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from backend_client.models import Profile
from backend_client.outreach import Category, Notice, Priority
from backend_client.sql.alerts.rows import filters_from
from backend_client.sql.alerts.tables import saved_search_keys, saved_searches, vacancy_alert_items
from backend_client.sql.enqueue import enqueue_in
from backend_client.sql.infra.arrays import insert_new_grouped
from backend_client.sql.infra.base import PERSON_COLUMNS, person_from
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
from backend_client.vacancies.minors import ADULT, school_time
from backend_client.vacancies.models import VacancyStatus

CHUNK = 1_000  # ids per IN list
NOTICE_PREFIX = "alert:"
MARK = "⟦alert {notice}⟧"  # expanded by notifications/alerts.py when the relay sends


class _Search:
    __slots__ = ("daily", "filters", "id", "indexed", "person_id")

    def __init__(self, row: Any) -> None:
        self.id: int = row.id
        self.person_id: int = row.person_id
        self.daily = row.frequency == AlertFrequency.DAILY.value
        self.filters: AlertFilters = filters_from(row)
        # Whether the index alone decides: a vacancy reaches a search only under the search's key word
        # (or "" for none), its municipality and its kinds (or "" for any), so with at most one word and
        # no other filter, every candidate fits. Most searches are such; the rest go through ``fits``.
        filters = self.filters
        self.indexed = len(filters.terms) <= 1 and not filters.exclude and not _other_filters(filters)

    def fits(self, vacancy: ArrivedVacancy) -> bool:
        return self.indexed or fits(self.filters, vacancy)


def _other_filters(filters: AlertFilters) -> bool:
    return filters.part_time or filters.salary_from is not None or filters.no_experience or filters.remote


async def match_in(connection: DbConnection, vacancy_ids: Iterable[int], now: datetime) -> AlertMatchRun:
    """Alert every person whose saved search the vacancies fit, once per (person, vacancy).

    Vacancies go a thousand at a time (sorted, so two transactions at once take the same order); the
    index keys, searches and people read for one chunk are kept for the next."""
    ids = sorted(set(vacancy_ids))
    matching = _Pass(connection, now)
    for start in range(0, len(ids), CHUNK):
        await matching.chunk(ids[start : start + CHUNK])
    added = await enqueue_in(connection, _notices(matching.newest, now), now)
    return replace(matching.run, notices=added)


class _Pass:
    """One matching pass in one transaction, with what it has read so far."""

    def __init__(self, connection: DbConnection, now: datetime) -> None:
        self.connection = connection
        self.now = now
        self.today = now.astimezone(ALERT_ZONE).date()
        self.keyed: dict[tuple[str, str, str], list[int]] = {}  # (term, place, kind) -> search ids
        self.read_terms: set[str] = set()
        self.searches: dict[int, _Search | None] = {}  # None: paused or gone
        self.ages: dict[int, tuple[int | None, bool] | None] = {}  # None: no consent
        self.newest: dict[int, tuple[_Search, int]] = {}  # search id -> (search, newest new vacancy)
        self.run = AlertMatchRun()

    async def chunk(self, ids: Sequence[int]) -> None:
        arrived = await _arrived(self.connection, ids)
        if not arrived:
            return
        await self._read_keys({term for vacancy in arrived.values() for term in vacancy.terms})
        candidates = self._candidates(arrived)
        await self._read_searches({search for search, _ in candidates})
        fitting = [
            (search, arrived[v])
            for s, v in sorted(candidates)
            if (search := self.searches[s]) is not None and search.fits(arrived[v])
        ]
        await self._read_ages({search.person_id for search, _ in fitting})
        chosen = self._choose(fitting)
        new = await _record(self.connection, chosen, self.now)
        for search_id, (vacancy, _) in new.items():
            search = self.searches[search_id]
            if search is not None and (search_id not in self.newest or vacancy > self.newest[search_id][1]):
                self.newest[search_id] = (search, vacancy)
        self.run = replace(
            self.run,
            vacancies=self.run.vacancies + len(arrived),
            candidates=self.run.candidates + len(candidates),
            matched=self.run.matched + len(chosen),
            new_pairs=self.run.new_pairs + sum(count for _, count in new.values()),
        )

    def _choose(self, fitting: list[tuple[_Search, ArrivedVacancy]]) -> dict[tuple[int, int], _Search]:
        """One search per (person, vacancy) the law allows: instant before daily, then the oldest
        (``fitting`` is sorted by search id)."""
        chosen: dict[tuple[int, int], _Search] = {}
        for search, vacancy in fitting:
            facts = self.ages[search.person_id]
            if facts is None:
                continue  # no consent
            age, school = facts
            if (age is None or age < ADULT) and not allowed(vacancy, age, school_time=school):
                continue
            pair = (search.person_id, vacancy.id)
            if pair not in chosen or (chosen[pair].daily and not search.daily):
                chosen[pair] = search
        return chosen

    async def _read_keys(self, terms: set[str]) -> None:
        """The index keys under the words not read yet in this pass ("" included: searches without words)."""
        wanted = sorted({"", *terms} - self.read_terms)
        self.read_terms.update(wanted)
        for start in range(0, len(wanted), CHUNK):
            rows = await self.connection.execute(
                select(
                    saved_search_keys.c.term,
                    saved_search_keys.c.place,
                    saved_search_keys.c.kind,
                    saved_search_keys.c.search_id,
                ).where(saved_search_keys.c.term.in_(wanted[start : start + CHUNK]))
            )
            for term, place, kind, search_id in rows:
                self.keyed.setdefault((term, place, kind), []).append(search_id)

    def _candidates(self, arrived: dict[int, ArrivedVacancy]) -> set[tuple[int, int]]:
        """(search id, vacancy id): the searches keyed by one of the vacancy's words or by none, in its
        municipality or anywhere, for its kind or any."""
        pairs: set[tuple[int, int]] = set()
        keyed = self.keyed
        for vacancy in arrived.values():
            places, kinds = (vacancy.municipality or "", ""), (vacancy.kind, "")
            for term in ("", *vacancy.terms):
                for place in places:
                    for kind in kinds:
                        for search_id in keyed.get((term, place, kind), ()):
                            pairs.add((search_id, vacancy.id))
        return pairs

    async def _read_searches(self, ids: set[int]) -> None:
        """The candidates' filters; paused ones count as none (their keys are gone, but a pause may race)."""
        wanted = sorted(ids - self.searches.keys())
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            self.searches.update(dict.fromkeys(chunk))
            rows = await self.connection.execute(
                select(saved_searches).where(
                    saved_searches.c.id.in_(chunk), saved_searches.c.paused.is_(False)
                )
            )
            self.searches.update({row.id: _Search(row) for row in rows})

    async def _read_ages(self, person_ids: set[int]) -> None:
        wanted = sorted(person_ids - self.ages.keys())
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            self.ages.update(dict.fromkeys(chunk))
            self.ages.update(await _ages(self.connection, chunk, self.today))


async def _arrived(connection: DbConnection, ids: Sequence[int]) -> dict[int, ArrivedVacancy]:
    """The open ones among ``ids`` with what matching reads, terms included."""
    columns = [vacancies.c[name] for name in _VACANCY_COLUMNS]
    rows = await connection.execute(
        select(*columns).where(vacancies.c.id.in_(ids), vacancies.c.status == VacancyStatus.OPEN.value)
    )
    facts = {row.id: row for row in rows}
    if not facts:
        return {}
    terms: dict[int, set[str]] = {}
    postings = await connection.execute(
        select(vacancy_terms.c.vacancy_id, vacancy_terms.c.term).where(
            vacancy_terms.c.vacancy_id.in_(list(facts))
        )
    )
    for vacancy_id, term in postings:
        terms.setdefault(vacancy_id, set()).add(term)
    found: dict[int, ArrivedVacancy] = {}
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


async def _ages(
    connection: DbConnection, person_ids: Sequence[int], today: date
) -> dict[int, tuple[int | None, bool]]:
    """Person id -> (age at worst, school-time limits today), for people who consented."""
    found: dict[int, tuple[int | None, bool]] = {}
    rows = await connection.execute(
        select(*PERSON_COLUMNS, profiles.c.birth_year)
        .select_from(people.outerjoin(profiles, profiles.c.person_id == people.c.id))
        .where(people.c.id.in_(list(person_ids)))
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
) -> dict[int, tuple[int, int]]:
    """Insert the pairs; for each search with new ones, (its newest new vacancy, how many are new)."""
    rows = [(person, vacancy, chosen[(person, vacancy)].id, now) for person, vacancy in sorted(chosen)]
    return await insert_new_grouped(connection, vacancy_alert_items, _ITEM, rows, "search_id", "vacancy_id")


_ITEM = ("person_id", "vacancy_id", "search_id", "matched_at")


def daily_due(now: datetime) -> datetime:
    """The next DAILY_AT in the region's time, strictly after ``now``."""
    local = now.astimezone(ALERT_ZONE)
    due = datetime.combine(local.date(), DAILY_AT, tzinfo=ALERT_ZONE)
    return due if due > local else due + timedelta(days=1)


def _notices(newest: dict[int, tuple[_Search, int]], now: datetime) -> list[Notice]:
    """One notice per search with new pairs (sorted by key: concurrent transactions lock in one order)."""
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
