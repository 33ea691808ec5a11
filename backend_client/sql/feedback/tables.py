"""Tables of «Обратная связь», on the store's one ``metadata`` (collected in
``backend_client/sql/schema.py``).

A ticket is split in two so that erasure keeps the figures and loses the person, under the project's rule
that every reference to ``people`` cascades (``tests/contract/test_records.py``):

- ``feedback_tickets``: the anonymous figures of a ticket — topic, status, times, message counts, who of
  the operators holds it, the 👍/👎. No reference to the person: this row outlives them, and the report
  reads only it.
- ``feedback_owners``: whose ticket it is, whether they agreed to show the operator their role,
  municipality and earlier messages, and the rating's comment. Deleted with the person.
- ``feedback_messages``: what was written, both ways. Each row names the ticket's person (the owner,
  also for the centre's answers, which speak of them), so erasure deletes all the text.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, SmallInteger, String, Table, Text

from backend_client.sql.infra.types import UtcDateTime
from backend_client.sql.tables import Id, metadata

feedback_tickets = Table(
    "feedback_tickets",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("topic", String(16), nullable=False),
    Column("status", String(8), nullable=False),
    Column("opened_at", UtcDateTime(), nullable=False),
    Column("first_answer_at", UtcDateTime(), nullable=True),
    Column("closed_at", UtcDateTime(), nullable=True),
    Column("closed_by", String(8), nullable=True),  # "person", "centre"
    Column("messages_in", Integer, nullable=False),
    Column("messages_out", Integer, nullable=False),
    Column("assigned_to", String(96), nullable=True),  # "channel:account" of the operator
    Column("assigned_at", UtcDateTime(), nullable=True),
    Column("rating", SmallInteger, nullable=True),  # 1: 👍, -1: 👎
    Index("ix_feedback_tickets_status_opened_at", "status", "opened_at"),
)

feedback_owners = Table(
    "feedback_owners",
    metadata,
    Column(
        "ticket_id",
        Id,
        ForeignKey("feedback_tickets.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("shared", Boolean, nullable=False),
    Column("comment", String(500), nullable=True),
)

feedback_messages = Table(
    "feedback_messages",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column(
        "ticket_id", Id, ForeignKey("feedback_tickets.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("author", String(8), nullable=False),
    Column("text", Text, nullable=False),
    Column("at", UtcDateTime(), nullable=False),
)
