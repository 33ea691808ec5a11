"""The graduates' KPI sections on a seeded database, every figure counted by hand (both databases).

Seed (period: December 2026), college students of «Колледж связи» in Самара g1..g7, in Тольятти g8:
  questionnaires: g1 high, g2 medium, g3 medium, g4 low, g5 deferred, g6 high, g8 high saved in December;
    g7 high saved in November.
  centre seats (one slot in Самара, 5 seats): g1, g2, g6 taken in December, g7 in November, one free.
  plan steps: g1 two and g2 one recorded in December, g3 one in November.
  outcomes: g1 3 months working, g2 3 months searching, g4 6 months serving, g5 6 months maternity,
    g6 12 months searching (December); g3 3 months studying (November).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert

from backend_client.kpi import KpiQuery
from backend_client.sql import Database
from backend_client.sql.graduates.tables import centre_seats, centre_slots, graduate_surveys
from backend_client.sql.plans.tables import outcomes, plan_steps
from backend_client.sql.tables import people, profiles
from tests.kpi.test_kpi_report import DECEMBER, SAMARA, TOLYATTI, figures

COLLEGE = "Колледж связи"


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 10, tzinfo=UTC)


def _people() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    persons, cards = [], []
    for n in range(1, 9):
        persons.append(
            {"id": n, "role": "college_student", "age_band": "18_plus", "consent_status": "granted"}
            | {"created_at": at(9, 1)}
        )
        place = TOLYATTI if n == 8 else SAMARA
        cards.append(
            {"person_id": n, "display_name": f"Имя-{n}", "municipality": place, "institution": COLLEGE}
            | {"course": 4, "updated_at": at(9, 1)}
        )
    return persons, cards


def _survey(person: int, band: str, saved: datetime) -> dict[str, Any]:
    return {
        "person_id": person,
        "answers": {},
        "band": band,
        "points": 0,
        "reasons": "",
        "version": 1,
        "created_at": saved,
        "updated_at": saved,
    }


def _step(person: int, text: str, recorded: datetime) -> dict[str, Any]:
    return {
        "person_id": person,
        "text": text,
        "due_on": date(2026, 12, 20),
        "place": "",
        "status": "open",
        "version": 1,
        "created_at": recorded,
        "updated_at": recorded,
    }


async def seed(database: Database) -> None:
    persons, cards = _people()
    bands = {1: "high", 2: "medium", 3: "medium", 4: "low", 5: "deferred", 6: "high", 8: "high"}
    surveys = [_survey(n, band, at(12, 2)) for n, band in bands.items()] + [_survey(7, "high", at(11, 2))]
    slot = {"id": 1, "municipality": SAMARA, "service": "consultation", "starts_at": at(12, 20)}
    seats = [
        {"slot_id": 1, "seat": seat, "person_id": person, "version": 1, "booked_at": taken}
        for seat, person, taken in (
            (1, 1, at(12, 3)),
            (2, 2, at(12, 4)),
            (3, 6, at(12, 5)),
            (4, 7, at(11, 20)),
        )
    ] + [{"slot_id": 1, "seat": 5, "person_id": None, "version": 0, "booked_at": None}]
    steps = [_step(1, "Резюме", at(12, 6)), _step(1, "Визит", at(12, 6)), _step(2, "Резюме", at(12, 6))]
    steps.append(_step(3, "Резюме", at(11, 10)))
    answers = [
        (1, 3, "working"),
        (2, 3, "searching"),
        (4, 6, "serving"),
        (5, 6, "maternity"),
        (6, 12, "searching"),
    ]
    outcome_rows = [
        {"person_id": p, "months": m, "status": s, "answered_at": at(12, 10)} for p, m, s in answers
    ]
    outcome_rows.append({"person_id": 3, "months": 3, "status": "studying", "answered_at": at(11, 10)})
    async with database.engine.begin() as connection:
        await connection.execute(insert(people), persons)
        await connection.execute(insert(profiles), cards)
        await connection.execute(insert(graduate_surveys), surveys)
        await connection.execute(insert(centre_slots), [slot | {"capacity": 5, "imported_at": at(11, 1)}])
        await connection.execute(insert(centre_seats), seats)
        await connection.execute(insert(plan_steps), steps)
        await connection.execute(insert(outcomes), outcome_rows)


async def test_the_graduates_route_and_outcomes_match_the_hand_count(database: Database) -> None:
    await seed(database)
    exact = await database.kpi.kpi_report(KpiQuery(DECEMBER.since, DECEMBER.until, min_cell=1))
    college = f"{SAMARA}/колледж связи"
    assert figures(exact.indicator("graduates.assessed")) == (
        7,
        {SAMARA: 6, TOLYATTI: 1},
        {college: 6, f"{TOLYATTI}/колледж связи": 1},
    )
    assert figures(exact.indicator("graduates.at_risk"))[:2] == (5, {SAMARA: 4, TOLYATTI: 1})
    assert figures(exact.indicator("graduates.routed")) == (3, {SAMARA: 3}, {college: 3})
    assert figures(exact.indicator("graduates.with_plan"))[0] == 2  # people, not steps
    by_month = {
        months: tuple(
            figures(exact.indicator(f"outcomes.m{months}.{what}"))[0]
            for what in ("answered", "settled", "searching")
        )
        for months in (3, 6, 12)
    }
    assert by_month == {3: (2, 1, 1), 6: (2, 1, 0), 12: (1, 0, 1)}

    # Groups under 5 hidden: Тольятти's 1 hides Самара's 6 with it (the total 7 would tell it).
    hidden = await database.kpi.kpi_report(DECEMBER)
    assert figures(hidden.indicator("graduates.assessed"))[:2] == (7, {SAMARA: None, TOLYATTI: None})
    assert figures(hidden.indicator("graduates.at_risk"))[:2] == (5, {SAMARA: None, TOLYATTI: None})
    assert figures(hidden.indicator("graduates.routed"))[0] is None
    assert "Имя-" not in repr(hidden)


async def test_all_time_counts_the_november_records_too(database: Database) -> None:
    await seed(database)
    report = await database.kpi.kpi_report(KpiQuery(min_cell=1))
    assert figures(report.indicator("graduates.assessed"))[0] == 8
    assert figures(report.indicator("graduates.at_risk"))[0] == 6
    assert figures(report.indicator("graduates.routed"))[0] == 4
    assert figures(report.indicator("graduates.with_plan"))[0] == 3
    assert figures(report.indicator("outcomes.m3.settled"))[0] == 2  # g3 studying, answered in November
