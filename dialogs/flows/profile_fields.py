"""Which profile fields each role is asked, and how each field is read from text and shown back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from backend_client.models import ContactTime, Profile, Role
from backend_client.reference import municipality
from dialogs.texts import catalog, t
from dialogs.validation import (
    parse_birth,
    parse_course,
    parse_free_text,
    parse_grade,
    parse_name,
)

Value = str | int


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    optional: bool = False
    # text -> value; None for fields answered only by buttons or by a dedicated matcher
    parse: Callable[[str, Role, date], Value] | None = None


def _age_to_year(text: str, role: Role, today: date) -> int:
    return parse_birth(text, role, today)[1]  # a typed year is kept as typed


FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        FieldSpec("display_name", parse=lambda text, role, today: parse_name(text)),
        FieldSpec("birth_year", parse=_age_to_year),
        FieldSpec("municipality"),
        FieldSpec("institution", parse=lambda text, role, today: parse_free_text(text, limit=120)),
        FieldSpec("grade", parse=lambda text, role, today: parse_grade(text)),
        FieldSpec(
            "course",
            parse=lambda text, role, today: parse_course(text, 6 if role is Role.UNIVERSITY_STUDENT else 5),
        ),
        FieldSpec("specialty", parse=lambda text, role, today: parse_free_text(text, limit=120)),
        FieldSpec(
            "interests", optional=True, parse=lambda text, role, today: parse_free_text(text, limit=300)
        ),
        FieldSpec("contact_time", optional=True),
    )
}

_COMMON_TAIL = ("interests", "contact_time")
ROLE_FIELDS: dict[Role, tuple[str, ...]] = {
    Role.PUPIL: ("display_name", "birth_year", "municipality", "institution", "grade", *_COMMON_TAIL),
    Role.COLLEGE_STUDENT: (
        "display_name",
        "birth_year",
        "municipality",
        "institution",
        "course",
        "specialty",
        *_COMMON_TAIL,
    ),
    Role.UNIVERSITY_STUDENT: (
        "display_name",
        "birth_year",
        "municipality",
        "institution",
        "course",
        "specialty",
        *_COMMON_TAIL,
    ),
    Role.GRADUATE: ("display_name", "birth_year", "municipality", "institution", "specialty", *_COMMON_TAIL),
    Role.PARENT: ("display_name", "municipality", "contact_time"),
    Role.JOBSEEKER: ("display_name", "birth_year", "municipality", "specialty", *_COMMON_TAIL),
}


def fields_for(role: Role | None) -> tuple[str, ...]:
    return ROLE_FIELDS.get(role or Role.JOBSEEKER, ROLE_FIELDS[Role.JOBSEEKER])


def label(field: str, role: Role | None) -> str:
    key = f"profile.label.{field}"
    role_key = f"{key}.{role.value}" if role else key
    return t(role_key) if role_key in catalog() else t(f"{key}.default")


def show_value(field: str, value: object) -> str:
    if value is None or value == "":
        return t("profile.empty_value")
    if field == "municipality":
        found = municipality(str(value))
        return found.title if found else str(value)
    if field == "contact_time" and str(value) in ContactTime._value2member_map_:
        return t(f"profile.contact.{value}")
    return str(value)


def summary(profile: Profile, role: Role | None) -> str:
    lines = [
        f"{label(field, role)}: {show_value(field, getattr(profile, field))}" for field in fields_for(role)
    ]
    return "\n".join(lines)
