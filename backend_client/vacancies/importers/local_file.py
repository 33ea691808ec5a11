"""Vacancies of local employers and colleges from a CSV or YAML file (example:
``backend_client/vacancies/examples/vacancies.csv`` and ``.yaml``). All or nothing: every problem of every
row is listed, and nothing is written while there is one.

Columns (CSV header, or the keys of each entry under ``vacancies:`` in YAML)::

    id             required  the file's own id, 1-64 of letters, digits . _ - ; importing again updates,
                             never duplicates. Ids are shared by every local file: prefix them with your
                             organisation (``tltcollege-2026-01``)
    kind           required  job | internship | practice | temporary | targeted
                             (or работа, стажировка, практика, подработка / временная / сезонная,
                             целевое обучение)
    title          required  the position
    employer       required  the employer's name
    municipality   required  a name of the region's municipalities (Тольятти, «Кинельский район») or its
                             OKATO code (36440)
    employer_inn, employer_ogrn        10/12 and 13/15 digits
    address, latitude, longitude
    salary_from, salary_to             roubles a month, 1000 to 1000000; empty: not stated
    employment     full | part | temporary | internship | seasonal | remote (or the Russian words)
    schedule       full_day | shifts | flexible | rotation | irregular | part_day (or the Russian words)
    duties, requirements, education    plain text (HTML is stripped; e-mails and phones are removed)
    experience     yes | no (да | нет): whether experience is needed; default no
    skills         separated by «,» or «;» (YAML: a list)
    work_places    1 to 10000; default 1
    min_age        14 to 18; default 18. Under 18 the texts must show nothing ТК РФ forbids to minors
                   (night, overtime, weekends, travel, harmful work, alcohol, gambling: ``hazards.py``),
                   and the hours must fit the 16-17-year-olds' limits (7 a day, 35 a week)
    hours_per_day, hours_per_week      as stated to the applicant
    url            a https link to the vacancy's page
    published      YYYY-MM-DD
    status         open | closed; default open
    profession     the profession as named in the career catalogue

CSV: UTF-8 (a BOM is fine), separated by commas, semicolons (Excel's Russian default) or tabs; the header
is row 1, so the first vacancy is row 2.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import yaml

from backend_client.ports.vacancies import VacancyCatalogue
from backend_client.vacancies.hazards import detect_hazards
from backend_client.vacancies.importers import values
from backend_client.vacancies.importers.text import plain_line, plain_text
from backend_client.vacancies.importers.trudvsem import (
    EMPLOYMENT_STEMS,
    MAX_WORK_PLACES,
    SCHEDULE_STEMS,
)
from backend_client.vacancies.models import (
    Employer,
    Employment,
    Hazard,
    ImportReport,
    Schedule,
    VacancyDraft,
    VacancyKind,
    VacancyStatus,
)

SOURCE = "local"
REQUIRED = ("id", "kind", "title", "employer", "municipality")
OPTIONAL = (
    "employer_inn", "employer_ogrn", "address", "latitude", "longitude", "salary_from", "salary_to",
    "employment", "schedule", "duties", "requirements", "education", "experience", "skills", "work_places",
    "min_age", "hours_per_day", "hours_per_week", "url", "published", "status", "profession",
)  # fmt: skip
COLUMNS = REQUIRED + OPTIONAL
MINOR_DAY, MINOR_WEEK = 7, 35  # ТК РФ ст. 94, 92: the most anyone under 18 may work

_KINDS = {
    "работа": VacancyKind.JOB,
    "вакансия": VacancyKind.JOB,
    "стажировка": VacancyKind.INTERNSHIP,
    "практика": VacancyKind.PRACTICE,
    "подработка": VacancyKind.TEMPORARY,
    "временная": VacancyKind.TEMPORARY,
    "сезонная": VacancyKind.TEMPORARY,
    "летняя": VacancyKind.TEMPORARY,
    "целевое обучение": VacancyKind.TARGETED,
    "целевое": VacancyKind.TARGETED,
} | {kind.value: kind for kind in VacancyKind}
_YES, _NO = {"yes", "да", "true", "1", "нужен", "требуется"}, {"no", "нет", "false", "0", "не нужен", ""}
T = TypeVar("T")
_HAZARD_WORDS = {
    Hazard.NIGHT: "night work",
    Hazard.OVERTIME: "overtime",
    Hazard.WEEKENDS: "weekend work",
    Hazard.TRAVEL: "business travel or rotation",
    Hazard.HARMFUL: "harmful or heavy work",
    Hazard.ALCOHOL_TOBACCO: "alcohol or tobacco",
    Hazard.GAMBLING_NIGHTLIFE: "gambling or night clubs",
}


class LocalFileError(ValueError):
    """The file cannot be imported; ``problems`` lists each as «row N: what» (YAML: «entry N: what»)."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


async def import_file(
    catalogue: VacancyCatalogue, text: str, *, filename: str, zone: ZoneInfo
) -> ImportReport:
    """Parse the whole file, then write it in one batch. Raises LocalFileError listing every problem;
    then nothing was written."""
    drafts, rows = parse_vacancies(text, filename=filename, zone=zone)
    report = await catalogue.upsert_vacancies(drafts)
    if report.problems:  # the catalogue's own checks: its «row N» counts drafts from 1
        raise LocalFileError([_in_file(problem, rows) for problem in report.problems])
    return report


def _in_file(problem: str, rows: Sequence[str]) -> str:
    found = re.match(r"row (\d+): (.*)", problem)
    if found and 1 <= int(found.group(1)) <= len(rows):
        return f"{rows[int(found.group(1)) - 1]}: {found.group(2)}"
    return problem


def parse_vacancies(text: str, *, filename: str, zone: ZoneInfo) -> tuple[list[VacancyDraft], list[str]]:
    """The drafts, and where each came from («row 2», «entry 1»). Raises LocalFileError."""
    is_csv = filename.lower().endswith((".csv", ".tsv", ".txt"))
    entries, problems = _csv_entries(text) if is_csv else _yaml_entries(text)
    drafts: list[VacancyDraft] = []
    places: list[str] = []
    first_of: dict[str, str] = {}
    for where, entry in entries:
        fields = _Fields(entry, zone)
        draft = fields.draft()
        problems += [f"{where}: {problem}" for problem in fields.problems]
        if draft is None:
            continue
        if draft.source_id in first_of:
            problems.append(f"{where}: id {draft.source_id} is also in {first_of[draft.source_id]}")
        first_of.setdefault(draft.source_id, where)
        drafts.append(draft)
        places.append(where)
    if problems:
        raise LocalFileError(sorted(problems, key=_row_number))
    if not drafts:
        raise LocalFileError(["the file has no vacancies"])
    return drafts, places


def _row_number(problem: str) -> int:
    found = re.match(r"(?:row|entry) (\d+):", problem)
    return int(found.group(1)) if found else 0


Entries = list[tuple[str, Mapping[str, Any]]]  # («row 2», the values by column)


def _csv_entries(text: str) -> tuple[Entries, list[str]]:
    body = text.lstrip("\ufeff")
    header = body.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    names = [name.strip().lower() for name in next(reader, [])]
    problems = [f"row 1: {problem}" for problem in _header_problems(names)]
    entries: Entries = []
    for number, cells in enumerate(reader, 2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank row, as spreadsheets leave at the end
        if len(cells) > len(names):
            problems.append(f"row {number}: {len(cells)} cells where the header has {len(names)}")
        entries.append(
            (f"row {number}", {name: cell for name, cell in zip(names, cells, strict=False) if name})
        )
    return entries, problems


def _yaml_entries(text: str) -> tuple[Entries, list[str]]:
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as problem:
        raise LocalFileError([f"not YAML: {problem}"]) from None
    items = loaded.get("vacancies") if isinstance(loaded, dict) else loaded
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise LocalFileError(["expected a list of vacancies (under 'vacancies:')"])
    problems: list[str] = []
    for number, item in enumerate(items, 1):
        problems += [f"entry {number}: {p}" for p in _unknown([str(key).strip().lower() for key in item])]
    entries: Entries = [
        (f"entry {number}", {str(key).strip().lower(): value for key, value in item.items()})
        for number, item in enumerate(items, 1)
    ]
    return entries, problems


def _header_problems(names: Sequence[str]) -> list[str]:
    missing = [f"missing column {name!r}" for name in REQUIRED if name not in names]
    doubled = sorted({f"column {name!r} twice" for name in names if name and names.count(name) > 1})
    return missing + _unknown(names) + doubled


def _unknown(names: Sequence[str]) -> list[str]:
    problems = []
    for name in names:
        if name and name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"unknown column {name!r}{hint}")
    return problems


class _Fields:
    """One entry's values, read with every problem collected (not just the first)."""

    def __init__(self, entry: Mapping[str, Any], zone: ZoneInfo) -> None:
        self.entry, self.zone = entry, zone
        self.problems: list[str] = []

    def raw(self, key: str) -> str:
        value = self.entry.get(key)
        return "" if value is None else str(value).strip()

    def read(self, key: str, parse: Callable[[str], T], default: T) -> T:
        """``parse`` the value (ValueError: a problem naming the column); empty is ``default``."""
        value = self.raw(key)
        if value == "":
            if key in REQUIRED:
                self.problems.append(f"{key} is empty")
            return default
        try:
            return parse(value)
        except ValueError as problem:
            self.problems.append(f"{key} {value[:40]!r}: {problem}")
            return default

    def draft(self) -> VacancyDraft | None:
        min_age = self.read("min_age", values.whole(14, 18), 18)
        schedule_text = self.raw("schedule")
        draft = VacancyDraft(
            source=SOURCE,
            source_id=self.read("id", values.identifier, ""),
            kind=self.read("kind", values.choice(_KINDS), VacancyKind.JOB),
            title=self.read("title", values.name_line, ""),
            employer=self._employer(),
            municipality=self.read("municipality", values.municipality, None),
            address=plain_line(self.raw("address")),
            latitude=self.read("latitude", values.within(-90, 90), None),
            longitude=self.read("longitude", values.within(-180, 180), None),
            salary_from=self.read("salary_from", values.salary, None),
            salary_to=self.read("salary_to", values.salary, None),
            employment=self.read(
                "employment", values.enumeration(Employment, EMPLOYMENT_STEMS), Employment.FULL
            ),
            schedule=self.read("schedule", values.enumeration(Schedule, SCHEDULE_STEMS), Schedule.FULL_DAY),
            duties=plain_text(self.raw("duties")),
            requirements=plain_text(self.raw("requirements")),
            education=plain_line(self.raw("education"), 100),
            experience_required=self.read("experience", values.yes_no, False),
            skills=self._skills(),
            work_places=self.read("work_places", values.whole(1, MAX_WORK_PLACES), 1),
            min_age=min_age,
            hours_per_day=self.read("hours_per_day", values.within(0.5, 24), None),
            hours_per_week=self.read("hours_per_week", values.within(0.5, 168), None),
            source_url=self.read("url", values.https_link, ""),
            published_at=self.read("published", values.day(self.zone), None),
            status=self.read(
                "status", values.choice({s.value: s for s in VacancyStatus}), VacancyStatus.OPEN
            ),
            profession=plain_line(self.raw("profession"), 100),
        )
        draft = replace(
            draft, hazards=detect_hazards((draft.title, draft.duties, draft.requirements, schedule_text))
        )
        self.problems += _salary_order(draft) + _minors(draft)
        return None if self.problems else draft

    def _employer(self) -> Employer:
        name = self.read("employer", values.name_line, "")
        inn = self.read("employer_inn", values.digits(10, 12), None)
        ogrn = self.read("employer_ogrn", values.digits(13, 15), None)
        return Employer(name, inn, ogrn)

    def _skills(self) -> tuple[str, ...]:
        value = self.entry.get("skills")
        items = value if isinstance(value, list) else re.split(r"[;,]", str(value or ""))
        names = (plain_line(str(item), 100) for item in items)
        return tuple(dict.fromkeys(name for name in names if name))[:30]


def _salary_order(draft: VacancyDraft) -> list[str]:
    if draft.salary_from and draft.salary_to and draft.salary_from > draft.salary_to:
        return [f"salary_from {draft.salary_from} is above salary_to {draft.salary_to}"]
    return []


def _minors(draft: VacancyDraft) -> list[str]:
    """A vacancy opened to minors must be legal for them on its face."""
    if draft.min_age >= 18:
        return []
    problems = [
        f"min_age {draft.min_age}, but the texts mention {_HAZARD_WORDS[hazard]}, forbidden under 18: "
        "fix them or set min_age 18"
        for hazard in sorted(draft.hazards)
    ]
    if draft.hours_per_day is not None and draft.hours_per_day > MINOR_DAY:
        problems.append(
            f"min_age {draft.min_age}, but {draft.hours_per_day:g} hours a day: under 18 at most {MINOR_DAY}"
        )
    if draft.hours_per_week is not None and draft.hours_per_week > MINOR_WEEK:
        week = f"{draft.hours_per_week:g} hours a week"
        problems.append(f"min_age {draft.min_age}, but {week}: under 18 at most {MINOR_WEEK}")
    return problems
