"""Tables of the graduates' plan and outcomes, on the store's one ``metadata`` (``schema.py`` lists it).

- ``plan_steps``: the steps agreed with the employment centre; one text per person and due day (an
  import or a command given twice is one step). ``version`` grows with each move: reminder keys carry it.
- ``graduations``: when the person finished (or will finish) their studies: the check-ins count from it.
- ``outcomes``: the answers to the check-ins, one per person and check-in (the primary key decides).
All three are personal data: in «Мои данные», exported, deleted with the person (foreign keys cascade).
"""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, SmallInteger, String, Table, UniqueConstraint

from backend_client.sql.infra.types import UtcDateTime
from backend_client.sql.tables import Id, metadata

plan_steps = Table(
    "plan_steps",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("text", String(300), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("place", String(200), nullable=False),
    Column("status", String(8), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("done_at", UtcDateTime(), nullable=True),
    UniqueConstraint("person_id", "due_on", "text", name="uq_plan_steps_person_id_due_on_text"),
    Index("ix_plan_steps_status_due_on", "status", "due_on"),  # the reminder rule's sweep
)

graduations = Table(
    "graduations",
    metadata,
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("graduated_on", Date, nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    Index("ix_graduations_graduated_on", "graduated_on"),  # the check-in rule's sweep
)

outcomes = Table(
    "outcomes",
    metadata,
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("months", SmallInteger, primary_key=True, autoincrement=False),  # 3, 6 or 12
    Column("status", String(16), nullable=False),
    Column("answered_at", UtcDateTime(), nullable=False),
)
