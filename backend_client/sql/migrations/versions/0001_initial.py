"""People, channel accounts, consents, profiles, guardian invites and links, audit, counters, conversations.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend_client.sql.infra.types import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("role", sa.String(32), nullable=True),
        sa.Column("age_band", sa.String(16), nullable=True),
        sa.Column("consent_status", sa.String(24), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
    )
    op.create_table(
        "channel_accounts",
        sa.Column("id", Id, autoincrement=True),
        sa.Column("person_id", Id, nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("blocked_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_channel_accounts"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_channel_accounts_person_id_people", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("channel", "external_id", name="uq_channel_accounts_channel_external_id"),
    )
    op.create_index("ix_channel_accounts_person_id", "channel_accounts", ["person_id"])
    op.create_table(
        "consents",
        sa.Column("id", Id, autoincrement=True),
        sa.Column("person_id", Id, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("given_at", UtcDateTime(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("given_by", sa.String(16), nullable=False),
        sa.Column("guardian_id", Id, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_consents"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_consents_person_id_people", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["guardian_id"], ["people.id"], name="fk_consents_guardian_id_people", ondelete="SET NULL"
        ),
    )
    op.create_index("ix_consents_person_id", "consents", ["person_id"])
    op.create_table(
        "profiles",
        sa.Column("person_id", Id, nullable=False),
        sa.Column("display_name", sa.String(64), nullable=True),
        sa.Column("birth_year", sa.Integer, nullable=True),
        sa.Column("municipality", sa.String(16), nullable=True),
        sa.Column("institution", sa.String(160), nullable=True),
        sa.Column("grade", sa.Integer, nullable=True),
        sa.Column("course", sa.Integer, nullable=True),
        sa.Column("specialty", sa.String(160), nullable=True),
        sa.Column("interests", sa.String(400), nullable=True),
        sa.Column("contact_time", sa.String(16), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name="pk_profiles"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_profiles_person_id_people", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "guardian_invites",
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("child_id", Id, nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("used_at", UtcDateTime(), nullable=True),
        sa.Column("used_by", Id, nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.PrimaryKeyConstraint("code", name="pk_guardian_invites"),
        sa.ForeignKeyConstraint(
            ["child_id"], ["people.id"], name="fk_guardian_invites_child_id_people", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["used_by"], ["people.id"], name="fk_guardian_invites_used_by_people", ondelete="SET NULL"
        ),
    )
    op.create_index("ix_guardian_invites_child_id", "guardian_invites", ["child_id"])
    op.create_table(
        "guardian_links",
        sa.Column("guardian_id", Id, nullable=False),
        sa.Column("child_id", Id, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("guardian_id", "child_id", name="pk_guardian_links"),
        sa.ForeignKeyConstraint(
            ["guardian_id"], ["people.id"], name="fk_guardian_links_guardian_id_people", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["child_id"], ["people.id"], name="fk_guardian_links_child_id_people", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_guardian_links_child_id", "guardian_links", ["child_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", Id, autoincrement=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("action", sa.String(48), nullable=False),
        sa.Column("actor_id", sa.BigInteger, nullable=True),
        sa.Column("subject_id", sa.BigInteger, nullable=True),
        sa.Column("details", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_subject_id", "audit_log", ["subject_id"])
    op.create_table(
        "counters",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_counters"),
    )
    op.create_table(
        "conversations",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("blob", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_conversations"),
    )


def downgrade() -> None:
    for table in (
        "conversations",
        "counters",
        "audit_log",
        "guardian_links",
        "guardian_invites",
        "profiles",
        "consents",
        "channel_accounts",
        "people",
    ):
        op.drop_table(table)
