"""Effects keyed by the press that caused them: a repeat of the press returns the first result.

A flow's effect (a campaign, a system message) commits in its own transaction, before the conversation
state is saved. A press can come again after that commit: a double tap landing on two replicas, the same
update delivered twice, a state save that failed and a redelivery, the still-valid button pressed after
an apology. The press's key (``Actor.press``: the button's one-time token or the answered step's state
version) is inserted here in the effect's transaction, first, so the database decides: the first press
acts and stores its result; every repeat waits for it (PostgreSQL: the primary key; SQLite: one writer)
and gets that result back without acting.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, select, text

from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.infra.prepared import Prepared
from backend_client.sql.tables import press_effects

# Plain text for the same reason as the receipt insert in journal.py: a dialect INSERT ... ON CONFLICT is
# never cached by SQLAlchemy.
_CLAIM = Prepared(
    text(
        f"INSERT INTO {press_effects.name} (key, result, at) VALUES (:key, '', :at) ON CONFLICT DO NOTHING"
    ).bindparams(
        bindparam("key", type_=press_effects.c.key.type), bindparam("at", type_=press_effects.c.at.type)
    )
)
_EARLIER = Prepared(select(press_effects.c.result).where(press_effects.c.key == bindparam("key")))
_REMEMBER = Prepared(
    press_effects.update().where(press_effects.c.key == bindparam("k")).values(result=bindparam("result"))
)


def effect_key(effect: str, press: str) -> str:
    """One press may cause several kinds of effect; each is keyed apart. Empty when there is no press."""
    return f"{effect}|{press}" if press else ""


async def earlier_result(connection: DbConnection, key: str, now: datetime) -> str | None:
    """Claim ``key`` (``effect_key``) in the caller's transaction. None: this is the first press, go on
    and act (then ``remember`` the result); a string: the result the first press stored, act no more."""
    if not key:
        return None  # no press behind the call (the command line): every call acts
    if (await _CLAIM.run(connection, {"key": key, "at": now})).rowcount == 1:
        return None
    rows = (await _EARLIER.run(connection, {"key": key})).rows
    return str(rows[0].result) if rows else None


async def remember(connection: DbConnection, key: str, result: str | int) -> None:
    if key:
        await _REMEMBER.run(connection, {"k": key, "result": str(result)})


async def prune_presses(connection: DbConnection, before: datetime) -> int:
    result = await connection.execute(delete(press_effects).where(press_effects.c.at < before))
    return int(result.rowcount or 0)
