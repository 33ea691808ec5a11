"""A person's facts for the work catalogue: age at worst, home, specialty, studying, and the career test."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from backend_client.models import AgeBand, AttemptStatus, Person, Profile, Role
from backend_client.sql import reads
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.tables import career_attempts
from backend_client.vacancies.models import SeekerFacts
from backend_client.vacancies.spheres import SPHERES, facts_of_result

STUDYING_ROLES = frozenset({Role.PUPIL, Role.COLLEGE_STUDENT, Role.UNIVERSITY_STUDENT})
UNTYPED = frozenset({"flat", "low"})  # a result with no type names no sphere (dialogs/career/scoring.py)
# Without a birth year, the youngest age of the band the person chose (13: under 14, shown nothing).
_BAND_AGE = {AgeBand.CHILD: 13, AgeBand.MINOR: 14, AgeBand.ADULT: 18}
_BAND_FLOOR = {AgeBand.MINOR: 14, AgeBand.ADULT: 18}  # the youngest age each band holds


def youngest_age(birth_year: int, today: date) -> int:
    """The age of someone born on the last day of ``birth_year``: the youngest that year allows."""
    return today.year - birth_year - (0 if (today.month, today.day) == (12, 31) else 1)


def age_of(person: Person, profile: Profile, today: date) -> int | None:
    if profile.birth_year is not None:
        youngest = max(0, youngest_age(profile.birth_year, today))
        # A year stored from a typed age (today's year minus it) reads one year young for most of the
        # year: «14» would give 13 and «18» 17. The band chosen with that age settles exactly that case.
        floor = _BAND_FLOOR.get(person.age_band) if person.age_band else None
        return floor if floor is not None and youngest + 1 == floor else youngest
    return _BAND_AGE.get(person.age_band) if person.age_band else None


async def seeker_facts(connection: DbConnection, person: Person, today: date) -> SeekerFacts:
    profile = await reads.profile_of(connection, person.id)
    spheres, professions = await _test_result(connection, person.id)
    studying = person.role in STUDYING_ROLES if person.role else True
    return SeekerFacts(
        age=age_of(person, profile, today),
        municipality=profile.municipality,
        specialty=profile.specialty,
        professions=professions,
        test_spheres=spheres,
        studying=studying,
        has_experience=False,  # the profile does not ask yet
    )


async def _test_result(connection: DbConnection, person_id: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(sphere names, professions) of the latest completed test with a type, leading scale first."""
    query = (
        select(career_attempts.c.instrument, career_attempts.c.scores, career_attempts.c.verdict)
        .where(
            career_attempts.c.person_id == person_id,
            career_attempts.c.status == AttemptStatus.COMPLETED.value,
        )
        .order_by(career_attempts.c.finished_at.desc(), career_attempts.c.id.desc())
    )
    for row in await connection.execute(query):
        if row.instrument in SPHERES and row.verdict not in UNTYPED and row.scores:
            return facts_of_result(row.instrument, row.scores)
    return (), ()
