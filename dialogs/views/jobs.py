"""How vacancies read: pay, schedule, the list line, the card, the minors' limits and the follow-up. Text
only: the work conversation and the follow-up reminder rule both read from here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from backend_client.vacancies.minors import ADULT, YOUNGEST_WORKER, hour_limits, school_holidays
from backend_client.vacancies.models import ApplicationStatus, Reason, Vacancy, VacancyKind
from dialogs.texts import catalog, t
from dialogs.views.events import town

FOLLOW_UP = "followup"  # the public button verb of «Работодатель ответил?» (``dialogs.ui.public_payload``)
REQUIREMENTS_CHARS = 300  # the card shows the start of long texts: the source has the rest
DUTIES_CHARS = 200


def kind_name(kind: VacancyKind) -> str:
    return t(f"jobs.kind.{kind.value}")


def money(amount: int) -> str:
    """35000 -> «35 000»."""
    return f"{amount:,}".replace(",", " ")


def pay_text(vacancy: Vacancy) -> str:
    """«от 35 000 ₽», «35 000–50 000 ₽», «до 50 000 ₽» or «не указана» (the source's 0 means not stated)."""
    low, high = vacancy.salary_from or None, vacancy.salary_to or None
    if low and high and high > low:
        return t("jobs.pay.range", low=money(low), high=money(high))
    if low:
        return t("jobs.pay.from", low=money(low))
    if high:
        return t("jobs.pay.to", high=money(high))
    return t("jobs.pay.unknown")


def place_name(code: str | None) -> str:
    return town(code) if code else "—"


def source_name(source: str) -> str:
    key = f"jobs.source.{source}"
    return t(key) if key in catalog() else t("jobs.source.other", source=source)


def short(text: str, limit: int) -> str:
    """The text cut at a word before ``limit`` characters, with «…» when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",.;:—-")
    return f"{cut}…"


def list_line(number: int, vacancy: Vacancy) -> str:
    """A vacancy in a list of five: title, employer, pay, place, schedule and kind."""
    if not vacancy.is_open:
        return t(
            "jobs.line_closed",
            number=number,
            title=vacancy.title,
            employer=vacancy.employer.name,
            closed=t("jobs.closed"),
        )
    return t(
        "jobs.line",
        number=number,
        title=vacancy.title,
        employer=vacancy.employer.name,
        pay=pay_text(vacancy),
        place=place_name(vacancy.municipality),
        schedule=t(f"jobs.schedule.{vacancy.schedule.value}"),
        kind=kind_name(vacancy.kind),
    )


def card_text(vacancy: Vacancy, *, notes: Iterable[str] = ()) -> str:
    """The whole card: what, who, pay, schedule, where, requirements, duties, experience, the source (with
    its link: the way to the employer; never a contact person) and the notes after it."""
    address = vacancy.address or place_name(vacancy.municipality)
    parts = [
        t(
            "jobs.card",
            title=vacancy.title,
            kind=kind_name(vacancy.kind),
            employer=vacancy.employer.name,
            pay=pay_text(vacancy),
            schedule=t(f"jobs.schedule.{vacancy.schedule.value}"),
            employment=t(f"jobs.employment.{vacancy.employment.value}"),
            address=address,
        )
    ]
    if vacancy.requirements.strip():
        parts.append(t("jobs.card_requirements", text=short(vacancy.requirements, REQUIREMENTS_CHARS)))
    if vacancy.duties.strip():
        parts.append(t("jobs.card_duties", text=short(vacancy.duties, DUTIES_CHARS)))
    parts.append(
        t("jobs.card_experience.needed" if vacancy.experience_required else "jobs.card_experience.not_needed")
    )
    source = source_name(vacancy.source)
    parts.append(
        t("jobs.card_source_link", source=source, url=vacancy.source_url)
        if vacancy.source_url
        else t("jobs.card_source", source=source)
    )
    body = "\n".join(parts)
    extra = [note for note in notes if note]
    if not vacancy.is_open:
        extra.insert(0, t("jobs.closed_note"))
    return "\n\n".join([body, *extra])


def hours(value: float) -> str:
    """2.5 -> «2,5», 24.0 -> «24»."""
    return f"{value:g}".replace(".", ",")


def limits_text(age: int | None, today: date, *, studying: bool) -> str:
    """For 14–17: the daily and weekly limits of the age in the current period (school year or holidays),
    what is never allowed, and for 14-year-olds the parent's written consent. Empty for anyone else."""
    if age is None or not YOUNGEST_WORKER <= age < ADULT:
        return ""
    holidays = school_holidays(today)
    limits = hour_limits(age, studying=studying, holidays=holidays)
    if limits.per_day is None or limits.per_week is None:
        return ""
    key = "jobs.limits.school" if studying and not holidays else "jobs.limits.holidays"
    lines = [t(key, day=hours(limits.per_day), week=hours(limits.per_week)), t("jobs.limits.rest")]
    if age == YOUNGEST_WORKER:
        lines.append(t("jobs.consent_14"))
    return "\n".join(lines)


def reasons_text(reasons: Iterable[Reason]) -> str:
    """«вы учитесь на «Сварочное производство» · рядом с домом»; reasons without a text are left out."""
    known = catalog()
    said = [t(f"jobs.reason.{r.code}", value=r.value) for r in reasons if f"jobs.reason.{r.code}" in known]
    return " · ".join(said) if said else t("jobs.matches.no_reasons")


def status_text(status: ApplicationStatus) -> str:
    return t(f"jobs.status.{status.value}")


def follow_up_text(title: str, employer: str) -> str:
    """«Работодатель ответил?» a week after applying; the answer buttons are the rule's."""
    return t("jobs.follow_up.ask", title=title, employer=employer)
