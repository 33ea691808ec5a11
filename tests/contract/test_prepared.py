"""Prepared statements behave the same on the inline SQLite fast path and through SQLAlchemy (PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError, StatementError

from backend_client.sql.infra.prepared import Prepared
from backend_client.sql.tables import channel_accounts, people

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

_NEW = Prepared(
    insert(people)
    .values(role=None, age_band=None, consent_status=bindparam("status"), created_at=bindparam("at"))
    .returning(people.c.id, people.c.created_at)
)
_READ = Prepared(
    select(people.c.id, people.c.role, people.c.created_at).where(people.c.id == bindparam("id"))
)
_ROLE = Prepared(update(people).where(people.c.id == bindparam("b_id")).values(role=bindparam("b_role")))
_ACCOUNT = Prepared(
    insert(channel_accounts).values(
        person_id=bindparam("person"),
        channel="test",
        external_id=bindparam("ext"),
        chat_id="1",
        created_at=bindparam("at"),
    )
)


async def test_returning_rows_values_in_the_statement_and_types(database):
    async with database.engine.begin() as connection:
        created = (await _NEW.run(connection, {"status": "none", "at": NOW})).rows
        assert len(created) == 1
        person_id = created[0].id
        assert created[0].created_at.replace(tzinfo=UTC) == NOW  # the column's type converts back
        assert (await _ROLE.run(connection, {"b_id": person_id, "b_role": "student"})).rowcount == 1
        assert (await _ROLE.run(connection, {"b_id": person_id + 1000, "b_role": "student"})).rowcount == 0
        (row,) = (await _READ.run(connection, {"id": person_id})).rows
        assert (row.id, row.role) == (person_id, "student")  # role=None in the INSERT was a fixed value
    async with database.engine.connect() as connection:
        assert (await _READ.run(connection, {"id": person_id + 1000})).rows == []


async def test_a_broken_constraint_raises_sqlalchemys_integrity_error(database):
    async with database.engine.begin() as connection:
        person_id = (await _NEW.run(connection, {"status": "none", "at": NOW})).rows[0].id
        await _ACCOUNT.run(connection, {"person": person_id, "ext": "1", "at": NOW})
    with pytest.raises(IntegrityError):
        async with database.engine.begin() as connection:
            await _ACCOUNT.run(connection, {"person": person_id, "ext": "1", "at": NOW})
    async with database.engine.connect() as connection:  # the failed transaction left nothing behind
        assert len((await _READ.run(connection, {"id": person_id})).rows) == 1


async def test_a_missing_parameter_is_an_error_not_a_null(database):
    async with database.engine.connect() as connection:
        with pytest.raises((KeyError, StatementError)):
            await _READ.run(connection, {})
