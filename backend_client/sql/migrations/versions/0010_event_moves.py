"""Moves of «профтуры» and «профпробы»: what an event's time and place were before each move.

The reminder rule reads them to tell the people signed up «было … → стало …» once per move.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend_client.sql.infra.types import UtcDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "event_moves",
        sa.Column("id", Id, autoincrement=True),
        sa.Column("event_id", Id, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("starts_at", UtcDateTime(), nullable=False),
        sa.Column("municipality", sa.String(16), nullable=False),
        sa.Column("address", sa.String(240), nullable=False),
        sa.Column("moved_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_event_moves"),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name="fk_event_moves_event_id_events", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_event_moves_event", "event_moves", ["event_id", "version"])
    op.create_index("ix_event_moves_moved_at", "event_moves", ["moved_at"])


def downgrade() -> None:
    op.drop_index("ix_event_moves_moved_at", table_name="event_moves")
    op.drop_index("ix_event_moves_event", table_name="event_moves")
    op.drop_table("event_moves")
