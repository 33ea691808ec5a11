"""Operators over SQL: who holds the role, granting and revoking it, and the check every operator use case
makes first.

Every operator action checks the role inside its own transaction and writes an audit line there too,
so a revoked operator cannot act with a screen opened before the revocation. ``CLI`` (an ``Actor``) stands for
the command line, which runs with the database's own credentials and needs no grant.
"""

from __future__ import annotations

from sqlalchemy import bindparam, delete, exists, select

from backend_client.broadcasts import Actor, NotOperator
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.dialects import upsert
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.infra.prepared import Prepared
from backend_client.sql.tables import channel_accounts, operators


class SqlOperators(SqlUseCases):
    """The operator half of ``backend_client.ports.Broadcasts``."""

    async def is_operator(self, channel: str, account_id: str) -> bool:
        async with self._quick.connect() as connection:
            return await _granted(connection, channel, account_id)

    async def grant_operator(self, channel: str, account_id: str, *, by: str) -> bool:
        """Grant the role (idempotent); False when the account already held it."""
        async with self._engine.begin() as connection:
            result = await connection.execute(
                upsert(connection, operators)
                .values(channel=channel, external_id=account_id, granted_at=self._clock.now(), granted_by=by)
                .on_conflict_do_nothing()
            )
            added = result.rowcount == 1
            if added:
                await self._audit(
                    connection, "operator.grant", actor=None, subject=None, channel=channel, by=by
                )
        return added

    async def revoke_operator(self, channel: str, account_id: str, *, by: str) -> bool:
        async with self._engine.begin() as connection:
            result = await connection.execute(
                delete(operators).where(operators.c.channel == channel, operators.c.external_id == account_id)
            )
            removed = result.rowcount == 1
            if removed:
                await self._audit(
                    connection, "operator.revoke", actor=None, subject=None, channel=channel, by=by
                )
        return removed

    async def operator_accounts(self) -> list[tuple[str, str]]:
        async with self._quick.connect() as connection:
            rows = await connection.execute(
                select(operators.c.channel, operators.c.external_id).order_by(
                    operators.c.channel, operators.c.external_id
                )
            )
            return [(row.channel, row.external_id) for row in rows]


# Asked for every menu shown, so built once.
_GRANTED = Prepared(
    select(
        exists()
        .where(operators.c.channel == bindparam("channel"), operators.c.external_id == bindparam("account"))
        .label("granted")
    )
)


async def operator_check(connection: DbConnection, actor: Actor) -> int | None:
    """Every operator use case's first step, inside its own transaction (a revocation stops the very next
    call): the actor's person id for the audit line (None for the CLI); NotOperator without a grant."""
    if actor.is_cli:
        return None
    if not await _granted(connection, actor.channel, actor.account_id):
        raise NotOperator()
    return (
        await connection.execute(
            select(channel_accounts.c.person_id).where(
                channel_accounts.c.channel == actor.channel,
                channel_accounts.c.external_id == actor.account_id,
            )
        )
    ).scalar()


async def _granted(connection: DbConnection, channel: str, account_id: str) -> bool:
    rows = (await _GRANTED.run(connection, {"channel": channel, "account": account_id})).rows
    return bool(rows[0].granted)
