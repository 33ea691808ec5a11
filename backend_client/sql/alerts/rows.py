"""Between saved searches, their rows and their keys in the matching index."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete

from backend_client.sql.alerts.tables import saved_search_keys, saved_searches
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.vacancies.search import posting_counts
from backend_client.vacancies.alerts import (
    AlertFilters,
    AlertFrequency,
    SavedSearch,
    exclude_terms,
    index_keys,
    key_term,
    kinds_of,
    kinds_text,
)
from backend_client.vacancies.models import VacancyQuery
from backend_client.vacancies.terms import query_terms

MAX_TEXT = 200


def search_values(query: VacancyQuery, exclude: str) -> dict[str, Any]:
    """The columns a search's filters decide (its words stored as typed and as terms)."""
    text = " ".join(query.text.split())[:MAX_TEXT]
    unwanted = " ".join(exclude.split())[:MAX_TEXT]
    return {
        "text": text,
        "terms": " ".join(sorted(query_terms(text))),
        "exclude": unwanted,
        "exclude_terms": " ".join(sorted(exclude_terms(unwanted))),
        "municipality": query.municipality,
        "kinds": kinds_text(query.kinds),
        "part_time": query.part_time,
        "salary_from": query.salary_from,
        "no_experience": query.no_experience,
        "remote": query.remote,
    }


def search_from(row: Any) -> SavedSearch:
    query = VacancyQuery(
        text=row.text,
        municipality=row.municipality,
        kinds=kinds_of(row.kinds),
        part_time=bool(row.part_time),
        salary_from=row.salary_from,
        no_experience=bool(row.no_experience),
        remote=bool(row.remote),
    )
    return SavedSearch(
        id=row.id,
        person_id=row.person_id,
        query=query,
        exclude=row.exclude,
        frequency=AlertFrequency(row.frequency),
        paused=bool(row.paused),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def filters_from(row: Any) -> AlertFilters:
    """The filters as matching reads them: the stored terms, not re-derived from the words."""
    return AlertFilters(
        terms=frozenset(row.terms.split()),
        exclude=frozenset(row.exclude_terms.split()),
        municipality=row.municipality,
        kinds=frozenset(kind for kind in row.kinds.split(",") if kind),
        part_time=bool(row.part_time),
        salary_from=row.salary_from,
        no_experience=bool(row.no_experience),
        remote=bool(row.remote),
    )


async def write_keys(
    connection: DbConnection, search_id: int, filters: AlertFilters, *, paused: bool
) -> None:
    """Put the search in the matching index under its rarest word now (or take it out when paused)."""
    await connection.execute(delete(saved_search_keys).where(saved_search_keys.c.search_id == search_id))
    if paused:
        return
    postings = await posting_counts(connection, tuple(sorted(filters.terms)))
    key = key_term(filters.terms, postings)
    rows = [
        {"term": term, "place": place, "kind": kind, "search_id": search_id}
        for term, place, kind in index_keys(filters, key)
    ]
    await connection.execute(saved_search_keys.insert(), rows)


SEARCH_COLUMNS = tuple(saved_searches.c)
