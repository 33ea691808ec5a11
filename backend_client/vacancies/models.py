"""The records of work offers and of what people do with them (searches, applications, favourites)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class VacancyKind(StrEnum):
    JOB = "job"
    INTERNSHIP = "internship"  # «Стажировка»
    PRACTICE = "practice"  # «Практика»: a college's or university's practical training
    TEMPORARY = "temporary"  # summer and other temporary work («подработка»)
    TARGETED = "targeted"  # «Целевое обучение»: an employer pays for studies, the graduate works there


class Employment(StrEnum):
    """«Работа России»'s enumeration (Приказ Роструда № 173)."""

    FULL = "full"  # Полная занятость
    PART = "part"  # Частичная занятость
    TEMPORARY = "temporary"  # Временная
    INTERNSHIP = "internship"  # Стажировка
    SEASONAL = "seasonal"  # Сезонная занятость
    REMOTE = "remote"  # Удаленная


class Schedule(StrEnum):
    FULL_DAY = "full_day"  # Полный рабочий день
    SHIFTS = "shifts"  # Сменный график
    FLEXIBLE = "flexible"  # Гибкий график
    ROTATION = "rotation"  # Вахтовый метод
    IRREGULAR = "irregular"  # Ненормированный рабочий день
    PART_DAY = "part_day"  # Неполный рабочий день


class VacancyStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # gone from the source or closed by the employer
    EXPIRED = "expired"  # not renewed for too long


class Hazard(StrEnum):
    """What ТК РФ ст. 265 and 268 forbid to anyone under 18, as a vacancy may declare or its text reveal."""

    NIGHT = "night"  # 22:00–06:00 (ст. 96)
    OVERTIME = "overtime"
    WEEKENDS = "weekends"  # work on weekends and holidays
    TRAVEL = "travel"  # business trips
    HARMFUL = "harmful"  # harmful or dangerous conditions, underground work, heavy loads
    ALCOHOL_TOBACCO = "alcohol_tobacco"  # producing, carrying or selling alcohol, tobacco
    GAMBLING_NIGHTLIFE = "gambling_nightlife"  # gambling, night clubs


@dataclass(frozen=True, slots=True)
class Employer:
    name: str
    inn: str | None = None
    ogrn: str | None = None


@dataclass(frozen=True, slots=True)
class VacancyDraft:
    """A vacancy as an importer hands it over (no id of ours yet). Texts are plain (HTML stripped);
    salaries are roubles a month, None when not stated; the employer's contact person never gets here."""

    source: str  # "trudvsem", "local" (CSV/YAML of local employers and colleges), "demo"
    source_id: str  # the id in the source: with ``source`` the natural key
    kind: VacancyKind
    title: str
    employer: Employer
    municipality: str | None  # OKATO code of a Samara-region municipality, from the address
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    salary_from: int | None = None
    salary_to: int | None = None
    employment: Employment = Employment.FULL
    schedule: Schedule = Schedule.FULL_DAY
    duties: str = ""
    requirements: str = ""
    education: str = ""
    experience_required: bool = False  # the source's experience code is not years: only "needed or not"
    skills: tuple[str, ...] = ()
    work_places: int = 1
    min_age: int = 18  # the youngest the employer takes
    hours_per_week: float | None = None  # as stated, for the minors' limits (ТК РФ ст. 92)
    hours_per_day: float | None = None  # ст. 94
    hazards: frozenset[Hazard] = frozenset()
    profession: str = ""  # the profession's name as in the career catalogue, when known
    source_url: str = ""
    published_at: datetime | None = None
    modified_at: datetime | None = None
    status: VacancyStatus = VacancyStatus.OPEN


@dataclass(frozen=True, slots=True)
class Vacancy(VacancyDraft):
    id: int = 0

    @property
    def is_open(self) -> bool:
        return self.status is VacancyStatus.OPEN


@dataclass(frozen=True, slots=True)
class VacancyQuery:
    """A search as the person set it up: text plus filters, one page at a time."""

    text: str = ""
    municipality: str | None = None
    kinds: frozenset[VacancyKind] = frozenset()  # empty: every kind
    part_time: bool = False  # part-time or flexible, not full days
    salary_from: int | None = None
    no_experience: bool = False
    remote: bool = False
    page: int = 0
    per_page: int = 5

    @property
    def filters(self) -> int:
        """How many filters are on (the benchmark's 0–4)."""
        return sum(
            (
                self.municipality is not None,
                bool(self.kinds),
                self.part_time,
                self.salary_from is not None,
                self.no_experience,
                self.remote,
            )
        )


@dataclass(frozen=True, slots=True)
class SeekerFacts:
    """What matching and the minors' law read of a person: the profile, the career-test result and an age
    known at worst (the youngest the birth year allows)."""

    age: int | None  # None: unknown, treated as a minor until told otherwise
    municipality: str | None = None
    specialty: str | None = None
    professions: tuple[str, ...] = ()  # from the latest career test, best first
    test_spheres: tuple[str, ...] = ()  # e.g. Klimov's «Человек — техника»
    studying: bool = True  # a pupil or student: the school-year limits apply outside holidays
    has_experience: bool = False


@dataclass(frozen=True, slots=True)
class VacancyPage:
    items: tuple[Vacancy, ...]
    total: int
    page: int
    per_page: int
    # Counting stops at the store's cap (``search.MAX_TOTAL``, 1,000): then ``total`` is the cap and the
    # card says «больше 1000»; nobody pages that far, and an exact count of a broad search costs a scan.
    capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a vacancy is suggested: a text key of the conversation and its values (shown to the person)."""

    code: str  # "specialty", "near_home", "test_sphere", "test_profession", "no_experience", "age"
    value: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    vacancy: Vacancy
    score: float
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


class ApplicationStatus(StrEnum):
    SENT = "sent"
    ANSWERED = "answered"  # the employer answered (asked at the follow-up)
    NO_ANSWER = "no_answer"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class Application:
    id: int
    person_id: int
    vacancy_id: int
    created_at: datetime
    message: str = ""
    status: ApplicationStatus = ApplicationStatus.SENT
    answered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did; ``problems`` lists every rejected row as «row N: what is wrong»."""

    added: int = 0
    updated: int = 0
    closed: int = 0
    unchanged: int = 0
    problems: tuple[str, ...] = ()


FOLLOW_UP_AFTER = timedelta(days=7)  # «работодатель ответил?» a week after applying
FOLLOW_UP_WINDOW = timedelta(days=7)  # and asked until a week later at most (then the question is stale)


@dataclass(frozen=True, slots=True)
class FollowUpTarget:
    """An application whose follow-up is due: sent at ``applied_at``, not answered yet."""

    application_id: int
    person_id: int
    vacancy_id: int
    title: str
    employer: str
    applied_at: datetime

    @property
    def due_at(self) -> datetime:
        return self.applied_at + FOLLOW_UP_AFTER
