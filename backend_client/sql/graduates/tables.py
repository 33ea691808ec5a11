"""Tables of the graduates' route to work, on the store's one ``metadata`` (collected in ``schema.py``).

- ``graduate_surveys``: a person's current answers to «Анкета выпускника» (codes), one row per person,
  with the band and reasons they scored (personal data: deleted with the person).
- ``graduate_survey_history``: every saved version of the answers, for the person's export and for the
  check-ins' "what changed" (deleted with the person).
- ``centre_slots``: the employment centres' published slots, imported by operators (no personal data);
  one per (municipality, service, start).
- ``centre_seats``: a slot's ``capacity`` seats, each held by one person at most. Booking takes a free
  seat with a conditional update, so the database decides who gets the last one; a person holds one
  seat at a time (the unique index); erasing a person frees their seat (SET NULL). ``version`` grows
  with every taking, so a reminder's key names the taking it is for.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
)

from backend_client.sql.infra.types import UtcDateTime
from backend_client.sql.tables import Id, metadata

graduate_surveys = Table(
    "graduate_surveys",
    metadata,
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("answers", JSON, nullable=False),  # question code -> answer code
    Column("band", String(12), nullable=False),
    Column("points", SmallInteger, nullable=False),
    Column("reasons", String(200), nullable=False),  # reason codes, comma-separated, largest first
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

graduate_survey_history = Table(
    "graduate_survey_history",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("answers", JSON, nullable=False),
    Column("band", String(12), nullable=False),
    Column("points", SmallInteger, nullable=False),
    Column("saved_at", UtcDateTime(), nullable=False),
)

centre_slots = Table(
    "centre_slots",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("municipality", String(16), nullable=False),
    Column("service", String(24), nullable=False),
    Column("starts_at", UtcDateTime(), nullable=False),
    Column("capacity", SmallInteger, nullable=False),
    Column("imported_at", UtcDateTime(), nullable=False),
    UniqueConstraint("municipality", "service", "starts_at", name="uq_centre_slots_municipality"),
    Index("ix_centre_slots_starts_at", "starts_at"),
)

centre_seats = Table(
    "centre_seats",
    metadata,
    Column("slot_id", Id, ForeignKey("centre_slots.id", ondelete="CASCADE"), primary_key=True),
    Column("seat", SmallInteger, primary_key=True, autoincrement=False),
    Column("person_id", Id, ForeignKey("people.id", ondelete="SET NULL"), nullable=True),
    Column("version", Integer, nullable=False),
    Column("booked_at", UtcDateTime(), nullable=True),
    Index("uq_centre_seats_person_id", "person_id", unique=True),
)
