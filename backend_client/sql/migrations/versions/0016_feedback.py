"""«Обратная связь»: tickets (anonymous figures), their owners and their messages.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend_client.sql.infra.types import UtcDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _person(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["person_id"], ["people.id"], name=f"fk_{table}_person_id_people", ondelete="CASCADE"
    )


def _ticket(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["ticket_id"],
        ["feedback_tickets.id"],
        name=f"fk_{table}_ticket_id_feedback_tickets",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "feedback_tickets",
        sa.Column("id", Id, autoincrement=True),
        sa.Column("topic", sa.String(16), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("opened_at", UtcDateTime(), nullable=False),
        sa.Column("first_answer_at", UtcDateTime(), nullable=True),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.Column("closed_by", sa.String(8), nullable=True),
        sa.Column("messages_in", sa.Integer, nullable=False),
        sa.Column("messages_out", sa.Integer, nullable=False),
        sa.Column("assigned_to", sa.String(96), nullable=True),
        sa.Column("assigned_at", UtcDateTime(), nullable=True),
        sa.Column("rating", sa.SmallInteger, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_feedback_tickets"),
    )
    op.create_index("ix_feedback_tickets_status_opened_at", "feedback_tickets", ["status", "opened_at"])
    op.create_table(
        "feedback_owners",
        sa.Column("ticket_id", Id, autoincrement=False),
        sa.Column("person_id", Id, nullable=False),
        sa.Column("shared", sa.Boolean, nullable=False),
        sa.Column("comment", sa.String(500), nullable=True),
        sa.PrimaryKeyConstraint("ticket_id", name="pk_feedback_owners"),
        _ticket("feedback_owners"),
        _person("feedback_owners"),
    )
    op.create_index("ix_feedback_owners_person_id", "feedback_owners", ["person_id"])
    op.create_table(
        "feedback_messages",
        sa.Column("id", Id, autoincrement=True),
        sa.Column("ticket_id", Id, nullable=False),
        sa.Column("person_id", Id, nullable=False),
        sa.Column("author", sa.String(8), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feedback_messages"),
        _ticket("feedback_messages"),
        _person("feedback_messages"),
    )
    op.create_index("ix_feedback_messages_ticket_id", "feedback_messages", ["ticket_id"])
    op.create_index("ix_feedback_messages_person_id", "feedback_messages", ["person_id"])


def downgrade() -> None:
    op.drop_table("feedback_messages")
    op.drop_table("feedback_owners")
    op.drop_table("feedback_tickets")
