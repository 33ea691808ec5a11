"""Career-test attempts: start, answer one by one, step back, complete or abandon; sharing with parents."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Row

from backend_client.errors import ConsentRequired
from backend_client.models import (
    AttemptStatus,
    CareerAttempt,
    CareerOutcome,
    ChildCareer,
    ConsentStatus,
)
from backend_client.sql import reads
from backend_client.sql.export import ExportSection, iso
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.dialects import upsert
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.tables import career_attempts, career_sharing

MAX_ANSWERS = 200  # far above any instrument: a guard against a runaway client, not a rule of the tests
MAX_KEY = 8


def attempt_from(row: Row[Any]) -> CareerAttempt:
    return CareerAttempt(
        id=row.id,
        person_id=row.person_id,
        instrument=row.instrument,
        version=row.version,
        status=AttemptStatus(row.status),
        answers=tuple(str(a) for a in row.answers or ()),
        started_at=row.started_at,
        updated_at=row.updated_at,
        finished_at=row.finished_at,
        scores={str(k): int(v) for k, v in (row.scores or {}).items()},
        code=row.code,
        leading=row.leading,
        verdict=row.verdict,
    )


async def attempts_of(connection: DbConnection, person_id: int) -> list[CareerAttempt]:
    query = (
        select(career_attempts)
        .where(career_attempts.c.person_id == person_id)
        .order_by(career_attempts.c.started_at.desc(), career_attempts.c.id.desc())
    )
    return [attempt_from(r) for r in (await connection.execute(query)).all()]


async def shared(connection: DbConnection, person_id: int) -> bool:
    query = select(career_sharing.c.with_guardians).where(career_sharing.c.person_id == person_id)
    return bool((await connection.execute(query)).scalar())


class SqlCareerTests(SqlUseCases):
    async def start_attempt(self, person_id: int, instrument: str, version: str) -> CareerAttempt:
        """A new attempt with no answers; an unfinished attempt of the same instrument is abandoned.

        Raises ConsentRequired unless the person's consent is GRANTED (answers are personal data),
        PersonGone for an unknown person.
        """
        now = self._clock.now()
        async with self._engine.begin() as connection:
            person = await self._person(connection, person_id, lock=True)
            if person.consent is not ConsentStatus.GRANTED:
                raise ConsentRequired(str(person_id))
            await connection.execute(
                self._open(person_id, instrument).values(
                    status=AttemptStatus.ABANDONED.value, answers=[], updated_at=now, finished_at=now
                )
            )
            row = (
                await connection.execute(
                    insert(career_attempts)
                    .values(
                        person_id=person_id,
                        instrument=instrument,
                        version=version,
                        status=AttemptStatus.IN_PROGRESS.value,
                        answers=[],
                        started_at=now,
                        updated_at=now,
                    )
                    .returning(*career_attempts.c)
                )
            ).one()
            await self._audit(
                connection, "career_test_started", actor=person_id, subject=person_id, instrument=instrument
            )
        return attempt_from(row)

    @staticmethod
    def _open(person_id: int, instrument: str) -> Any:
        return update(career_attempts).where(
            career_attempts.c.person_id == person_id,
            career_attempts.c.instrument == instrument,
            career_attempts.c.status == AttemptStatus.IN_PROGRESS.value,
        )

    async def open_attempt(self, person_id: int, instrument: str) -> CareerAttempt | None:
        """The unfinished attempt of ``instrument``, if any."""
        query = (
            select(career_attempts)
            .where(
                career_attempts.c.person_id == person_id,
                career_attempts.c.instrument == instrument,
                career_attempts.c.status == AttemptStatus.IN_PROGRESS.value,
            )
            .order_by(career_attempts.c.id.desc())
            .limit(1)
        )
        async with self._quick.connect() as connection:
            row = (await connection.execute(query)).first()
        return attempt_from(row) if row else None

    async def attempt(self, person_id: int, attempt_id: int) -> CareerAttempt | None:
        async with self._quick.connect() as connection:
            return await self._own(connection, person_id, attempt_id)

    @staticmethod
    async def _own(
        connection: DbConnection, person_id: int, attempt_id: int, *, lock: bool = False
    ) -> CareerAttempt | None:
        query = select(career_attempts).where(
            career_attempts.c.id == attempt_id, career_attempts.c.person_id == person_id
        )
        if lock and connection.dialect.name == "postgresql":
            query = query.with_for_update()
        row = (await connection.execute(query)).first()
        return attempt_from(row) if row else None

    async def attempts_of(self, person_id: int) -> list[CareerAttempt]:
        async with self._quick.connect() as connection:
            return await attempts_of(connection, person_id)

    async def record_answer(
        self, person_id: int, attempt_id: int, index: int, key: str
    ) -> CareerAttempt | None:
        """Store ``key`` as the answer to item ``index``, which must be the next unanswered one: an old
        button pressed twice, or in two messengers at once, cannot answer an item twice."""
        if not key or len(key) > MAX_KEY or not 0 <= index < MAX_ANSWERS:
            raise ValueError("an answer key is 1-8 characters for an item within range")
        async with self._engine.begin() as connection:
            current = await self._own(connection, person_id, attempt_id, lock=True)
            if current is None or current.status is not AttemptStatus.IN_PROGRESS:
                return None
            if index != len(current.answers):
                return None
            return await self._set_answers(connection, current, [*current.answers, key])

    async def step_back(self, person_id: int, attempt_id: int) -> CareerAttempt | None:
        async with self._engine.begin() as connection:
            current = await self._own(connection, person_id, attempt_id, lock=True)
            if current is None or current.status is not AttemptStatus.IN_PROGRESS:
                return None
            return await self._set_answers(connection, current, list(current.answers[:-1]))

    async def _set_answers(
        self, connection: DbConnection, current: CareerAttempt, answers: list[str]
    ) -> CareerAttempt:
        row = (
            await connection.execute(
                update(career_attempts)
                .where(career_attempts.c.id == current.id)
                .values(answers=answers, updated_at=self._clock.now())
                .returning(*career_attempts.c)
            )
        ).one()
        return attempt_from(row)

    async def complete_attempt(
        self, person_id: int, attempt_id: int, outcome: CareerOutcome
    ) -> CareerAttempt | None:
        """Keep the result with the answers; None when the attempt is not open (completed already)."""
        now = self._clock.now()
        async with self._engine.begin() as connection:
            row = (
                await connection.execute(
                    update(career_attempts)
                    .where(
                        career_attempts.c.id == attempt_id,
                        career_attempts.c.person_id == person_id,
                        career_attempts.c.status == AttemptStatus.IN_PROGRESS.value,
                    )
                    .values(
                        status=AttemptStatus.COMPLETED.value,
                        scores=dict(outcome.scores),
                        code=outcome.code,
                        leading=outcome.leading,
                        verdict=outcome.verdict,
                        updated_at=now,
                        finished_at=now,
                    )
                    .returning(*career_attempts.c)
                )
            ).first()
            if row is None:
                return None
            await self._audit(
                connection,
                "career_test_completed",
                actor=person_id,
                subject=person_id,
                instrument=row.instrument,
            )
        return attempt_from(row)

    async def abandon_attempt(self, person_id: int, attempt_id: int) -> bool:
        """Give up an unfinished attempt: its answers are dropped, the row stays for completion rates."""
        now = self._clock.now()
        async with self._quick.connect() as connection:
            result = await connection.execute(
                update(career_attempts)
                .where(
                    career_attempts.c.id == attempt_id,
                    career_attempts.c.person_id == person_id,
                    career_attempts.c.status == AttemptStatus.IN_PROGRESS.value,
                )
                .values(status=AttemptStatus.ABANDONED.value, answers=[], updated_at=now, finished_at=now)
            )
        return bool(result.rowcount == 1)

    async def share_career(self, person_id: int, allowed: bool) -> None:
        async with self._engine.begin() as connection:
            person = await self._person(connection, person_id, lock=True)
            if person.consent is not ConsentStatus.GRANTED:
                raise ConsentRequired(str(person_id))
            values = {"with_guardians": allowed, "changed_at": self._clock.now()}
            await connection.execute(
                upsert(connection, career_sharing)
                .values(person_id=person_id, **values)
                .on_conflict_do_update(index_elements=[career_sharing.c.person_id], set_=values)
            )
            await self._audit(
                connection,
                "career_sharing_changed",
                actor=person_id,
                subject=person_id,
                allowed="yes" if allowed else "no",
            )

    async def career_shared(self, person_id: int) -> bool:
        async with self._quick.connect() as connection:
            return await shared(connection, person_id)

    async def children_career(self, guardian_id: int) -> list[ChildCareer]:
        """Each linked child; the latest completed attempt per test only where the child shares it."""
        async with self._engine.begin() as connection:
            views = []
            for child in await reads.children_of(connection, guardian_id):
                allowed = await shared(connection, child.person_id)
                latest: dict[str, CareerAttempt] = {}
                if allowed:
                    for attempt in await attempts_of(connection, child.person_id):
                        if attempt.status is AttemptStatus.COMPLETED:
                            # A summary for the parent: the result, never the answers behind it.
                            latest.setdefault(attempt.instrument, replace(attempt, answers=()))
                views.append(
                    ChildCareer(child.person_id, child.display_name, allowed, tuple(latest.values()))
                )
        return views


# «Мои данные»: every attempt with its answers and result, and the sharing choice.
async def export_attempts(connection: DbConnection, person_id: int) -> list[dict[str, Any]]:
    return [
        {
            "instrument": attempt.instrument,
            "version": attempt.version,
            "status": attempt.status.value,
            "answers": list(attempt.answers),
            "scores": dict(attempt.scores),
            "code": attempt.code,
            "verdict": attempt.verdict,
            "started_at": iso(attempt.started_at),
            "finished_at": iso(attempt.finished_at),
        }
        for attempt in await attempts_of(connection, person_id)
    ]


EXPORT = (
    ExportSection("career_tests", export_attempts),
    ExportSection("career_shared_with_guardians", shared),
)
