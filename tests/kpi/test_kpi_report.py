"""The KPI report on a seeded database, with every figure counted by hand below (both databases).

Seed (period: December 2026):
  pupils, grade 8-9: Самара «Школа №3» p1..p6 (p2 typed «школа  № 3»), Самара «Школа 5» q1..q3,
    Тольятти «Лицей 1» t1;
    outside the indicator: a grade-10 pupil and a college student, both tested in December.
  completed tests in December: p1 (twice), p2..p5, q1, t1; p6 in November; q2 abandoned in December.
  events: E1 профтур 10.12, E2 профпроба 12.12, E3 профтур in January, E4 профтур 14.12 cancelled.
  sign-ups: p1..p5 -> E1; p1 -> E2; p6 -> E2 cancelled; q1 -> E3; q2 -> E4; the college student -> E1.
  vacancies: V1 internship, V2 practice, V3 job. Applications of college students of «Колледж связи»,
    Самара: s1 -> V1, V2; s2..s5 -> V1; s6 -> V1 withdrawn; s7 -> V3; s8 -> V1 in November.
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from backend_client.kpi import KpiIndicator, KpiQuery, KpiReport
from backend_client.sql import Database
from backend_client.sql.kpi import KPI_SECTIONS
from backend_client.sql.kpi.section import Fact, KpiSection, tally
from backend_client.sql.tables import career_attempts, event_signups, events, people, profiles
from backend_client.sql.vacancies.tables import applications, vacancies
from bot.kpi_cli import format_kpi, query_of

SAMARA, TOLYATTI = "36401", "36440"
DECEMBER = KpiQuery(since=datetime(2026, 12, 1, tzinfo=UTC), until=datetime(2027, 1, 1, tzinfo=UTC))


def at(month: int, day: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, 10, tzinfo=UTC)


class Seed:
    def __init__(self) -> None:
        self.rows: dict[Any, list[dict[str, Any]]] = {t: [] for t in (people, profiles, career_attempts)}
        self.rows |= {events: [], event_signups: [], vacancies: [], applications: []}
        self.ids: dict[str, int] = {}

    def person(self, name: str, role: str, place: str, school: str, grade: int | None = None) -> None:
        person_id = len(self.ids) + 1
        self.ids[name] = person_id
        self.rows[people].append(
            {
                "id": person_id,
                "role": role,
                "age_band": "14_17",
                "consent_status": "granted",
                "created_at": at(11, 1),
            }
        )
        self.rows[profiles].append(
            {
                "person_id": person_id,
                "display_name": f"Имя-{name}",
                "municipality": place,
                "institution": school,
                "grade": grade,
                "updated_at": at(11, 1),
            }
        )

    def attempt(self, name: str, finished: datetime, status: str = "completed") -> None:
        self.rows[career_attempts].append(
            {
                "person_id": self.ids[name],
                "instrument": "klimov",
                "version": "1",
                "status": status,
                "answers": [],
                "started_at": finished,
                "updated_at": finished,
                "finished_at": finished if status == "completed" else None,
            }
        )

    def event(self, event_id: int, kind: str, starts: datetime, status: str = "scheduled") -> None:
        self.rows[events].append(
            {
                "id": event_id,
                "kind": kind,
                "title": f"Событие {event_id}",
                "organisation": "Завод",
                "municipality": SAMARA,
                "address": "ул. Заводская, 1",
                "starts_at": starts,
                "ends_at": starts.replace(hour=12),
                "capacity": 30,
                "roles": "pupil",
                "status": status,
                "version": 1,
                "created_at": at(11, 1),
                "updated_at": at(11, 1),
            }
        )

    def signup(self, name: str, event_id: int, status: str = "active") -> None:
        self.rows[event_signups].append(
            {"event_id": event_id, "person_id": self.ids[name], "status": status, "created_at": at(11, 20)}
        )

    def vacancy(self, vacancy_id: int, kind: str) -> None:
        self.rows[vacancies].append(
            {
                "id": vacancy_id,
                "source": "file",
                "source_id": str(vacancy_id),
                "kind": kind,
                "title": "Оператор",
                "employer_name": "Завод",
                "address": "",
                "employment": "full",
                "schedule": "full_day",
                "education": "",
                "experience_required": False,
                "work_places": 1,
                "min_age": 18,
                "hazards": "",
                "profession": "оператор",
                "source_url": "",
                "status": "open",
                "legal_from_school": 18,
                "legal_from_free": 18,
                "listed_at": at(11, 1),
                "digest": "x",
                "created_at": at(11, 1),
                "updated_at": at(11, 1),
            }
        )

    def application(self, name: str, vacancy_id: int, made: datetime, status: str = "sent") -> None:
        self.rows[applications].append(
            {
                "person_id": self.ids[name],
                "vacancy_id": vacancy_id,
                "message": "",
                "status": status,
                "created_at": made,
            }
        )

    async def write(self, database: Database) -> None:
        async with database.engine.begin() as connection:
            for table, rows in self.rows.items():
                if rows:
                    await connection.execute(insert(table), rows)


def seed() -> Seed:
    s = Seed()
    for n in range(1, 7):
        s.person(f"p{n}", "pupil", SAMARA, "школа  № 3" if n == 2 else "Школа №3", 9)
    for n in range(1, 4):
        s.person(f"q{n}", "pupil", SAMARA, "Школа 5", 8)
    s.person("t1", "pupil", TOLYATTI, "Лицей 1", 9)
    s.person("tenth", "pupil", SAMARA, "Школа №3", 10)
    s.person("student", "college_student", SAMARA, "Колледж связи")
    for n in range(1, 9):
        s.person(f"s{n}", "college_student", SAMARA, "Колледж связи")
    for name in ("p1", "p1", "p2", "p3", "p4", "p5", "q1", "t1", "tenth", "student"):
        s.attempt(name, at(12, 5))
    s.attempt("p6", at(11, 5))
    s.attempt("q2", at(12, 5), status="abandoned")
    s.event(1, "excursion", at(12, 10))
    s.event(2, "trial", at(12, 12))
    s.event(3, "excursion", at(1, 15, 2027))
    s.event(4, "excursion", at(12, 14), status="cancelled")
    for name in ("p1", "p2", "p3", "p4", "p5", "student"):
        s.signup(name, 1)
    s.signup("p1", 2)
    s.signup("p6", 2, status="cancelled")
    s.signup("q1", 3)
    s.signup("q2", 4)
    s.vacancy(1, "internship")
    s.vacancy(2, "practice")
    s.vacancy(3, "job")
    s.application("s1", 1, at(12, 3))
    s.application("s1", 2, at(12, 3))
    for name in ("s2", "s3", "s4", "s5"):
        s.application(name, 1, at(12, 4))
    s.application("s6", 1, at(12, 4), status="withdrawn")
    s.application("s7", 3, at(12, 4))
    s.application("s8", 1, at(11, 4))
    return s


def figures(
    indicator: KpiIndicator | None,
) -> tuple[int | None, dict[str, int | None], dict[str, int | None]]:
    assert indicator is not None
    places = {c.municipality: c.count for c in indicator.by_municipality}
    schools = {f"{c.municipality}/{c.school}": c.count for c in indicator.by_school}
    return indicator.total, places, schools


async def december(database: Database, **changes: Any) -> KpiReport:
    await seed().write(database)
    query = KpiQuery(DECEMBER.since, DECEMBER.until, **changes)
    return await database.kpi.kpi_report(query)


async def test_every_figure_matches_the_hand_count_with_small_groups_suppressed(database: Database) -> None:
    report = await december(database)
    assert (
        [s.name for s in report.sections]
        == [s.name for s in KPI_SECTIONS]
        == ["career", "events", "practice", "graduates", "outcomes"]
    )

    # Тольятти's 1 is hidden, so Самара's 9 is hidden too (else 10 - 9 would tell it); within Самара,
    # «Школа 5» (3) is hidden and Самара with it, so «школа № 3» may show.
    assert figures(report.indicator("career.pupils_8_9")) == (
        10,
        {SAMARA: None, TOLYATTI: None},
        {f"{SAMARA}/школа № 3": 6, f"{SAMARA}/школа 5": None, f"{TOLYATTI}/лицей 1": None},
    )
    assert figures(report.indicator("career.tested_8_9")) == (
        7,
        {SAMARA: None, TOLYATTI: None},
        {f"{SAMARA}/школа № 3": 5, f"{SAMARA}/школа 5": None, f"{TOLYATTI}/лицей 1": None},
    )
    assert figures(report.indicator("events.signed_up")) == (5, {SAMARA: 5}, {f"{SAMARA}/школа № 3": 5})
    assert figures(report.indicator("events.signed_up_excursion")) == (
        5,
        {SAMARA: 5},
        {f"{SAMARA}/школа № 3": 5},
    )
    assert figures(report.indicator("events.signed_up_trial")) == (
        None,
        {SAMARA: None},
        {f"{SAMARA}/школа № 3": None},
    )
    college = f"{SAMARA}/колледж связи"
    assert figures(report.indicator("practice.internship_applications")) == (5, {SAMARA: 5}, {college: 5})
    assert figures(report.indicator("practice.practice_applications")) == (
        None,
        {SAMARA: None},
        {college: None},
    )
    assert figures(report.indicator("practice.applicants")) == (5, {SAMARA: 5}, {college: 5})
    assert "Имя-" not in repr(report)


async def test_a_threshold_of_one_shows_the_exact_small_counts(database: Database) -> None:
    report = await december(database, min_cell=1)
    assert figures(report.indicator("career.tested_8_9")) == (
        7,
        {SAMARA: 6, TOLYATTI: 1},
        {f"{SAMARA}/школа № 3": 5, f"{SAMARA}/школа 5": 1, f"{TOLYATTI}/лицей 1": 1},
    )
    assert figures(report.indicator("events.signed_up_trial"))[0] == 1
    assert figures(report.indicator("practice.practice_applications"))[0] == 1


async def test_all_time_counts_what_the_period_left_out(database: Database) -> None:
    await seed().write(database)
    report = await database.kpi.kpi_report(KpiQuery(min_cell=1))
    assert figures(report.indicator("career.tested_8_9"))[0] == 8  # p6, tested in November
    assert figures(report.indicator("events.signed_up"))[0] == 6  # q1, for the January event
    assert figures(report.indicator("practice.internship_applications"))[0] == 6  # s8's in November
    assert figures(report.indicator("practice.applicants"))[0] == 6


async def test_one_municipality(database: Database) -> None:
    report = await december(database, municipality=TOLYATTI, min_cell=1)
    assert figures(report.indicator("career.pupils_8_9")) == (1, {TOLYATTI: 1}, {f"{TOLYATTI}/лицей 1": 1})
    assert figures(report.indicator("events.signed_up")) == (0, {}, {})


async def test_an_empty_database_reports_zeros(database: Database) -> None:
    report = await database.kpi.kpi_report(DECEMBER)
    assert all(i.total == 0 and not i.by_school for s in report.sections for i in s.indicators)


async def test_the_cli_prints_suppressed_cells_and_local_days(database: Database) -> None:
    report = await december(database)
    text = format_kpi(report)
    assert "Period: 2026-12-01 to 2026-12-31; area: the region; groups under 5 shown as <5." in text
    assert "    г. о. Тольятти\t<5" in text
    assert "    г. о. Самара\t<5" in text
    assert "      школа № 3\t5" in text
    assert "attendance is not recorded" in text
    zone = ZoneInfo("Europe/Samara")
    args = argparse.Namespace(
        since=date(2026, 12, 1), until=date(2026, 12, 31), municipality=None, min_cell=5
    )
    query = query_of(args, zone)
    assert query.since == datetime(2026, 12, 1, tzinfo=zone)
    assert query.until == datetime(2027, 1, 1, tzinfo=zone)


def test_a_hidden_cell_cannot_be_worked_out_from_the_shown_ones() -> None:
    """A: 2 people (hidden); B: 7 in b1; C: 6, all in c1. C, the smallest shown place, is hidden too, so
    that the total minus B and C does not give A; and c1 is hidden so that C is not the sum of its
    schools. B and b1 stay."""
    facts = [Fact("x", n, "A", "a1") for n in range(2)]
    facts += [Fact("x", 10 + n, "B", "b1") for n in range(7)]
    facts += [Fact("x", 20 + n, "C", "c1") for n in range(6)]
    section = KpiSection("s", "S", (("x", "people"),), _no_reader)
    [indicator] = tally(section, facts, KpiQuery()).indicators
    assert figures(indicator) == (15, {"A": None, "B": 7, "C": None}, {"A/a1": None, "B/b1": 7, "C/c1": None})
    # within one place: d2 (2) is hidden under a shown 6, so d1 (4) is hidden with it
    inside = [Fact("x", n, "D", "d1" if n < 4 else "d2") for n in range(6)]
    [indicator] = tally(section, inside, KpiQuery(min_cell=3)).indicators
    assert figures(indicator) == (6, {"D": 6}, {"D/d1": None, "D/d2": None})


async def _no_reader(connection: Any, query: KpiQuery) -> list[Fact]:
    return []
