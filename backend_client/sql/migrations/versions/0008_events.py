"""«Профтуры и профпробы»: events and people's sign-ups.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend_client.sql.infra.types import UtcDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", Id, autoincrement=True),
        sa.Column("external_id", sa.String(64), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.String(160), nullable=False),
        sa.Column("organisation", sa.String(160), nullable=False),
        sa.Column("municipality", sa.String(16), nullable=False),
        sa.Column("address", sa.String(240), nullable=False),
        sa.Column("starts_at", UtcDateTime(), nullable=False),
        sa.Column("ends_at", UtcDateTime(), nullable=False),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("roles", sa.String(160), nullable=False),
        sa.Column("grade_from", sa.Integer, nullable=True),
        sa.Column("grade_to", sa.Integer, nullable=True),
        sa.Column("course_from", sa.Integer, nullable=True),
        sa.Column("course_to", sa.Integer, nullable=True),
        sa.Column("min_age_band", sa.String(16), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_by", sa.BigInteger, nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("cancelled_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.UniqueConstraint("external_id", name="uq_events_external_id"),
    )
    op.create_index("ix_events_status_starts_at", "events", ["status", "starts_at"])
    op.create_table(
        "event_signups",
        sa.Column("id", Id, autoincrement=True),
        sa.Column("event_id", Id, nullable=False),
        sa.Column("person_id", Id, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("cancelled_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_event_signups"),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name="fk_event_signups_event_id_events", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_event_signups_person_id_people", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("event_id", "person_id", name="uq_event_signups_event_id_person_id"),
    )
    op.create_index("ix_event_signups_person_id", "event_signups", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_event_signups_person_id", table_name="event_signups")
    op.drop_table("event_signups")
    op.drop_index("ix_events_status_starts_at", table_name="events")
    op.drop_table("events")
