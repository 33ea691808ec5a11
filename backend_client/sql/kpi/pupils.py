"""KPI sections about pupils: career testing of grades 8–9, and «профтуры и профпробы» sign-ups.

Municipality, school and grade are read from the current profile (the records keep no history of them).
"""

from __future__ import annotations

from sqlalchemy import select

from backend_client.events import EventKind, EventStatus, SignupStatus
from backend_client.kpi import KpiQuery
from backend_client.models import AttemptStatus, Role
from backend_client.sql.career_report import COVERED_GRADES
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.kpi.section import Fact, KpiSection, within
from backend_client.sql.tables import career_attempts, event_signups, events, people, profiles

PUPILS_8_9 = "career.pupils_8_9"
TESTED_8_9 = "career.tested_8_9"
SIGNED_UP = "events.signed_up"
SIGNED_UP_EXCURSION = "events.signed_up_excursion"
SIGNED_UP_TRIAL = "events.signed_up_trial"


async def _career(connection: DbConnection, query: KpiQuery) -> list[Fact]:
    pupils = (
        select(profiles.c.person_id, profiles.c.municipality, profiles.c.institution)
        .select_from(profiles)
        .join(people, people.c.id == profiles.c.person_id)
        .where(people.c.role == Role.PUPIL.value, profiles.c.grade.in_(COVERED_GRADES))
    )
    tested = select(career_attempts.c.person_id).where(
        career_attempts.c.status == AttemptStatus.COMPLETED.value,
        within(career_attempts.c.finished_at, query),
    )
    rows = (await connection.execute(pupils)).all()
    done = {r.person_id for r in (await connection.execute(tested)).all()}
    facts = [Fact(PUPILS_8_9, r.person_id, r.municipality, r.institution) for r in rows]
    facts += [
        Fact(TESTED_8_9, r.person_id, r.municipality, r.institution) for r in rows if r.person_id in done
    ]
    return facts


async def _events(connection: DbConnection, query: KpiQuery) -> list[Fact]:
    """Pupils with an active sign-up to an event held (starting) in the period, not cancelled by its
    organiser; a person is counted once however many events they signed up for."""
    signed = (
        select(event_signups.c.person_id, events.c.kind, profiles.c.municipality, profiles.c.institution)
        .select_from(event_signups)
        .join(events, events.c.id == event_signups.c.event_id)
        .join(people, people.c.id == event_signups.c.person_id)
        .outerjoin(profiles, profiles.c.person_id == event_signups.c.person_id)
        .where(
            people.c.role == Role.PUPIL.value,
            event_signups.c.status == SignupStatus.ACTIVE.value,
            events.c.status == EventStatus.SCHEDULED.value,
            within(events.c.starts_at, query),
        )
    )
    facts = []
    for r in (await connection.execute(signed)).all():
        by_kind = SIGNED_UP_EXCURSION if r.kind == EventKind.EXCURSION.value else SIGNED_UP_TRIAL
        facts.append(Fact(SIGNED_UP, r.person_id, r.municipality, r.institution))
        facts.append(Fact(by_kind, r.person_id, r.municipality, r.institution))
    return facts


CAREER = KpiSection(
    "career",
    "Career testing of grade 8-9 pupils",
    (
        (PUPILS_8_9, "grade 8-9 pupils (profile grade 8 or 9)"),
        (TESTED_8_9, "of them with a completed career test in the period"),
    ),
    _career,
)
EVENTS = KpiSection(
    "events",
    "Профтуры and профпробы",
    (
        (SIGNED_UP, "pupils signed up for an event held in the period"),
        (SIGNED_UP_EXCURSION, "of them for a профтур"),
        (SIGNED_UP_TRIAL, "of them for a профпроба"),
    ),
    _events,
    notes=("Visits: attendance is not recorded yet, so only sign-ups are counted.",),
)
