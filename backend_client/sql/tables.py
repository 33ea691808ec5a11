"""The embedded store's tables (SQLAlchemy Core). Alembic migrations in ``migrations/`` create them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from backend_client.sql.infra.types import UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# BigInteger ids on PostgreSQL, INTEGER (the rowid alias) on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")

people = Table(
    "people",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("role", String(32), nullable=True),
    Column("age_band", String(16), nullable=True),
    Column("consent_status", String(24), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

channel_accounts = Table(
    "channel_accounts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("channel", String(16), nullable=False),
    Column("external_id", String(64), nullable=False),
    Column("chat_id", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("blocked_at", UtcDateTime(), nullable=True),
    UniqueConstraint("channel", "external_id", name="uq_channel_accounts_channel_external_id"),
)

consents = Table(
    "consents",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("version", String(32), nullable=False),
    Column("given_at", UtcDateTime(), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("given_by", String(16), nullable=False),
    # Who gave it, for a consent a parent gave for a child: it ends with its giver (withdrawn, erased or
    # unlinked; backend_client/sql/guardians.py), so SET NULL is only a guard against a stray delete.
    Column("guardian_id", Id, ForeignKey("people.id", ondelete="SET NULL"), nullable=True),
)

profiles = Table(
    "profiles",
    metadata,
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("display_name", String(64), nullable=True),
    Column("birth_year", Integer, nullable=True),
    Column("municipality", String(16), nullable=True),
    Column("institution", String(160), nullable=True),
    Column("grade", Integer, nullable=True),
    Column("course", Integer, nullable=True),
    Column("specialty", String(160), nullable=True),
    Column("interests", String(400), nullable=True),
    Column("contact_time", String(16), nullable=True),
    Column("updated_at", UtcDateTime(), nullable=False),
)

guardian_invites = Table(
    "guardian_invites",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("child_id", Id, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("purpose", String(16), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("used_at", UtcDateTime(), nullable=True),
    Column("used_by", Id, ForeignKey("people.id", ondelete="SET NULL"), nullable=True),
    Column("outcome", String(16), nullable=True),
)

guardian_links = Table(
    "guardian_links",
    metadata,
    Column("guardian_id", Id, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("child_id", Id, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("created_at", UtcDateTime(), nullable=False),
)

# Ids only, never a foreign key: erasing a person keeps the line that says it happened.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("action", String(48), nullable=False),
    Column("actor_id", BigInteger, nullable=True),
    Column("subject_id", BigInteger, nullable=True),
    Column("details", JSON, nullable=False),
    Index("ix_audit_log_subject_id", "subject_id"),
)

counters = Table(
    "counters",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

conversations = Table(
    "conversations",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("blob", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

seen_updates = Table(
    "seen_updates",
    metadata,
    Column("source", String(64), primary_key=True),
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("seen_at", UtcDateTime(), nullable=False, index=True),
    # The turn's replies (JSON) until the messenger took them; NULL once sent. See journal.py.
    Column("pending", Text, nullable=True),
    Index(
        "ix_seen_updates_pending",
        "seen_at",
        postgresql_where=text("pending IS NOT NULL"),
        sqlite_where=text("pending IS NOT NULL"),
    ),
)

# One row per effect of a press (a campaign, a system message ...): the press's key, in the effect's own
# transaction, makes a repeat of the press return the first result instead of acting again. See presses.py.
press_effects = Table(
    "press_effects",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("result", String(64), nullable=False),
    Column("at", UtcDateTime(), nullable=False, index=True),
)

# One row per proactive message to one channel account. ``key`` makes enqueueing idempotent.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("channel", String(16), nullable=False),
    Column("chat_id", String(64), nullable=False),
    Column("category", String(16), nullable=False),
    Column("priority", Integer, nullable=False),
    Column("critical", Boolean, nullable=False),
    Column("text", Text, nullable=False),
    Column("campaign_id", BigInteger, nullable=True, index=True),
    Column("not_before", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=True),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("lease_until", UtcDateTime(), nullable=True),
    Column("leased_by", String(64), nullable=True),
    Column("last_error", String(200), nullable=True),
    Column("sent_message_id", String(32), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime(), nullable=True),
    Index("ix_outbox_due", "status", "not_before"),
    Index("ix_outbox_claim", "status", "priority", "not_before", "id"),  # claims read it in send order
)

notification_modes = Table(
    "notification_modes",
    metadata,
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("category", String(16), primary_key=True),
    Column("mode", String(16), nullable=False),
)

# Minutes after local midnight; a row exists only when the person changed the default for their age.
quiet_hours = Table(
    "quiet_hours",
    metadata,
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("start_minute", Integer, nullable=False),
    Column("end_minute", Integer, nullable=False),
)

# Named leases: who may act alone for a while (the one active scheduler among several processes).
leases = Table(
    "leases",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", String(64), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
)

# Career tests: an attempt is personal data (deleted with the person); answers are saved one by one.
career_attempts = Table(
    "career_attempts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("instrument", String(32), nullable=False),
    Column("version", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("answers", JSON, nullable=False),
    Column("scores", JSON, nullable=True),
    Column("code", String(8), nullable=True),
    Column("leading", String(16), nullable=True),
    Column("verdict", String(16), nullable=True),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime(), nullable=True),
)

career_sharing = Table(
    "career_sharing",
    metadata,
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("with_guardians", Boolean, nullable=False),
    Column("changed_at", UtcDateTime(), nullable=False),
)

# The operator's list of in-demand professions (catalogue ids); replaced as a whole on import.
in_demand_professions = Table(
    "in_demand_professions",
    metadata,
    Column("profession_id", String(48), primary_key=True),
    Column("source", String(200), nullable=False),
    Column("imported_at", UtcDateTime(), nullable=False),
)

# Accounts allowed to act as operators: keyed by messenger account, so a grant can precede the first
# message. Granted from the CLI or the configuration, never from inside the bot.
operators = Table(
    "operators",
    metadata,
    Column("channel", String(16), primary_key=True),
    Column("external_id", String(64), primary_key=True),
    Column("granted_at", UtcDateTime(), nullable=False),
    Column("granted_by", String(64), nullable=False),
)

# Planned works and emergencies; their messages are campaigns pointing back here.
system_messages = Table(
    "system_messages",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("starts_at", UtcDateTime(), nullable=False),
    Column("ends_at", UtcDateTime(), nullable=True),
    Column("created_by", BigInteger, nullable=True),  # the operator's person id; None from the CLI
    Column("created_at", UtcDateTime(), nullable=False),
    Column("cancelled_at", UtcDateTime(), nullable=True),
)

campaigns = Table(
    "campaigns",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(24), nullable=False),
    Column("text", Text, nullable=False),
    Column("audience", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("not_before", UtcDateTime(), nullable=False),
    Column("system_message_id", Id, ForeignKey("system_messages.id", ondelete="CASCADE"), nullable=True),
    Column("created_by", BigInteger, nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("started_at", UtcDateTime(), nullable=True),
    Column("cancelled_at", UtcDateTime(), nullable=True),
    Column("recipients", Integer, nullable=True),
    Column("cursor", BigInteger, nullable=True),  # fan-out progress: the last person id enqueued
    Index("ix_campaigns_due", "status", "not_before"),
)

# What people ask in free text, counted per UTC day, intent and confidence band: no text, no person.
nlu_asks = Table(
    "nlu_asks",
    metadata,
    Column("day", Date, primary_key=True),
    Column("intent", String(48), primary_key=True),
    Column("band", String(8), primary_key=True),
    Column("count", Integer, nullable=False),
)

# «Профтуры и профпробы». ``version`` grows with every change reminders depend on (time, place, cancel);
# ``roles`` is ",pupil,college_student," (empty: everyone), so a LIKE filters it the same on both databases.
events = Table(
    "events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("external_id", String(64), nullable=True, unique=True),
    Column("kind", String(16), nullable=False),
    Column("title", String(160), nullable=False),
    Column("organisation", String(160), nullable=False),
    Column("municipality", String(16), nullable=False),
    Column("address", String(240), nullable=False),
    Column("starts_at", UtcDateTime(), nullable=False),
    Column("ends_at", UtcDateTime(), nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("roles", String(160), nullable=False),
    Column("grade_from", Integer, nullable=True),
    Column("grade_to", Integer, nullable=True),
    Column("course_from", Integer, nullable=True),
    Column("course_to", Integer, nullable=True),
    Column("min_age_band", String(16), nullable=True),
    Column("status", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_by", BigInteger, nullable=True),  # the operator's person id; None from the CLI
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("cancelled_at", UtcDateTime(), nullable=True),
    Index("ix_events_status_starts_at", "status", "starts_at"),
)

# Every move of an event (a new time or place), with what it was before: the reminder rule tells the people
# signed up «было … → стало …» once per move (keyed by ``version``, the event's version after the move).
event_moves = Table(
    "event_moves",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("event_id", Id, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("starts_at", UtcDateTime(), nullable=False),
    Column("municipality", String(16), nullable=False),
    Column("address", String(240), nullable=False),
    Column("moved_at", UtcDateTime(), nullable=False),
    Index("ix_event_moves_event", "event_id", "version"),
    Index("ix_event_moves_moved_at", "moved_at"),
)

# A sign-up is personal data: deleted with the person. One row per (event, person): signing up again
# after cancelling reactivates it, and a repeated sign-up changes nothing.
event_signups = Table(
    "event_signups",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("event_id", Id, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("cancelled_at", UtcDateTime(), nullable=True),
    UniqueConstraint("event_id", "person_id", name="uq_event_signups_event_id_person_id"),
)
