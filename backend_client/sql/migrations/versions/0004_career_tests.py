"""Career tests: attempts with answers and results, the child's sharing choice, the in-demand list.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend_client.sql.infra.types import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "career_attempts",
        sa.Column("id", Id, autoincrement=True),
        sa.Column("person_id", Id, nullable=False),
        sa.Column("instrument", sa.String(32), nullable=False),
        sa.Column("version", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("scores", sa.JSON, nullable=True),
        sa.Column("code", sa.String(8), nullable=True),
        sa.Column("leading", sa.String(16), nullable=True),
        sa.Column("verdict", sa.String(16), nullable=True),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_career_attempts"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_career_attempts_person_id_people", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_career_attempts_person_id", "career_attempts", ["person_id"])
    op.create_table(
        "career_sharing",
        sa.Column("person_id", Id, nullable=False),
        sa.Column("with_guardians", sa.Boolean, nullable=False),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name="pk_career_sharing"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_career_sharing_person_id_people", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "in_demand_professions",
        sa.Column("profession_id", sa.String(48), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("imported_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("profession_id", name="pk_in_demand_professions"),
    )


def downgrade() -> None:
    op.drop_table("in_demand_professions")
    op.drop_table("career_sharing")
    op.drop_index("ix_career_attempts_person_id", table_name="career_attempts")
    op.drop_table("career_attempts")
