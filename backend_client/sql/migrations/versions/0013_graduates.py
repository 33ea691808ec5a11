"""Graduates' route to work: «Анкета выпускника» answers and their history, the employment centres'
slots and seats.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend_client.sql.infra.types import UtcDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _person(table: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["person_id"], ["people.id"], name=f"fk_{table}_person_id_people", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "graduate_surveys",
        sa.Column("person_id", Id, autoincrement=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("band", sa.String(12), nullable=False),
        sa.Column("points", sa.SmallInteger, nullable=False),
        sa.Column("reasons", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name="pk_graduate_surveys"),
        _person("graduate_surveys"),
    )
    op.create_table(
        "graduate_survey_history",
        sa.Column("id", Id, autoincrement=True),
        sa.Column("person_id", Id, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("band", sa.String(12), nullable=False),
        sa.Column("points", sa.SmallInteger, nullable=False),
        sa.Column("saved_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_graduate_survey_history"),
        _person("graduate_survey_history"),
    )
    op.create_index("ix_graduate_survey_history_person_id", "graduate_survey_history", ["person_id"])
    op.create_table(
        "centre_slots",
        sa.Column("id", Id, autoincrement=True),
        sa.Column("municipality", sa.String(16), nullable=False),
        sa.Column("service", sa.String(24), nullable=False),
        sa.Column("starts_at", UtcDateTime(), nullable=False),
        sa.Column("capacity", sa.SmallInteger, nullable=False),
        sa.Column("imported_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_centre_slots"),
        sa.UniqueConstraint("municipality", "service", "starts_at", name="uq_centre_slots_municipality"),
    )
    op.create_index("ix_centre_slots_starts_at", "centre_slots", ["starts_at"])
    op.create_table(
        "centre_seats",
        sa.Column("slot_id", Id, autoincrement=False),
        sa.Column("seat", sa.SmallInteger, autoincrement=False),
        sa.Column("person_id", Id, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("booked_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("slot_id", "seat", name="pk_centre_seats"),
        sa.ForeignKeyConstraint(
            ["slot_id"], ["centre_slots.id"], name="fk_centre_seats_slot_id_centre_slots", ondelete="CASCADE"
        ),
        _person("centre_seats", "SET NULL"),
    )
    op.create_index("uq_centre_seats_person_id", "centre_seats", ["person_id"], unique=True)


def downgrade() -> None:
    op.drop_table("centre_seats")
    op.drop_table("centre_slots")
    op.drop_table("graduate_survey_history")
    op.drop_table("graduate_surveys")
