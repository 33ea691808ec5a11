"""Graduation dates and the outcome check-ins over SQL.

An answer is kept once per person and check-in: the primary key (person, months) decides, so a double
tap, a redelivery or two replicas record one outcome and every later press gets the first answer back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import or_, select

from backend_client.errors import ConsentRequired
from backend_client.models import ConsentStatus
from backend_client.plans import (
    CHECK_IN_MONTHS,
    SETTLED,
    CheckInTarget,
    NotACheckIn,
    Outcome,
    OutcomeStatus,
    check_graduation,
    months_after,
)
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.dialects import upsert
from backend_client.sql.plans.tables import graduations, outcomes
from backend_client.sql.tables import people


class SqlOutcomes(SqlUseCases):
    async def graduation_of(self, person_id: int) -> date | None:
        query = select(graduations.c.graduated_on).where(graduations.c.person_id == person_id)
        async with self._quick.connect() as connection:
            row = (await connection.execute(query)).first()
        return row.graduated_on if row else None

    async def set_graduation(self, person_id: int, graduated_on: date, *, today: date) -> None:
        """Given or corrected by the person (ConsentRequired without consent; BadGraduation for a date
        more than five years back or two ahead)."""
        check_graduation(graduated_on, today)
        now = self._clock.now()
        async with self._engine.begin() as connection:
            person = await self._person(connection, person_id, lock=True)
            if not person.may_store_personal_data:
                raise ConsentRequired(str(person_id))
            await connection.execute(
                upsert(connection, graduations)
                .values(person_id=person_id, graduated_on=graduated_on, recorded_at=now)
                .on_conflict_do_update(
                    index_elements=[graduations.c.person_id],
                    set_={"graduated_on": graduated_on, "recorded_at": now},
                )
            )
            await self._audit(connection, "graduation.set", actor=person_id, subject=person_id)

    async def record_outcome(
        self, person_id: int, months: int, status: OutcomeStatus, *, today: date
    ) -> tuple[Outcome, bool]:
        """(the outcome kept, whether this call recorded it). NotACheckIn for months other than 3, 6, 12,
        without a graduation date or before the check-in is due; ConsentRequired without consent."""
        if months not in CHECK_IN_MONTHS:
            raise NotACheckIn(str(months))
        now = self._clock.now()
        async with self._engine.begin() as connection:
            person = await self._person(connection, person_id)
            if not person.may_store_personal_data:
                raise ConsentRequired(str(person_id))
            graduated = (
                await connection.execute(
                    select(graduations.c.graduated_on).where(graduations.c.person_id == person_id)
                )
            ).first()
            if graduated is None or months_after(graduated.graduated_on, months) > today:
                raise NotACheckIn(str(months))
            inserted = (
                await connection.execute(
                    upsert(connection, outcomes)
                    .values(person_id=person_id, months=months, status=status.value, answered_at=now)
                    .on_conflict_do_nothing()
                )
            ).rowcount == 1
            row = (
                await connection.execute(
                    select(outcomes).where(outcomes.c.person_id == person_id, outcomes.c.months == months)
                )
            ).one()
            if inserted:
                await self._audit(
                    connection, "outcome.answer", actor=person_id, subject=person_id, months=str(months)
                )
        return Outcome(person_id, row.months, OutcomeStatus(row.status), row.answered_at), inserted

    async def outcomes_of(self, person_id: int) -> list[Outcome]:
        query = select(outcomes).where(outcomes.c.person_id == person_id).order_by(outcomes.c.months)
        async with self._quick.connect() as connection:
            return [
                Outcome(row.person_id, row.months, OutcomeStatus(row.status), row.answered_at)
                for row in await connection.execute(query)
            ]

    async def check_in_targets(self, graduated_within: Sequence[tuple[date, date]]) -> list[CheckInTarget]:
        """People with consent who graduated within one of the (first, last) day ranges, with the
        check-ins they answered."""
        if not graduated_within:
            return []
        query = (
            select(graduations.c.person_id, graduations.c.graduated_on, outcomes.c.months, outcomes.c.status)
            .join(people, people.c.id == graduations.c.person_id)
            .outerjoin(outcomes, outcomes.c.person_id == graduations.c.person_id)
            .where(
                people.c.consent_status == ConsentStatus.GRANTED.value,
                or_(*(graduations.c.graduated_on.between(first, last) for first, last in graduated_within)),
            )
            .order_by(graduations.c.person_id)
        )
        found: dict[int, tuple[date, set[int], bool]] = {}
        async with self._quick.connect() as connection:
            for row in await connection.execute(query):
                graduated_on, answered, settled = found.get(row.person_id, (row.graduated_on, set(), False))
                if row.months is not None:
                    answered.add(row.months)
                    settled = settled or OutcomeStatus(row.status) in SETTLED
                found[row.person_id] = (graduated_on, answered, settled)
        return [
            CheckInTarget(person, graduated_on, frozenset(answered), settled)
            for person, (graduated_on, answered, settled) in found.items()
        ]
