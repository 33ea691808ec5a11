"""What consent allowed is forgotten when it ends without erasure (the person declines, or the parent's
consent a child under 14 rested on is withdrawn): every feature's rows of the person go, not only the
tables that existed when consent was built. Only the person's row, their messenger accounts, parents'
invites and their queued messages stay; a centre's seat they held is freed. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, insert, select

from backend_client.models import AgeBand, Role
from backend_client.sql.consents import KEPT_WITHOUT_CONSENT
from backend_client.sql.feedback.tables import feedback_messages, feedback_owners, feedback_tickets
from backend_client.sql.graduates.tables import centre_seats, centre_slots, graduate_surveys
from backend_client.sql.plans.tables import graduations, outcomes, plan_steps
from backend_client.sql.schema import metadata
from tests.contract.test_guardian_consents import TOLD, _family

NOW = datetime(2026, 12, 1, 10, tzinfo=UTC)


async def _everything_of(database, person_id: int) -> None:
    """A row of the person in tables of the features built after consent was."""
    async with database.engine.begin() as connection:
        await connection.execute(
            insert(graduate_surveys),
            {"person_id": person_id, "answers": {}, "band": "high", "points": 7, "reasons": ""}
            | {"version": 1, "created_at": NOW, "updated_at": NOW},
        )
        await connection.execute(
            insert(plan_steps),
            {"person_id": person_id, "text": "Резюме", "due_on": date(2026, 12, 20), "place": ""}
            | {"status": "open", "version": 1, "created_at": NOW, "updated_at": NOW},
        )
        await connection.execute(
            insert(graduations),
            {"person_id": person_id, "graduated_on": date(2026, 6, 1), "recorded_at": NOW},
        )
        await connection.execute(
            insert(outcomes), {"person_id": person_id, "months": 3, "status": "searching", "answered_at": NOW}
        )
        ticket = (
            await connection.execute(
                insert(feedback_tickets)
                .values(topic="question", status="open", opened_at=NOW, messages_in=1, messages_out=0)
                .returning(feedback_tickets.c.id)
            )
        ).scalar_one()
        await connection.execute(
            insert(feedback_owners), {"ticket_id": ticket, "person_id": person_id, "shared": True}
        )
        await connection.execute(
            insert(feedback_messages),
            {
                "ticket_id": ticket,
                "person_id": person_id,
                "author": "person",
                "text": "Где центр?",
                "at": NOW,
            },
        )
        slot = (
            await connection.execute(
                insert(centre_slots)
                .values(
                    municipality="36401", service="consultation", starts_at=NOW, capacity=1, imported_at=NOW
                )
                .returning(centre_slots.c.id)
            )
        ).scalar_one()
        await connection.execute(
            insert(centre_seats),
            {"slot_id": slot, "seat": 1, "person_id": person_id, "version": 1, "booked_at": NOW},
        )


async def _left_of(database, person_id: int) -> dict[str, int]:
    """Rows naming the person, per table (their own row, accounts, invites and outbox aside)."""
    found: dict[str, int] = {}
    async with database.engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table.name in KEPT_WITHOUT_CONSENT:
                continue
            for key in table.foreign_keys:
                if key.column.table.name == "people" and (table.name, key.parent.name) != (
                    "consents",
                    "guardian_id",
                ):
                    count = await connection.scalar(select(func.count()).where(key.parent == person_id))
                    if count:
                        found[f"{table.name}.{key.parent.name}"] = count
    return found


async def test_declining_forgets_every_feature_s_rows(database, records):
    person = await records.identify("test", "g", "g")
    await records.choose_role(person.id, Role.GRADUATE, AgeBand.ADULT)
    await records.give_own_consent(person.id, version="v1", channel="test")
    await records.save_profile(person.id, {"display_name": "Ира"})
    await _everything_of(database, person.id)
    assert set(await _left_of(database, person.id)) >= {"plan_steps.person_id", "feedback_messages.person_id"}

    await records.decline(person.id)

    assert await _left_of(database, person.id) == {}
    async with database.engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(feedback_tickets)) == 1  # counts stay
        seat = (await connection.execute(select(centre_seats))).one()
        assert seat.person_id is None  # the seat is free for someone else


async def test_a_parent_withdrawing_forgets_the_child_s_rows(database, records):
    mum, kid = await _family(records)
    await _everything_of(database, kid)
    await records.withdraw_given_consent(mum, kid, told=TOLD)
    assert await _left_of(database, kid) == {}
