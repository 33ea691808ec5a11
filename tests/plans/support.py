"""People for the plan tests: a consenting graduate behind a test account, and an operator."""

from __future__ import annotations

from datetime import date

from backend_client.broadcasts import Actor
from backend_client.models import AgeBand, Role

TODAY = date(2026, 9, 1)  # ManualClock's start, 13:00 in Samara
OPERATOR = Actor("test", "op")


async def graduate(database, account: str = "g1", *, consent: bool = True) -> int:
    records = database.records
    person = await records.identify("test", account, account)
    await records.choose_role(person.id, Role.GRADUATE, AgeBand.ADULT)
    if consent:
        await records.give_own_consent(person.id, version="v1", channel="test")
    return int(person.id)


async def operator(database, account: str = "op") -> Actor:
    await database.broadcasts.grant_operator("test", account, by="test")
    return Actor("test", account)
