"""Tables of «Работа и стажировки», on the store's one ``metadata`` (``backend_client/sql/tables.py``
imports this module at its end, so migrations and tests see them).

``vacancies`` is narrow on purpose: searches filter, count and sort it, so the long texts live in
``vacancy_texts`` and are read only for the page shown. No column holds the employer's contact person:
importers drop it before a draft is made. Applications and favourites are personal data, deleted with
the person (FK cascade); a vacancy is never deleted, only closed, so they keep pointing somewhere.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from backend_client.sql.infra.types import UtcDateTime
from backend_client.sql.tables import Id, metadata

# The columns a search filters on besides the place and the kind, carried by the search indexes.
FILTERED = (
    "kind",
    "employment",
    "schedule",
    "salary_from",
    "salary_to",
    "experience_required",
    "legal_from_school",
    "legal_from_free",
)

vacancies = Table(
    "vacancies",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("source", String(16), nullable=False),
    Column("source_id", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("title", String(200), nullable=False),
    Column("employer_name", String(200), nullable=False),
    Column("employer_inn", String(12), nullable=True),
    Column("employer_ogrn", String(15), nullable=True),
    Column("municipality", String(16), nullable=True),
    Column("address", String(300), nullable=False),
    Column("latitude", Float, nullable=True),
    Column("longitude", Float, nullable=True),
    Column("salary_from", Integer, nullable=True),
    Column("salary_to", Integer, nullable=True),
    Column("employment", String(16), nullable=False),
    Column("schedule", String(16), nullable=False),
    Column("education", String(120), nullable=False),
    Column("experience_required", Boolean, nullable=False),
    Column("work_places", Integer, nullable=False),
    Column("min_age", SmallInteger, nullable=False),
    Column("hours_per_week", Float, nullable=True),
    Column("hours_per_day", Float, nullable=True),
    Column("hazards", String(160), nullable=False),  # ",night,weekends," or "" (a LIKE reads it anywhere)
    Column("profession", String(160), nullable=False),
    Column("source_url", String(400), nullable=False),
    Column("published_at", UtcDateTime(), nullable=True),
    Column("modified_at", UtcDateTime(), nullable=True),
    Column("status", String(16), nullable=False),
    # The youngest age (14–18) the vacancy is lawful for, by ``backend_client/vacancies/minors.py``:
    # for a pupil or student on a school day, and otherwise. Recomputed on every write of the row.
    Column("legal_from_school", SmallInteger, nullable=False),
    Column("legal_from_free", SmallInteger, nullable=False),
    Column("listed_at", UtcDateTime(), nullable=False),  # published, or first seen: «newest first»
    Column("digest", String(32), nullable=False),  # of everything imported: an unchanged row is not written
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    UniqueConstraint("source", "source_id", name="uq_vacancies_source_source_id"),
    # Searches read these two indexes alone (every filtered column is in them, so neither the count nor
    # the page looks at the table): newest first overall, and in one municipality.
    Index("ix_vacancies_open_listed", "status", "listed_at", "id", "municipality", *FILTERED),
    Index("ix_vacancies_open_place", "status", "municipality", "listed_at", "id", *FILTERED),
    Index("ix_vacancies_employer_inn", "employer_inn"),
    Index("ix_vacancies_source_modified", "source", "modified_at"),
)

vacancy_texts = Table(
    "vacancy_texts",
    metadata,
    Column("vacancy_id", Id, ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True),
    Column("duties", Text, nullable=False),
    Column("requirements", Text, nullable=False),
    Column("skills", JSON, nullable=False),
)

# The search index: one row per (term, open vacancy) — closed ones leave it — with the term's weight by
# where it stands (title 3, skills 2, the rest 1) and a ``recency`` key, so one term's postings are read
# best placed and newest first and a page stops after its rows. ``recency`` is the vacancy's ``listed_at``
# as Unix seconds where a search shows that order (title words and skills), and the vacancy's id for the
# rest (the low-weight words, and the title prefixes only matching reads): ids grow as vacancies come in,
# so most of an import's postings are appended at the end of their term's range instead of being
# scattered through the index. A 1,000-vacancy batch then dirties a few thousand pages instead of most
# of the index, which SQLite writes to the WAL at every commit (a 100,000-vacancy import wrote 5.4 GB
# with every key by ``listed_at``, 4.0 GB so). Each posting carries a copy of its vacancy's filtered
# columns (``POSTED``, rewritten with the postings whenever the vacancy changes), so a search with words
# and filters walks this one index and never looks a vacancy up. SQLite keeps the rows in that order
# (WITHOUT ROWID); PostgreSQL reads them from the primary key, which includes the copies.
POSTED = ("municipality", *FILTERED)
vacancy_terms = Table(
    "vacancy_terms",
    metadata,
    Column("term", String(40), nullable=False),
    Column("weight", SmallInteger, nullable=False, autoincrement=False),
    Column("recency", BigInteger, nullable=False, autoincrement=False),
    # No foreign key: postings are derived rows that only the catalogue writes, with their vacancy in the
    # same transaction, and a vacancy is never deleted (only closed, which removes its postings). A key
    # would check the vacancy once per posting: a quarter of an import's time on PostgreSQL.
    Column("vacancy_id", Id, nullable=False),
    Column("municipality", String(16), nullable=True),
    Column("kind", String(16), nullable=False),
    Column("employment", String(16), nullable=False),
    Column("schedule", String(16), nullable=False),
    Column("salary_from", Integer, nullable=True),
    Column("salary_to", Integer, nullable=True),
    Column("experience_required", Boolean, nullable=False),
    Column("legal_from_school", SmallInteger, nullable=False),
    Column("legal_from_free", SmallInteger, nullable=False),
    PrimaryKeyConstraint(
        "term", "weight", "recency", "vacancy_id", name="pk_vacancy_terms", postgresql_include=list(POSTED)
    ),
    Index("ix_vacancy_terms_vacancy_id", "vacancy_id", "term"),
    sqlite_with_rowid=False,
)

applications = Table(
    "vacancy_applications",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("vacancy_id", Id, ForeignKey("vacancies.id", ondelete="CASCADE"), nullable=False),
    Column("message", String(500), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("answered_at", UtcDateTime(), nullable=True),
    Column("follow_up_at", UtcDateTime(), nullable=True),  # when «работодатель ответил?» was asked
    UniqueConstraint("person_id", "vacancy_id", name="uq_vacancy_applications_person_id_vacancy_id"),
    Index("ix_vacancy_applications_vacancy_id", "vacancy_id"),
    Index("ix_vacancy_applications_due", "status", "created_at"),
)

saved_vacancies = Table(
    "saved_vacancies",
    metadata,
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("vacancy_id", Id, ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True),
    Column("saved_at", UtcDateTime(), nullable=False),
    Index("ix_saved_vacancies_vacancy_id", "vacancy_id"),
)
