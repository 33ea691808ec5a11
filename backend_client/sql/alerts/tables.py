"""Tables of vacancy alerts, on the store's one ``metadata`` (``backend_client/sql/tables.py`` imports this
module at its end, after the vacancy tables).

- ``saved_searches``: a person's subscriptions (personal data: deleted with the person).
- ``saved_search_keys``: the matching index. A search with words has one row per kind it asks for (or
  one with kind "") under its rarest word and its municipality (or ""); a search without words the same
  under the word "". A vacancy probes it with each of its words and "" × (its municipality, "") × (its
  kind, ""), so it meets only the searches that can match it. A paused search has no rows.
- ``vacancy_alert_items``: each (person, vacancy) ever matched, once — the primary key is what makes an
  alert never come twice, across re-imports, restarts and processes matching at once. ``alert_id`` is
  empty until the item goes out in an alert; feedback and «opened» are kept on it.
- ``vacancy_alerts``: one per alert message that went out (taken at sending time, ``notice`` is its
  outbox key's tail), for the report and «показать все».
- ``alert_unsubscribes``: who stopped which subscription and why (the reason is given after, optional).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    text,
)

from backend_client.sql.infra.types import UtcDateTime
from backend_client.sql.tables import Id, metadata

saved_searches = Table(
    "saved_searches",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("text", String(200), nullable=False),  # the words as typed
    Column("terms", String(300), nullable=False),  # their search terms, space-separated
    Column("exclude", String(200), nullable=False),
    Column("exclude_terms", String(300), nullable=False),
    Column("municipality", String(16), nullable=True),
    Column("kinds", String(80), nullable=False),  # ",job,internship," or "" (any)
    Column("part_time", Boolean, nullable=False),
    Column("salary_from", Integer, nullable=True),
    Column("no_experience", Boolean, nullable=False),
    Column("remote", Boolean, nullable=False),
    Column("frequency", String(8), nullable=False),
    Column("paused", Boolean, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

saved_search_keys = Table(
    "saved_search_keys",
    metadata,
    Column("term", String(40), primary_key=True),
    Column("place", String(16), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column(
        "search_id",
        Id,
        ForeignKey("saved_searches.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Index("ix_saved_search_keys_search_id", "search_id"),
    sqlite_with_rowid=False,
)

vacancy_alerts = Table(
    "vacancy_alerts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("search_id", Id, ForeignKey("saved_searches.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("notice", String(64), nullable=False, unique=True),  # "<search id>:<token>" of its outbox key
    Column("created_at", UtcDateTime(), nullable=False),
)

vacancy_alert_items = Table(
    "vacancy_alert_items",
    metadata,
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("vacancy_id", Id, ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True),
    Column("search_id", Id, ForeignKey("saved_searches.id", ondelete="SET NULL"), nullable=True),
    Column("alert_id", Id, ForeignKey("vacancy_alerts.id", ondelete="SET NULL"), nullable=True),
    Column("matched_at", UtcDateTime(), nullable=False),
    Column("opened_at", UtcDateTime(), nullable=True),
    Column("feedback", SmallInteger, nullable=True),  # 1: 👍, -1: 👎
    Column("feedback_at", UtcDateTime(), nullable=True),
    # The items waiting for a search's next alert, and an alert's items (only those sent: matching
    # writes items without an alert, and every write here is paid per matched pair). No index by
    # vacancy: vacancies are closed, never deleted.
    Index("ix_vacancy_alert_items_search_waiting", "search_id", "alert_id"),
    Index(
        "ix_vacancy_alert_items_alert_id",
        "alert_id",
        postgresql_where=text("alert_id IS NOT NULL"),
        sqlite_where=text("alert_id IS NOT NULL"),
    ),
)

alert_unsubscribes = Table(
    "alert_unsubscribes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("text", String(200), nullable=False),  # what the subscription was, for the person's own export
    Column("municipality", String(16), nullable=True),
    Column("kinds", String(80), nullable=False),
    Column("reason", String(16), nullable=True),
    Column("at", UtcDateTime(), nullable=False),
)
