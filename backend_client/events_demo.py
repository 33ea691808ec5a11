"""A small demo catalogue of «профтуры» and «профпробы» for the terminal chat (``make run``).

Written for this project: the organisations are typical of the Samara region's economy, not real partners,
and the dates are set relative to the day it is loaded, so the chat always has something ahead. Loaded
only into an empty catalogue (``seed_demo``), or on request with ``frontdoor events demo``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from backend_client.broadcasts import CLI
from backend_client.events import EventAudience, EventDraft, EventKind, ImportResult
from backend_client.models import AgeBand, Role
from backend_client.ports import EventCatalogue

SCHOOL = (Role.PUPIL,)
STUDENTS = (Role.COLLEGE_STUDENT, Role.UNIVERSITY_STUDENT, Role.GRADUATE)

# (id, kind, title, organisation, municipality, address, days ahead, local start, hours, capacity,
#  audience)
_DEMO: tuple[tuple[str, EventKind, str, str, str, str, int, time, int, int, EventAudience], ...] = (
    (
        "demo-avto",
        EventKind.EXCURSION,
        "Как собирают автомобиль: сборочный цех",
        "Автосборочный завод (демо)",
        "36440",
        "Южное шоссе, 36, проходная № 1",
        2,
        time(10, 0),
        3,
        25,
        EventAudience(roles=SCHOOL, grade_from=8, grade_to=11),
    ),
    (
        "demo-aero",
        EventKind.EXCURSION,
        "Авиадвигатели: от чертежа до испытаний",
        "Завод авиационных двигателей (демо)",
        "36401",
        "Заводское шоссе, 29",
        4,
        time(11, 0),
        2,
        20,
        EventAudience(roles=SCHOOL + STUDENTS, grade_from=8),
    ),
    (
        "demo-med",
        EventKind.TRIAL,
        "«Медицинская сестра»: первая помощь и уход",
        "Медицинский колледж (демо)",
        "36401",
        "ул. Полевая, 80",
        3,
        time(14, 0),
        2,
        12,
        EventAudience(roles=SCHOOL, grade_from=8, grade_to=9),
    ),
    (
        "demo-agro",
        EventKind.TRIAL,
        "«Агроном»: теплица, почва и дроны",
        "Аграрный колледж (демо)",
        "36408",
        "ул. Мира, 5",
        6,
        time(10, 30),
        3,
        15,
        EventAudience(roles=SCHOOL, grade_from=8, grade_to=11),
    ),
    (
        "demo-it",
        EventKind.EXCURSION,
        "Один день в IT-компании: как делают приложения",
        "IT-парк (демо)",
        "36401",
        "ул. Молодогвардейская, 1",
        8,
        time(16, 0),
        2,
        30,
        EventAudience(roles=SCHOOL + STUDENTS),
    ),
    (
        "demo-weld",
        EventKind.TRIAL,
        "«Сварщик» в учебной мастерской",
        "Политехнический колледж (демо)",
        "36435",
        "ул. Ульяновская, 75",
        5,
        time(13, 0),
        2,
        8,
        EventAudience(roles=SCHOOL + STUDENTS, grade_from=9, min_age_band=AgeBand.MINOR),
    ),
)


def demo_drafts(today: date, zone: ZoneInfo) -> list[EventDraft]:
    """The demo events dated from ``today`` (the region's local date)."""
    drafts = []
    for ext, kind, title, organisation, place, address, days, start, hours, capacity, audience in _DEMO:
        starts_at = datetime.combine(today + timedelta(days=days), start, tzinfo=zone)
        drafts.append(
            EventDraft(
                kind=kind,
                title=title,
                organisation=organisation,
                municipality=place,
                address=address,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=hours),
                capacity=capacity,
                audience=audience,
                external_id=ext,
            )
        )
    return drafts


async def load_demo(catalogue: EventCatalogue, now: datetime, zone: ZoneInfo) -> ImportResult:
    """Import the demo catalogue dated from today (moves the demo events of an earlier day)."""
    return await catalogue.import_events(CLI, demo_drafts(now.astimezone(zone).date(), zone))


async def seed_demo(catalogue: EventCatalogue, now: datetime, zone: ZoneInfo) -> bool:
    """Load the demo catalogue when there are no events at all; an operator's catalogue is left alone."""
    if await catalogue.list_events(CLI, include_past=True):
        return False
    await load_demo(catalogue, now, zone)
    return True
