"""Colleges: the catalogue of the region's colleges and technical schools with their specialties.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend_client.sql.infra.types import UtcDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "colleges",
        sa.Column("id", sa.String(48)),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("municipality", sa.String(16), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("site", sa.String(200), nullable=False),
        sa.Column("programs", sa.JSON, nullable=False),
        sa.Column("professions", sa.String(2000), nullable=False),
        sa.Column("illustrative", sa.Boolean, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("imported_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_colleges"),
    )
    op.create_index("ix_colleges_municipality", "colleges", ["municipality"])


def downgrade() -> None:
    op.drop_index("ix_colleges_municipality", table_name="colleges")
    op.drop_table("colleges")
