"""An index in the relay's send order, so a claim reads a few rows instead of sorting every due one.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_outbox_claim", "outbox", ["status", "priority", "not_before", "id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_claim", table_name="outbox")
