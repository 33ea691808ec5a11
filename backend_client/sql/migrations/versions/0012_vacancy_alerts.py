"""Vacancy alerts: saved searches and their matching index, alerts and their items, unsubscribes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend_client.sql.infra.types import UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _person(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["person_id"], ["people.id"], name=f"fk_{table}_person_id_people", ondelete="CASCADE"
    )


def _search(table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["search_id"], ["saved_searches.id"], name=f"fk_{table}_search_id_saved_searches", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "saved_searches",
        sa.Column("id", Id, autoincrement=True),
        sa.Column("person_id", Id, nullable=False),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("terms", sa.String(300), nullable=False),
        sa.Column("exclude", sa.String(200), nullable=False),
        sa.Column("exclude_terms", sa.String(300), nullable=False),
        sa.Column("municipality", sa.String(16), nullable=True),
        sa.Column("kinds", sa.String(80), nullable=False),
        sa.Column("part_time", sa.Boolean, nullable=False),
        sa.Column("salary_from", sa.Integer, nullable=True),
        sa.Column("no_experience", sa.Boolean, nullable=False),
        sa.Column("remote", sa.Boolean, nullable=False),
        sa.Column("frequency", sa.String(8), nullable=False),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_saved_searches"),
        _person("saved_searches"),
    )
    op.create_index("ix_saved_searches_person_id", "saved_searches", ["person_id"])
    op.create_table(
        "saved_search_keys",
        sa.Column("term", sa.String(40)),
        sa.Column("place", sa.String(16)),
        sa.Column("kind", sa.String(16)),
        sa.Column("search_id", Id, autoincrement=False),
        sa.PrimaryKeyConstraint("term", "place", "kind", "search_id", name="pk_saved_search_keys"),
        _search("saved_search_keys", "CASCADE"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_saved_search_keys_search_id", "saved_search_keys", ["search_id"])
    op.create_table(
        "vacancy_alerts",
        sa.Column("id", Id, autoincrement=True),
        sa.Column("person_id", Id, nullable=False),
        sa.Column("search_id", Id, nullable=True),
        sa.Column("notice", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_vacancy_alerts"),
        sa.UniqueConstraint("notice", name="uq_vacancy_alerts_notice"),
        _person("vacancy_alerts"),
        _search("vacancy_alerts", "SET NULL"),
    )
    op.create_index("ix_vacancy_alerts_person_id", "vacancy_alerts", ["person_id"])
    op.create_index("ix_vacancy_alerts_search_id", "vacancy_alerts", ["search_id"])
    op.create_table(
        "vacancy_alert_items",
        sa.Column("person_id", Id),
        sa.Column("vacancy_id", Id),
        sa.Column("search_id", Id, nullable=True),
        sa.Column("alert_id", Id, nullable=True),
        sa.Column("matched_at", UtcDateTime(), nullable=False),
        sa.Column("opened_at", UtcDateTime(), nullable=True),
        sa.Column("feedback", sa.SmallInteger, nullable=True),
        sa.Column("feedback_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("person_id", "vacancy_id", name="pk_vacancy_alert_items"),
        _person("vacancy_alert_items"),
        sa.ForeignKeyConstraint(
            ["vacancy_id"],
            ["vacancies.id"],
            name="fk_vacancy_alert_items_vacancy_id_vacancies",
            ondelete="CASCADE",
        ),
        _search("vacancy_alert_items", "SET NULL"),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["vacancy_alerts.id"],
            name="fk_vacancy_alert_items_alert_id_vacancy_alerts",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_vacancy_alert_items_search_waiting", "vacancy_alert_items", ["search_id", "alert_id"])
    op.create_index(
        "ix_vacancy_alert_items_alert_id",
        "vacancy_alert_items",
        ["alert_id"],
        postgresql_where=sa.text("alert_id IS NOT NULL"),
        sqlite_where=sa.text("alert_id IS NOT NULL"),
    )
    op.create_table(
        "alert_unsubscribes",
        sa.Column("id", Id, autoincrement=True),
        sa.Column("person_id", Id, nullable=False),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("municipality", sa.String(16), nullable=True),
        sa.Column("kinds", sa.String(80), nullable=False),
        sa.Column("reason", sa.String(16), nullable=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_alert_unsubscribes"),
        _person("alert_unsubscribes"),
    )
    op.create_index("ix_alert_unsubscribes_person_id", "alert_unsubscribes", ["person_id"])


def downgrade() -> None:
    op.drop_table("alert_unsubscribes")
    op.drop_table("vacancy_alert_items")
    op.drop_table("vacancy_alerts")
    op.drop_table("saved_search_keys")
    op.drop_table("saved_searches")
