"""Shared plumbing of the SQL use cases: row mapping, the person guard and the audit line."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from backend_client.clock import Clock
from backend_client.errors import PersonGone
from backend_client.models import AgeBand, ConsentStatus, Person, Role
from backend_client.sql.infra.engine import DbConnection, SqlEngine, single_statements
from backend_client.sql.infra.prepared import Prepared
from backend_client.sql.tables import audit_log, people

PERSON_COLUMNS = (people.c.id, people.c.role, people.c.age_band, people.c.consent_status, people.c.created_at)

# Every use case reads the person and most write an audit line: built once. A statement built per call
# costs SQLAlchemy construction and a fresh cache key each time (~30-50 µs here); a prebuilt one keeps
# its key, and the use cases' statements were half the engine's time in the Telegram benchmark.
_PERSON_QUERY = select(*PERSON_COLUMNS).where(people.c.id == bindparam("person_id"))
_PERSON = Prepared(_PERSON_QUERY)
_PERSON_LOCKED = Prepared(_PERSON_QUERY.with_for_update())  # PostgreSQL; SQLite's BEGIN IMMEDIATE locks
_AUDIT = Prepared(
    insert(audit_log).values(
        at=bindparam("at"),
        action=bindparam("action"),
        actor_id=bindparam("actor_id"),
        subject_id=bindparam("subject_id"),
        details=bindparam("details", type_=audit_log.c.details.type),
    )
)


@cache
def _person_update(columns: frozenset[str]) -> Prepared:
    """``UPDATE people SET <columns> WHERE id = :person_id RETURNING ...``, one per set of columns."""
    values = {name: bindparam(f"v_{name}", type_=people.c[name].type) for name in columns}
    return Prepared(
        update(people).where(people.c.id == bindparam("person_id")).values(values).returning(*PERSON_COLUMNS)
    )


def person_from(row: Any) -> Person:
    return Person(
        id=row.id,
        role=Role(row.role) if row.role else None,
        age_band=AgeBand(row.age_band) if row.age_band else None,
        consent=ConsentStatus(row.consent_status),
        created_at=row.created_at,
    )


class SqlUseCases:
    """Base of the SQL use-case mixins: each public method opens and owns exactly one transaction.

    Helpers that take a ``connection`` run inside the caller's transaction and never commit. Use cases
    that are a single statement (reads, one UPDATE) run on ``_quick``, without BEGIN/COMMIT round trips.
    """

    def __init__(self, engine: SqlEngine, clock: Clock) -> None:
        self._engine = engine
        self._quick = single_statements(engine)
        self._clock = clock

    async def _person(self, connection: DbConnection, person_id: int, *, lock: bool = False) -> Person:
        """The person, or PersonGone. ``lock`` holds the row until commit (SQLite: BEGIN IMMEDIATE does)."""
        query = _PERSON_LOCKED if lock and connection.dialect.name == "postgresql" else _PERSON
        rows = (await query.run(connection, {"person_id": person_id})).rows
        if not rows:
            raise PersonGone(str(person_id))
        return person_from(rows[0])

    @staticmethod
    async def _update_person(connection: DbConnection, person_id: int, **values: str | None) -> Person:
        """Change columns of the person and return the result in the same round trip."""
        parameters = {f"v_{name}": value for name, value in values.items()}
        statement = _person_update(frozenset(values))
        rows = (await statement.run(connection, {"person_id": person_id, **parameters})).rows
        if not rows:
            raise PersonGone(str(person_id))
        return person_from(rows[0])

    async def _audit(
        self,
        connection: DbConnection,
        action: str,
        *,
        actor: int | None,
        subject: int | None,
        **details: str,
    ) -> None:
        """Record that something happened. Details are codes and field names, never personal values."""
        await _AUDIT.run(
            connection,
            {
                "at": self._clock.now(),
                "action": action,
                "actor_id": actor,
                "subject_id": subject,
                "details": details,
            },
        )
