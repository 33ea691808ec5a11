"""Reads shared by the use cases and the export: each runs inside the caller's connection."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Row
from sqlalchemy.sql.elements import ColumnElement

from backend_client.models import (
    PROFILE_FIELDS,
    ChannelAccount,
    Consent,
    ConsentKind,
    GivenBy,
    Invite,
    InviteOutcome,
    InvitePurpose,
    LinkedPerson,
    Profile,
)
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.infra.prepared import Prepared
from backend_client.sql.tables import channel_accounts, consents, guardian_invites, guardian_links, profiles

# Every menu shows the profile: built once, so each call skips statement construction.
_PROFILE = Prepared(select(profiles).where(profiles.c.person_id == bindparam("person")))


def invite_from(row: Row[Any]) -> Invite:
    return Invite(
        code=row.code,
        child_id=row.child_id,
        purpose=InvitePurpose(row.purpose),
        created_at=row.created_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
        outcome=InviteOutcome(row.outcome) if row.outcome else None,
    )


async def accounts_of(connection: DbConnection, person_id: int) -> list[ChannelAccount]:
    query = (
        select(channel_accounts)
        .where(channel_accounts.c.person_id == person_id)
        .order_by(channel_accounts.c.created_at, channel_accounts.c.id)
    )
    rows = (await connection.execute(query)).all()
    return [ChannelAccount(r.channel, r.external_id, r.chat_id, r.created_at, r.blocked_at) for r in rows]


async def consents_of(connection: DbConnection, person_id: int) -> list[Consent]:
    query = (
        select(consents).where(consents.c.person_id == person_id).order_by(consents.c.given_at, consents.c.id)
    )
    return [
        Consent(
            id=r.id,
            person_id=r.person_id,
            kind=ConsentKind(r.kind),
            version=r.version,
            given_at=r.given_at,
            channel=r.channel,
            given_by=GivenBy(r.given_by),
            guardian_id=r.guardian_id,
        )
        for r in (await connection.execute(query)).all()
    ]


async def profile_of(connection: DbConnection, person_id: int) -> Profile:
    """The stored profile, or an empty one when nothing is stored."""
    rows = (await _PROFILE.run(connection, {"person": person_id})).rows
    if not rows:
        return Profile(person_id)
    row = rows[0]
    return Profile(**{name: getattr(row, name) for name in ("person_id", *PROFILE_FIELDS, "updated_at")})


async def invites_of(connection: DbConnection, child_id: int) -> list[Invite]:
    query = (
        select(guardian_invites)
        .where(guardian_invites.c.child_id == child_id)
        .order_by(guardian_invites.c.created_at, guardian_invites.c.code)
    )
    return [invite_from(r) for r in (await connection.execute(query)).all()]


async def children_of(connection: DbConnection, guardian_id: int) -> list[LinkedPerson]:
    return await _linked(connection, guardian_links.c.guardian_id, guardian_links.c.child_id, guardian_id)


async def guardians_of(connection: DbConnection, child_id: int) -> list[LinkedPerson]:
    return await _linked(connection, guardian_links.c.child_id, guardian_links.c.guardian_id, child_id)


async def _linked(
    connection: DbConnection, mine: ColumnElement[int], other: ColumnElement[int], person_id: int
) -> list[LinkedPerson]:
    """The people on the other side of ``person_id``'s links, with the name they gave (if any)."""
    query = (
        select(other.label("person_id"), profiles.c.display_name, guardian_links.c.created_at)
        .select_from(guardian_links)
        .outerjoin(profiles, profiles.c.person_id == other)
        .where(mine == person_id)
        .order_by(guardian_links.c.created_at, other)
    )
    rows = (await connection.execute(query)).all()
    return [LinkedPerson(r.person_id, r.display_name, r.created_at) for r in rows]
