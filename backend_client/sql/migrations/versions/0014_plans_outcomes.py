"""Graduates' plan steps, graduation dates and outcome check-ins.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend_client.sql.infra.types import UtcDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _person(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["person_id"], ["people.id"], name=f"fk_{table}_person_id_people", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "plan_steps",
        sa.Column("id", Id, autoincrement=True),
        sa.Column("person_id", Id, nullable=False),
        sa.Column("text", sa.String(300), nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("done_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_plan_steps"),
        sa.UniqueConstraint("person_id", "due_on", "text", name="uq_plan_steps_person_id_due_on_text"),
        _person("plan_steps"),
    )
    op.create_index("ix_plan_steps_status_due_on", "plan_steps", ["status", "due_on"])
    op.create_table(
        "graduations",
        sa.Column("person_id", Id),
        sa.Column("graduated_on", sa.Date, nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name="pk_graduations"),
        _person("graduations"),
    )
    op.create_index("ix_graduations_graduated_on", "graduations", ["graduated_on"])
    op.create_table(
        "outcomes",
        sa.Column("person_id", Id),
        sa.Column("months", sa.SmallInteger, autoincrement=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answered_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", "months", name="pk_outcomes"),
        _person("outcomes"),
    )


def downgrade() -> None:
    op.drop_table("outcomes")
    op.drop_table("graduations")
    op.drop_table("plan_steps")
