"""How colleges read: a list line, a card, a study form and its length (the words are in colleges.yaml)."""

from __future__ import annotations

from backend_client.colleges.models import College, Program
from backend_client.reference import municipality
from dialogs.texts import t


def town(code: str) -> str:
    found = municipality(code)
    return found.title if found else code


def duration(months: int) -> str:
    years, rest = divmod(months, 12)
    parts = [t("colleges.years", n=years)] if years else []
    if rest:
        parts.append(t("colleges.months", n=rest))
    return " ".join(parts)


def program_line(program: Program) -> str:
    line = t(
        "colleges.program_line",
        code=program.code,
        title=program.title,
        form=t(f"colleges.form.{program.form.value}"),
        grade=program.after_grade,
        length=duration(program.months),
    )
    if program.targeted:
        line += "\n" + t("colleges.targeted_line", offer=program.targeted)
    return line


def card_text(college: College) -> str:
    contacts = [t("colleges.phone", phone=college.phone)] if college.phone else []
    if college.site:
        contacts.append(t("colleges.site", site=college.site))
    parts = [
        t("colleges.card_title", name=college.name),
        t("colleges.address", town=town(college.municipality), address=college.address),
    ]
    if contacts:
        parts.append(" · ".join(contacts))
    parts.append(t("colleges.programs") + "\n" + "\n".join(program_line(p) for p in college.programs))
    if college.targeted:
        parts.append(t("colleges.targeted_note"))
    if college.illustrative:
        parts.append(t("colleges.demo_note"))
    return "\n\n".join(parts)


def list_line(number: int, college: College, programs: tuple[Program, ...] = ()) -> str:
    """``programs``: the ones that matter here (for a profession); otherwise how many there are."""
    shown = programs or college.programs
    titles = ", ".join(dict.fromkeys(p.title for p in shown))
    mark = t("colleges.targeted_mark") if any(p.targeted for p in shown) else ""
    return t(
        "colleges.line",
        number=number,
        name=college.name,
        town=town(college.municipality),
        titles=titles,
        mark=mark,
    )
