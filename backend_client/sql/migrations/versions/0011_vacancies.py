"""«Работа и стажировки»: vacancies with their texts and search terms, applications and favourites.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend_client.sql.infra.types import UtcDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "vacancies",
        sa.Column("id", Id, autoincrement=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("employer_name", sa.String(200), nullable=False),
        sa.Column("employer_inn", sa.String(12), nullable=True),
        sa.Column("employer_ogrn", sa.String(15), nullable=True),
        sa.Column("municipality", sa.String(16), nullable=True),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("latitude", sa.Float, nullable=True),
        sa.Column("longitude", sa.Float, nullable=True),
        sa.Column("salary_from", sa.Integer, nullable=True),
        sa.Column("salary_to", sa.Integer, nullable=True),
        sa.Column("employment", sa.String(16), nullable=False),
        sa.Column("schedule", sa.String(16), nullable=False),
        sa.Column("education", sa.String(120), nullable=False),
        sa.Column("experience_required", sa.Boolean, nullable=False),
        sa.Column("work_places", sa.Integer, nullable=False),
        sa.Column("min_age", sa.SmallInteger, nullable=False),
        sa.Column("hours_per_week", sa.Float, nullable=True),
        sa.Column("hours_per_day", sa.Float, nullable=True),
        sa.Column("hazards", sa.String(160), nullable=False),
        sa.Column("profession", sa.String(160), nullable=False),
        sa.Column("source_url", sa.String(400), nullable=False),
        sa.Column("published_at", UtcDateTime(), nullable=True),
        sa.Column("modified_at", UtcDateTime(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("legal_from_school", sa.SmallInteger, nullable=False),
        sa.Column("legal_from_free", sa.SmallInteger, nullable=False),
        sa.Column("listed_at", UtcDateTime(), nullable=False),
        sa.Column("digest", sa.String(32), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_vacancies"),
        sa.UniqueConstraint("source", "source_id", name="uq_vacancies_source_source_id"),
    )
    filtered = [
        "kind",
        "employment",
        "schedule",
        "salary_from",
        "salary_to",
        "experience_required",
        "legal_from_school",
        "legal_from_free",
    ]
    op.create_index(
        "ix_vacancies_open_listed", "vacancies", ["status", "listed_at", "id", "municipality", *filtered]
    )
    op.create_index(
        "ix_vacancies_open_place", "vacancies", ["status", "municipality", "listed_at", "id", *filtered]
    )
    op.create_index("ix_vacancies_employer_inn", "vacancies", ["employer_inn"])
    op.create_index("ix_vacancies_source_modified", "vacancies", ["source", "modified_at"])
    op.create_table(
        "vacancy_texts",
        sa.Column("vacancy_id", Id),
        sa.Column("duties", sa.Text, nullable=False),
        sa.Column("requirements", sa.Text, nullable=False),
        sa.Column("skills", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("vacancy_id", name="pk_vacancy_texts"),
        sa.ForeignKeyConstraint(
            ["vacancy_id"], ["vacancies.id"], name="fk_vacancy_texts_vacancy_id_vacancies", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "vacancy_terms",
        sa.Column("term", sa.String(40), nullable=False),
        sa.Column("weight", sa.SmallInteger, nullable=False, autoincrement=False),
        sa.Column("recency", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("vacancy_id", Id, nullable=False),
        # copies of the vacancy's filtered columns: a search with words reads this table alone
        sa.Column("municipality", sa.String(16), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("employment", sa.String(16), nullable=False),
        sa.Column("schedule", sa.String(16), nullable=False),
        sa.Column("salary_from", sa.Integer, nullable=True),
        sa.Column("salary_to", sa.Integer, nullable=True),
        sa.Column("experience_required", sa.Boolean, nullable=False),
        sa.Column("legal_from_school", sa.SmallInteger, nullable=False),
        sa.Column("legal_from_free", sa.SmallInteger, nullable=False),
        sa.PrimaryKeyConstraint(
            "term",
            "weight",
            "recency",
            "vacancy_id",
            name="pk_vacancy_terms",
            postgresql_include=["municipality", *filtered],
        ),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_vacancy_terms_vacancy_id", "vacancy_terms", ["vacancy_id", "term"])
    op.create_table(
        "vacancy_applications",
        sa.Column("id", Id, autoincrement=True),
        sa.Column("person_id", Id, nullable=False),
        sa.Column("vacancy_id", Id, nullable=False),
        sa.Column("message", sa.String(500), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.Column("follow_up_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_vacancy_applications"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_vacancy_applications_person_id_people", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["vacancy_id"],
            ["vacancies.id"],
            name="fk_vacancy_applications_vacancy_id_vacancies",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("person_id", "vacancy_id", name="uq_vacancy_applications_person_id_vacancy_id"),
    )
    op.create_index("ix_vacancy_applications_vacancy_id", "vacancy_applications", ["vacancy_id"])
    op.create_index("ix_vacancy_applications_due", "vacancy_applications", ["status", "created_at"])
    op.create_table(
        "saved_vacancies",
        sa.Column("person_id", Id),
        sa.Column("vacancy_id", Id),
        sa.Column("saved_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", "vacancy_id", name="pk_saved_vacancies"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_saved_vacancies_person_id_people", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["vacancy_id"],
            ["vacancies.id"],
            name="fk_saved_vacancies_vacancy_id_vacancies",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_saved_vacancies_vacancy_id", "saved_vacancies", ["vacancy_id"])


def downgrade() -> None:
    op.drop_table("saved_vacancies")
    op.drop_table("vacancy_applications")
    op.drop_table("vacancy_terms")
    op.drop_table("vacancy_texts")
    op.drop_table("vacancies")
