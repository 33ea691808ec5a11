"""Counts of what people ask in free text: per UTC day, intent and confidence band; no text, no person.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nlu_asks",
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("intent", sa.String(48), nullable=False),
        sa.Column("band", sa.String(8), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("day", "intent", "band", name="pk_nlu_asks"),
    )


def downgrade() -> None:
    op.drop_table("nlu_asks")
