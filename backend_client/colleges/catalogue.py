"""Reading a colleges catalogue (YAML) into records.

::

    illustrative: false          # true marks demo data: the bot says so on every screen
    colleges:
      - id: tlt-polytech         # a–z, 0–9 and '-'; unique
        name: Тольяттинский политехнический колледж
        municipality: Тольятти   # a name of the region's municipalities or its OKATO code
        address: …
        phone: …                 # optional, like site
        site: …
        programs:
          - code: 15.02.16
            title: Технология машиностроения
            form: очная          # очная | очно-заочная | заочная (or full_time, part_time, extramural)
            after_grade: 9       # 9 or 11
            months: 46           # or duration: "3 г. 10 мес."
            professions: [mechanical_engineer]   # optional: ids of the career catalogue
            targeted: АО «…», 10 мест             # optional: a «Целевое обучение» offer

Problems are collected per college with its number, so an operator sees them all at once; the file is
imported whole or not at all. Profession ids are checked by the caller, which knows the catalogue.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from backend_client.colleges.models import College, Program, StudyForm
from backend_client.reference import MUNICIPALITIES, municipality

MAX_COLLEGES = 2000
_FORMS = {
    "очная": StudyForm.FULL_TIME,
    "очно-заочная": StudyForm.PART_TIME,
    "заочная": StudyForm.EXTRAMURAL,
    **{form.value: form for form in StudyForm},
}
_BY_NAME = {m.name.casefold().replace("ё", "е"): m.code for m in MUNICIPALITIES}
_DURATION = re.compile(r"^\s*(?:(\d+)\s*(?:г|год|года|лет)\.?)?\s*(?:(\d+)\s*мес\.?)?\s*$")


class CatalogueError(ValueError):
    """The file cannot be imported; ``problems`` lists each as "college N: what"."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class _Program(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^\d{2}\.\d{2}\.\d{2}$")
    title: str = Field(min_length=2, max_length=160)
    form: StudyForm
    after_grade: int
    months: int = Field(ge=6, le=72)
    professions: tuple[str, ...] = ()
    targeted: str = Field(default="", max_length=300)

    @field_validator("form", mode="before")
    @classmethod
    def _form(cls, value: Any) -> StudyForm:
        found = _FORMS.get(str(value).strip().casefold())
        if found is None:
            raise ValueError("form is очная, очно-заочная or заочная")
        return found

    @field_validator("after_grade")
    @classmethod
    def _grade(cls, value: int) -> int:
        if value not in (9, 11):
            raise ValueError("after_grade is 9 or 11")
        return value


class _College(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,47}$")
    name: str = Field(min_length=3, max_length=200)
    municipality: str
    address: str = Field(min_length=3, max_length=300)
    phone: str = Field(default="", max_length=40)
    site: str = Field(default="", max_length=200)
    programs: tuple[_Program, ...] = Field(min_length=1, max_length=80)

    @field_validator("municipality", mode="before")
    @classmethod
    def _place(cls, value: Any) -> str:
        text = str(value).strip()
        code = text if municipality(text) else _BY_NAME.get(text.casefold().replace("ё", "е"))
        if code is None:
            raise ValueError(f"{text!r} is not a municipality of the region (a name or an OKATO code)")
        return code


def _months(entry: dict[str, Any]) -> None:
    """``duration: "3 г. 10 мес."`` becomes ``months: 46`` (left as it is when it does not read)."""
    duration = entry.pop("duration", None)
    if duration is None or "months" in entry:
        return
    match = _DURATION.match(str(duration))
    if match and any(match.groups()):
        entry["months"] = int(match.group(1) or 0) * 12 + int(match.group(2) or 0)
    else:
        entry["months"] = str(duration)


def _reasons(error: ValidationError) -> list[str]:
    errors = error.errors()
    nested = any(len(e["loc"]) > 1 for e in errors)
    # a list whose every item failed is also "too short": say only what is wrong with the items
    return [
        _reason(e)
        for e in errors
        if not (e["type"] == "too_short" and e["loc"][:1] == ("programs",) and nested)
    ]


def _reason(error: Any) -> str:
    where = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def parse_colleges(text: str) -> list[College]:
    """Records from a YAML file's text; raises CatalogueError naming every problem of every college."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CatalogueError([f"not YAML: {str(error).splitlines()[0]}"]) from error
    entries = data.get("colleges") if isinstance(data, dict) else data
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(["no colleges: expected a list under 'colleges:'"])
    if len(entries) > MAX_COLLEGES:
        raise CatalogueError([f"{len(entries)} colleges; at most {MAX_COLLEGES} in one file"])
    illustrative = bool(data.get("illustrative", False)) if isinstance(data, dict) else False
    colleges: list[College] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        raw_id = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(raw_id, str) and raw_id in seen:
            problems.append(f"college {number}: id {raw_id} appears twice")
        seen.add(str(raw_id))
        try:
            colleges.append(_read(entry, illustrative))
        except ValidationError as error:
            problems += [f"college {number}: {reason}" for reason in _reasons(error)]
        except ValueError as error:
            problems.append(f"college {number}: {error}")
    if problems:
        raise CatalogueError(problems)
    return colleges


def _read(entry: Any, illustrative: bool) -> College:
    if not isinstance(entry, dict):
        raise ValueError("expected a mapping of id, name, municipality, address, programs")
    entry = dict(entry)
    for program in entry.get("programs") or ():
        if isinstance(program, dict):
            _months(program)
    found = _College.model_validate(entry)
    programs = tuple(Program(**p.model_dump()) for p in found.programs)
    return College(
        id=found.id,
        name=found.name,
        municipality=found.municipality,
        address=found.address,
        phone=found.phone,
        site=found.site,
        programs=programs,
        illustrative=illustrative,
    )
