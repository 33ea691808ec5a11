"""One «Работа России» open-data page and vacancy record, read into drafts (DOMAIN.md §2.3–2.6).

The page: ``{"status": "200", "meta": {"total": …, "limit": …}, "results": {"vacancies": [{"vacancy":
{…}}]}}``; an empty page has ``"results": {}``; ``meta.total`` comes as a number or a string. Keys are
partly hyphenated (``job-name``, ``creation-date``, ``hr-agency``).

How a record becomes a ``VacancyDraft`` (``draft_of``), decided here:

- Only the fields below are read; ``contact_person``, ``contact_list`` and the company's e-mail, phone and
  fax — personal data of the employer's staff — are never looked at, and e-mails and phone numbers written
  into the free texts are scrubbed (``text.plain_text``). The card links to ``vac_url`` instead.
- Salaries: ``salary_min``/``salary_max`` as numbers or strings; 0 or empty is "not stated". An absurd
  figure (under 1 000 or over 1 000 000 roubles a month: typos, hourly rates, annual sums) is cleared, not
  the vacancy rejected — the rest of the record is good and the source is the authority on it; a maximum
  below the minimum is cleared likewise, and a maximum equal to the minimum means "from N" (§2.6).
- ``requirement.experience`` is an undocumented code, not years: 0 is "not needed", anything else
  "needed", unless the requirements say «без опыта» / «опыт не требуется».
- ``duty`` and ``requirements`` lose their HTML (scripts and styles whole), entities are unescaped, the
  length is capped (``text.MAX_TEXT``).
- Employment and schedule texts map to the enumerations of Приказ Роструда № 173 by their stems; an unknown
  or missing one is full employment and a full day. Remote work is read from the employment, the schedule
  or the title («удалённо», «дистанционно», «на дому») and marks a full-time record REMOTE.
- Kind: «Стажировка» (or «стажёр» in the title) is an internship, «практикант» practice, «Временная» and
  «Сезонная» temporary work; everything else a job.
- Municipality: the OKATO code of the first of the region's municipalities the address names
  (``places``); None outside the region or when the address names none. Coordinates are strings; a
  missing, zero or out-of-range one is None.
- ``min_age`` is 18: the API does not say whether minors are taken, so no record of it is ever shown to
  a minor. Hazards (``hazards.py``) are still read, for the day an employer says otherwise.
- Rejected (``BadVacancy``, the reason in words): not an object, no ``id``, no ``job-name``, no company
  name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from backend_client.vacancies.errors import BadVacancy
from backend_client.vacancies.hazards import detect_hazards
from backend_client.vacancies.importers.places import municipality_in_address
from backend_client.vacancies.importers.text import MAX_LINE, plain_line, plain_text
from backend_client.vacancies.models import Employer, Employment, Schedule, VacancyDraft, VacancyKind

SOURCE = "trudvsem"
MOSCOW = timezone(timedelta(hours=3))  # the platform's dates carry +0300 or no zone at all
SALARY_FLOOR, SALARY_CEILING = 1_000, 1_000_000  # roubles a month; outside: cleared as absurd
MAX_ID = 64  # the catalogue's limit
MAX_NAME = 200  # titles and employers' names, as the catalogue takes them
MAX_SKILLS, MAX_WORK_PLACES = 30, 10_000
CARD_URL = "https://trudvsem.ru/vacancy/card/{company}/{id}"

EMPLOYMENT_STEMS = (  # first stem found wins: «неполн» before «полн»
    ("стажир", Employment.INTERNSHIP),
    ("сезон", Employment.SEASONAL),
    ("времен", Employment.TEMPORARY),
    ("частичн", Employment.PART),
    ("удален", Employment.REMOTE),
    ("дистанц", Employment.REMOTE),
    ("полн", Employment.FULL),
)
SCHEDULE_STEMS = (
    ("вахт", Schedule.ROTATION),
    ("сменн", Schedule.SHIFTS),
    ("гибк", Schedule.FLEXIBLE),
    ("ненормир", Schedule.IRREGULAR),
    ("неполн", Schedule.PART_DAY),
    ("полн", Schedule.FULL_DAY),
)
_REMOTE = re.compile(r"удален|дистанцион|на дому|из дома")
_NO_EXPERIENCE = re.compile(r"без опыта|опыт[а-я]*(?: работы)? не (?:требуется|обязател|нужен)")
_INTERN_TITLE = re.compile(r"стажер|стажировк")
_PRACTICE_TITLE = re.compile(r"практикант|производственн[а-я]* практик")


class BadPage(ValueError):
    """The body is not a page of the API (the message says why, without the body)."""


@dataclass(frozen=True, slots=True)
class SourcePage:
    records: tuple[Any, ...]  # each record out of its ``{"vacancy": …}`` wrapper (anything, for draft_of)
    total: int | None  # ``meta.total`` when it is a count


def read_page(body: Any) -> SourcePage:
    """The records and total of a decoded page. Raises BadPage when the shape is not the API's."""
    if not isinstance(body, Mapping):
        raise BadPage("the page is not a JSON object")
    status = body.get("status")
    if status is not None and str(status).strip() != "200":
        raise BadPage(f"the page says status {str(status)[:20]!r}")
    results = body.get("results")
    if results is None or results == {} or results == []:
        return SourcePage((), _count(_get(body, "meta", "total")))
    if not isinstance(results, Mapping):
        raise BadPage("'results' is not an object")
    items = results.get("vacancies", [])
    if not isinstance(items, list):
        raise BadPage("'results.vacancies' is not a list")
    records = tuple(_unwrap(item) for item in items)
    return SourcePage(records, _count(_get(body, "meta", "total")))


def _unwrap(item: Any) -> Any:
    if isinstance(item, Mapping) and isinstance(item.get("vacancy"), Mapping):
        return item["vacancy"]
    return item


def _count(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None and number >= 0 else None


def source_id_of(record: Any) -> str | None:
    """The record's id as a problem should name it, when it has a usable one."""
    if not isinstance(record, Mapping):
        return None
    value = record.get("id")
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    return text if 0 < len(text) <= MAX_ID else None


def draft_of(record: Any) -> VacancyDraft:
    """One record as a draft; BadVacancy says why it cannot be one."""
    if not isinstance(record, Mapping):
        raise BadVacancy("the record is not an object")
    source_id = source_id_of(record)
    if source_id is None:
        raise BadVacancy("no id")
    title = plain_line(record.get("job-name"), MAX_NAME)
    if not title:
        raise BadVacancy("no job-name (title)")
    employer = _employer(record.get("company"))
    duties = plain_text(record.get("duty"))
    requirements = plain_text(record.get("requirements")) or plain_text(
        _get(record, "requirement", "qualification")
    )
    employment_text, schedule_text = _line(record.get("employment")), _line(record.get("schedule"))
    employment = _employment(employment_text, schedule_text, title)
    address, latitude, longitude = _place(record.get("addresses"))
    salary_from, salary_to = _salaries(record.get("salary_min"), record.get("salary_max"))
    published = _date(record.get("creation-date"))
    return VacancyDraft(
        source=SOURCE,
        source_id=source_id,
        kind=_kind(employment, title),
        title=title,
        employer=employer,
        municipality=municipality_in_address(address) if address else None,
        address=address,
        latitude=latitude,
        longitude=longitude,
        salary_from=salary_from,
        salary_to=salary_to,
        employment=employment,
        schedule=_pick(schedule_text, SCHEDULE_STEMS, Schedule.FULL_DAY),
        duties=duties,
        requirements=requirements,
        education=plain_line(_get(record, "requirement", "education"), 100),
        experience_required=_experience(_get(record, "requirement", "experience"), requirements),
        skills=_skills(record.get("skills")),
        work_places=_work_places(record.get("work_places")),
        min_age=18,
        hazards=detect_hazards(
            (title, duties, requirements, schedule_text, plain_text(record.get("conditions")))
        ),
        source_url=_card_url(record, source_id, employer),
        published_at=published,
        modified_at=_modified(record) or published,
    )


def _get(record: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(record, Mapping):
            return None
        record = record.get(key)
    return record


def _line(value: Any) -> str:
    return plain_line(value).lower().replace("ё", "е")


def _employer(company: Any) -> Employer:
    if not isinstance(company, Mapping):
        raise BadVacancy("no company")
    name = plain_line(company.get("name"), MAX_NAME)
    if not name:
        raise BadVacancy("no company name")
    return Employer(name, _digits(company.get("inn"), (10, 12)), _digits(company.get("ogrn"), (13, 15)))


def _digits(value: Any, lengths: Sequence[int]) -> str | None:
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    return text if text.isdigit() and len(text) in lengths else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except ValueError:
            return None
    return None


def _salary(value: Any) -> int | None:
    number = _number(value)
    if number is None or not SALARY_FLOOR <= number <= SALARY_CEILING:
        return None  # 0 is "not stated"; the rest is absurd
    return round(number)


def _salaries(low: Any, high: Any) -> tuple[int | None, int | None]:
    salary_from, salary_to = _salary(low), _salary(high)
    if salary_from is not None and salary_to is not None and salary_to <= salary_from:
        salary_to = None  # equal: "from N"; lower: a slip, the minimum is the safer figure
    return salary_from, salary_to


def _pick(text: str, table: Sequence[tuple[str, Any]], default: Any) -> Any:
    return next((value for stem, value in table if stem in text), default)


def _employment(employment_text: str, schedule_text: str, title: str) -> Employment:
    employment: Employment = _pick(employment_text, EMPLOYMENT_STEMS, Employment.FULL)
    remote = any(_REMOTE.search(text) for text in (schedule_text, title.lower().replace("ё", "е")))
    return Employment.REMOTE if remote and employment is Employment.FULL else employment


def _kind(employment: Employment, title: str) -> VacancyKind:
    lowered = title.lower().replace("ё", "е")
    if employment is Employment.INTERNSHIP or _INTERN_TITLE.search(lowered):
        return VacancyKind.INTERNSHIP
    if _PRACTICE_TITLE.search(lowered):
        return VacancyKind.PRACTICE
    if employment in (Employment.TEMPORARY, Employment.SEASONAL):
        return VacancyKind.TEMPORARY
    return VacancyKind.JOB


def _experience(code: Any, requirements: str) -> bool:
    if _NO_EXPERIENCE.search(requirements.lower().replace("ё", "е")):
        return False
    number = _number(code)
    return number is not None and number > 0


def _skills(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    names: list[str] = []
    for item in items:
        raw = item.get("skill_name") if isinstance(item, Mapping) else item
        name = plain_line(raw, 100)
        if name and name.casefold() not in {known.casefold() for known in names}:
            names.append(name)
    return tuple(names[:MAX_SKILLS])


def _work_places(value: Any) -> int:
    number = _number(value)
    return int(number) if number is not None and 1 <= number <= MAX_WORK_PLACES else 1


def _place(addresses: Any) -> tuple[str, float | None, float | None]:
    listed = _get(addresses, "address") if isinstance(addresses, Mapping) else addresses
    first = listed[0] if isinstance(listed, list) and listed else listed
    if not isinstance(first, Mapping):
        return "", None, None
    address = plain_line(first.get("location"), MAX_LINE)
    return address, _coordinate(first.get("lat"), 90), _coordinate(first.get("lng"), 180)


def _coordinate(value: Any, bound: float) -> float | None:
    number = _number(value)
    return number if number is not None and number != 0 and -bound <= number <= bound else None


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=MOSCOW)


def _modified(record: Mapping[str, Any]) -> datetime | None:
    for key in ("date_modify", "modify-date", "modification-date"):
        moment = _date(record.get(key))
        if moment is not None:
            return moment
    return None


def _card_url(record: Mapping[str, Any], source_id: str, employer: Employer) -> str:
    given = record.get("vac_url")
    if isinstance(given, str) and given.strip().startswith("https://") and len(given.strip()) <= 400:
        return given.strip()  # an http:// or odd link is rebuilt: the card is only linked over https
    company = _digits(_get(record, "company", "companycode"), (13, 15)) or employer.ogrn
    return CARD_URL.format(company=company, id=source_id) if company else ""
