"""Plan steps over SQL: operators record, move and close them (role checked in the transaction, an audit
line with ids only); the person reads their own and marks them done.

An operator names the person by the account they write from (``telegram:123456``), as every operator
command does. The person's row is locked while a step is written for them, so an erasure racing the
write either comes first (the operator hears «нет такого человека») or waits for the commit and then
takes the step with it: nothing half-written either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select, update

from backend_client.broadcasts import Actor
from backend_client.errors import ConsentRequired, PersonGone
from backend_client.plans import (
    PLAN_ROLES,
    BadStep,
    NotAPlanRole,
    PersonNotFound,
    PlanImportRefused,
    PlanStep,
    StepDraft,
    StepImport,
    StepNotFound,
    StepRow,
    StepStatus,
    check_step,
)
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.dialects import upsert
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.operators import operator_check
from backend_client.sql.plans.tables import plan_steps
from backend_client.sql.tables import channel_accounts


def step_from(row: Any) -> PlanStep:
    return PlanStep(
        id=row.id,
        person_id=row.person_id,
        text=row.text,
        due_on=row.due_on,
        place=row.place,
        status=StepStatus(row.status),
        version=row.version,
        created_at=row.created_at,
        done_at=row.done_at,
    )


class SqlPlanSteps(SqlUseCases):
    # -- the person --------------------------------------------------------------------------------
    async def plan_of(self, person_id: int) -> list[PlanStep]:
        """The person's steps, the nearest deadline first (done ones too)."""
        query = (
            select(plan_steps)
            .where(plan_steps.c.person_id == person_id)
            .order_by(plan_steps.c.due_on, plan_steps.c.id)
        )
        async with self._quick.connect() as connection:
            return [step_from(row) for row in await connection.execute(query)]

    async def mark_step_done(self, person_id: int, step_id: int) -> tuple[PlanStep, bool]:
        """«Сделано» on the person's own step: (the step, whether this call closed it). A second press
        closes nothing. StepNotFound for another person's step or one that is not there."""
        async with self._engine.begin() as connection:
            step, closed = await self._close(connection, step_id, person_id=person_id)
            if closed:
                await self._audit(connection, "plan.done", actor=person_id, subject=person_id)
        return step, closed

    # -- operators ---------------------------------------------------------------------------------
    async def add_step(
        self, actor: Actor, channel: str, account: str, draft: StepDraft, *, today: date
    ) -> tuple[PlanStep, bool]:
        """Record a step for the person behind ``channel:account``: (the step, whether it is new; the
        same day and text again give the first back). BadStep, PersonNotFound, ConsentRequired,
        NotOperator."""
        check_step(draft, today)
        async with self._engine.begin() as connection:
            operator = await operator_check(connection, actor)
            person_id = await self._person_behind(connection, channel, account, planning=True)
            step, created = await _insert(connection, person_id, draft, self._clock.now())
            await self._audit(
                connection,
                "plan.add",
                actor=operator,
                subject=person_id,
                via=actor.channel,
                step=str(step.id),
            )
        return step, created

    async def steps_for(self, actor: Actor, channel: str, account: str) -> list[PlanStep]:
        async with self._engine.begin() as connection:
            await operator_check(connection, actor)
            person_id = await self._person_behind(connection, channel, account, lock=False)
        return await self.plan_of(person_id)

    async def complete_step(self, actor: Actor, step_id: int) -> tuple[PlanStep, bool]:
        async with self._engine.begin() as connection:
            operator = await operator_check(connection, actor)
            step, closed = await self._close(connection, step_id)
            if closed:
                await self._audit(
                    connection, "plan.done", actor=operator, subject=step.person_id, via=actor.channel
                )
        return step, closed

    async def move_step(self, actor: Actor, step_id: int, due_on: date, *, today: date) -> PlanStep:
        """A new deadline: the version grows, so the reminders move with it. BadStep("due_in_past"),
        BadStep("done") for a closed step, StepNotFound."""
        if due_on < today:
            raise BadStep("due_in_past")
        async with self._engine.begin() as connection:
            operator = await operator_check(connection, actor)
            current = await _step(connection, step_id)
            if current.done:
                raise BadStep("done")
            if current.due_on == due_on:
                return current
            row = (
                await connection.execute(
                    update(plan_steps)
                    .where(plan_steps.c.id == step_id)
                    .values(due_on=due_on, version=plan_steps.c.version + 1, updated_at=self._clock.now())
                    .returning(*plan_steps.c)
                )
            ).one()
            await self._audit(
                connection, "plan.move", actor=operator, subject=current.person_id, via=actor.channel
            )
        return step_from(row)

    async def import_steps(self, actor: Actor, rows: Sequence[StepRow], *, today: date) -> StepImport:
        """Every row in one transaction, or none: PlanImportRefused lists each row the store refuses."""
        problems: list[tuple[int, str]] = []
        for index, row in enumerate(rows):
            try:
                check_step(row.draft, today)
            except BadStep as error:
                problems.append((index, error.reason))
        created = 0
        async with self._engine.begin() as connection:
            operator = await operator_check(connection, actor)
            people: dict[int, int] = {}
            for index, row in enumerate(rows):
                try:
                    people[index] = await self._person_behind(
                        connection, row.channel, row.account, planning=True
                    )
                except (PersonNotFound, ConsentRequired, NotAPlanRole) as error:
                    problems.append((index, error.code))
            if problems:
                raise PlanImportRefused(sorted(problems))
            now = self._clock.now()
            for index, row in enumerate(rows):
                created += (await _insert(connection, people[index], row.draft, now))[1]
            await self._audit(
                connection,
                "plan.import",
                actor=operator,
                subject=None,
                via=actor.channel,
                rows=str(len(rows)),
            )
        return StepImport(created, len(rows) - created)

    # -- the reminder rule ---------------------------------------------------------------------------
    async def open_steps_due(self, first: date, last: date) -> list[PlanStep]:
        """Open steps due from ``first`` to ``last`` (both days included)."""
        query = (
            select(plan_steps)
            .where(
                plan_steps.c.status == StepStatus.OPEN.value,
                plan_steps.c.due_on >= first,
                plan_steps.c.due_on <= last,
            )
            .order_by(plan_steps.c.due_on, plan_steps.c.id)
        )
        async with self._quick.connect() as connection:
            return [step_from(row) for row in await connection.execute(query)]

    # -- helpers ---------------------------------------------------------------------------------------
    async def _person_behind(
        self,
        connection: DbConnection,
        channel: str,
        account: str,
        *,
        lock: bool = True,
        planning: bool = False,
    ) -> int:
        """The person behind the account; ``planning``: one who may be given a step (NotAPlanRole)."""
        found = (
            await connection.execute(
                select(channel_accounts.c.person_id).where(
                    channel_accounts.c.channel == channel, channel_accounts.c.external_id == account
                )
            )
        ).first()
        if found is None:
            raise PersonNotFound(f"{channel}:{account}")
        try:
            person = await self._person(connection, found.person_id, lock=lock)
        except PersonGone:
            raise PersonNotFound(f"{channel}:{account}") from None
        if not person.may_store_personal_data:
            raise ConsentRequired(str(person.id))
        if planning and person.role not in PLAN_ROLES:
            raise NotAPlanRole(f"{channel}:{account}")
        return person.id

    async def _close(
        self, connection: DbConnection, step_id: int, *, person_id: int | None = None
    ) -> tuple[PlanStep, bool]:
        where = [plan_steps.c.id == step_id]
        if person_id is not None:
            where.append(plan_steps.c.person_id == person_id)
        now = self._clock.now()
        row = (
            await connection.execute(
                update(plan_steps)
                .where(*where, plan_steps.c.status == StepStatus.OPEN.value)
                .values(status=StepStatus.DONE.value, done_at=now, updated_at=now)
                .returning(*plan_steps.c)
            )
        ).first()
        if row is not None:
            return step_from(row), True
        step = await _step(connection, step_id)
        if person_id is not None and step.person_id != person_id:
            raise StepNotFound(str(step_id))
        return step, False


async def _step(connection: DbConnection, step_id: int) -> PlanStep:
    row = (await connection.execute(select(plan_steps).where(plan_steps.c.id == step_id))).first()
    if row is None:
        raise StepNotFound(str(step_id))
    return step_from(row)


async def _insert(
    connection: DbConnection, person_id: int, draft: StepDraft, now: Any
) -> tuple[PlanStep, bool]:
    text, place = draft.text.strip(), draft.place.strip()
    inserted = (
        await connection.execute(
            upsert(connection, plan_steps)
            .values(
                person_id=person_id,
                text=text,
                due_on=draft.due_on,
                place=place,
                status=StepStatus.OPEN.value,
                version=1,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing()
            .returning(*plan_steps.c)
        )
    ).first()
    if inserted is not None:
        return step_from(inserted), True
    same = (
        await connection.execute(
            select(plan_steps).where(
                plan_steps.c.person_id == person_id,
                plan_steps.c.due_on == draft.due_on,
                plan_steps.c.text == text,
            )
        )
    ).one()
    return step_from(same), False
