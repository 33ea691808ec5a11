"""Exactly once per press: effects keyed by the press that caused them, and replies kept until sent.

``press_effects`` holds one row per effect a button press or typed answer caused, written in the
effect's own transaction, so a repeat of the press (a double tap, a redelivery, another replica) finds
the row and returns the first result instead of acting again. ``seen_updates.pending`` keeps the replies
of an update until the messenger took them, so a reply lost to a crash or a failed send is sent again.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend_client.sql.infra.types import UtcDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "press_effects",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("result", sa.String(64), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_press_effects"),
    )
    op.create_index("ix_press_effects_at", "press_effects", ["at"])
    with op.batch_alter_table("seen_updates") as table:
        table.add_column(sa.Column("pending", sa.Text, nullable=True))
    op.create_index(
        "ix_seen_updates_pending",
        "seen_updates",
        ["seen_at"],
        postgresql_where=sa.text("pending IS NOT NULL"),
        sqlite_where=sa.text("pending IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_seen_updates_pending", table_name="seen_updates")
    with op.batch_alter_table("seen_updates") as table:
        table.drop_column("pending")
    op.drop_table("press_effects")
