"""KPI sections of the graduates' route: the risk questionnaire, the employment centre, plans, outcomes.

Counted per person; municipality and school are the person's current profile. A questionnaire counts in
the period of its latest save (a re-scored one once, with its current band); a booking by when the seat was
taken (a cancelled one frees its seat and is not counted); a plan by when a step was recorded; an outcome
by when it was answered. «At raised risk» is the medium and high bands: advice shown to the person, never
a decision about them, and counted here only in aggregate.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Select, select

from backend_client.graduates.scoring import Band
from backend_client.kpi import KpiQuery
from backend_client.plans import SETTLED, OutcomeStatus
from backend_client.sql.graduates.tables import centre_seats, graduate_surveys
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.kpi.section import Fact, KpiSection, within
from backend_client.sql.plans.tables import outcomes, plan_steps
from backend_client.sql.tables import profiles

ASSESSED = "graduates.assessed"
AT_RISK = "graduates.at_risk"
ROUTED = "graduates.routed"
WITH_PLAN = "graduates.with_plan"
RAISED = frozenset({Band.MEDIUM.value, Band.HIGH.value})
CHECK_INS = (3, 6, 12)
_SETTLED = frozenset(status.value for status in SETTLED)


def _of_people(person: Column[Any], *extra: Column[Any]) -> Select[Any]:
    """``person`` with the profile's municipality and school (and ``extra`` columns)."""
    return select(person, profiles.c.municipality, profiles.c.institution, *extra).outerjoin(
        profiles, profiles.c.person_id == person
    )


async def _route(connection: DbConnection, query: KpiQuery) -> list[Fact]:
    facts: list[Fact] = []
    surveys = _of_people(graduate_surveys.c.person_id, graduate_surveys.c.band).where(
        within(graduate_surveys.c.updated_at, query)
    )
    for person, place, school, band in await connection.execute(surveys):
        facts.append(Fact(ASSESSED, person, place, school))
        if band in RAISED:
            facts.append(Fact(AT_RISK, person, place, school))
    booked = _of_people(centre_seats.c.person_id).where(
        centre_seats.c.person_id.is_not(None), within(centre_seats.c.booked_at, query)
    )
    facts += [
        Fact(ROUTED, person, place, school) for person, place, school in await connection.execute(booked)
    ]
    planned = _of_people(plan_steps.c.person_id).where(within(plan_steps.c.created_at, query))
    facts += [
        Fact(WITH_PLAN, person, place, school) for person, place, school in await connection.execute(planned)
    ]
    return facts


def outcome_key(months: int, what: str) -> str:
    return f"outcomes.m{months}.{what}"


async def _outcomes(connection: DbConnection, query: KpiQuery) -> list[Fact]:
    answered = _of_people(outcomes.c.person_id, outcomes.c.months, outcomes.c.status).where(
        within(outcomes.c.answered_at, query)
    )
    facts: list[Fact] = []
    for person, place, school, months, status in await connection.execute(answered):
        facts.append(Fact(outcome_key(months, "answered"), person, place, school))
        if status in _SETTLED:
            facts.append(Fact(outcome_key(months, "settled"), person, place, school))
        elif status == OutcomeStatus.SEARCHING.value:
            facts.append(Fact(outcome_key(months, "searching"), person, place, school))
    return facts


GRADUATES_SECTION = KpiSection(
    "graduates",
    "Graduates' route to work",
    (
        (ASSESSED, "graduates and graduating students with a risk assessment"),
        (AT_RISK, "of them at raised risk (medium or high)"),
        (ROUTED, "people who booked the employment centre"),
        (WITH_PLAN, "people with a plan step recorded"),
    ),
    _route,
    notes=("The risk band is advice to the person (152-ФЗ ст. 16), counted here only in aggregate.",),
)

OUTCOMES_SECTION = KpiSection(
    "outcomes",
    "Outcomes after graduation",
    tuple(
        (outcome_key(months, what), f"{months} months: {title}")
        for months in CHECK_INS
        for what, title in (
            ("answered", "answered the check-in"),
            ("settled", "working, studying or serving"),
            ("searching", "still searching"),
        )
    ),
    _outcomes,
)
