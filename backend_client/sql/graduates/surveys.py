"""«Анкета выпускника» over SQL: one row of answers per person (re-scored on every save) and a line of
history per saved version. Answers are checked before the transaction, so nothing half-written stays."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, insert, select, update

from backend_client.errors import ConsentRequired
from backend_client.graduates.scoring import assess
from backend_client.graduates.survey import SavedSurvey, checked
from backend_client.models import ConsentStatus
from backend_client.sql.graduates.tables import graduate_survey_history, graduate_surveys
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.infra.presses import earlier_result, effect_key, remember


class SqlGraduateSurveys(SqlUseCases):
    """``backend_client.ports.GraduateSurveys``."""

    async def survey(self, person_id: int) -> SavedSurvey | None:
        async with self._quick.connect() as connection:
            return await _survey_in(connection, person_id)

    async def save_survey(
        self, person_id: int, answers: Mapping[str, str], *, press: str = ""
    ) -> SavedSurvey:
        complete = checked(answers)  # BadAnswers before any write
        assessment = assess(complete)
        now = self._clock.now()
        values: dict[str, Any] = {
            "answers": {question.value: code for question, code in complete.items()},
            "band": assessment.band.value,
            "points": assessment.points,
            "reasons": ",".join(assessment.reasons),
            "updated_at": now,
        }
        async with self._engine.begin() as connection:
            person = await self._person(connection, person_id, lock=True)
            if person.consent is not ConsentStatus.GRANTED:
                raise ConsentRequired(str(person_id))
            key = effect_key("graduate_survey", press)
            if await earlier_result(connection, key, now) is None:
                version = await _write(connection, person_id, values, now)
                await remember(connection, key, version)
                await self._audit(
                    connection, "graduate.survey", actor=person_id, subject=person_id, band=assessment.band
                )
            saved = await _survey_in(connection, person_id)
        if saved is None:  # the repeat of a press whose answers were deleted since
            raise LookupError(str(person_id))
        return saved

    async def delete_survey(self, person_id: int) -> bool:
        async with self._engine.begin() as connection:
            gone = await connection.execute(
                delete(graduate_surveys).where(graduate_surveys.c.person_id == person_id)
            )
            await connection.execute(
                delete(graduate_survey_history).where(graduate_survey_history.c.person_id == person_id)
            )
            if gone.rowcount:
                await self._audit(connection, "graduate.survey_deleted", actor=person_id, subject=person_id)
            return bool(gone.rowcount)


async def _write(connection: DbConnection, person_id: int, values: dict[str, Any], now: Any) -> int:
    """Insert the first answers or replace them (version + 1); a line of history either way."""
    changed = await connection.execute(
        update(graduate_surveys)
        .where(graduate_surveys.c.person_id == person_id)
        .values(**values, version=graduate_surveys.c.version + 1)
        .returning(graduate_surveys.c.version)
    )
    row = changed.first()
    version = int(row.version) if row is not None else 1
    if row is None:
        await connection.execute(
            insert(graduate_surveys).values(person_id=person_id, version=1, created_at=now, **values)
        )
    await connection.execute(
        insert(graduate_survey_history).values(
            person_id=person_id,
            version=version,
            answers=values["answers"],
            band=values["band"],
            points=values["points"],
            saved_at=now,
        )
    )
    return version


async def _survey_in(connection: DbConnection, person_id: int) -> SavedSurvey | None:
    row = (
        await connection.execute(select(graduate_surveys).where(graduate_surveys.c.person_id == person_id))
    ).first()
    if row is None:
        return None
    try:
        answers = checked(row.answers)
    except ValueError:  # codes of an older questionnaire: treated as unanswered, asked again
        return None
    return SavedSurvey(person_id, answers, int(row.version), row.updated_at)
