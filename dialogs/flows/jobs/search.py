"""A search as the person set it up: typed words and filters, what each active filter reads like on its
«✕» chip, and a compact text form for an intent's pre-filled entry and the conversation state."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from urllib.parse import quote, unquote

from backend_client.reference import BY_CODE
from backend_client.vacancies.models import VacancyKind, VacancyQuery
from dialogs.texts import t
from dialogs.views.jobs import kind_name, money, place_name

MAX_SALARY = 1_000_000  # roubles a month: above it a typed figure is not a salary


class Filter(StrEnum):
    """One filter of a search: a chip to remove, a switch to toggle. The kinds share their names with
    ``VacancyKind``, so a kind's filter is ``Filter(kind.value)``."""

    TEXT = "text"
    PLACE = "place"
    JOB = "job"
    INTERNSHIP = "internship"
    PRACTICE = "practice"
    TEMPORARY = "temporary"
    TARGETED = "targeted"
    PART_TIME = "part_time"
    SALARY = "salary"
    NO_EXPERIENCE = "no_experience"
    REMOTE = "remote"


KINDS = {Filter(kind.value): kind for kind in VacancyKind}
SWITCHES = (Filter.PART_TIME, Filter.NO_EXPERIENCE, Filter.REMOTE)  # on/off, no value
TOGGLES = frozenset({*KINDS, *SWITCHES})


@dataclass(frozen=True, slots=True)
class Search:
    text: str = ""
    place: str | None = None  # OKATO code
    kinds: frozenset[VacancyKind] = frozenset()
    part_time: bool = False
    salary: int | None = None
    no_experience: bool = False
    remote: bool = False

    def query(self, page: int, per_page: int) -> VacancyQuery:
        return VacancyQuery(
            text=self.text,
            municipality=self.place,
            kinds=self.kinds,
            part_time=self.part_time,
            salary_from=self.salary,
            no_experience=self.no_experience,
            remote=self.remote,
            page=page,
            per_page=per_page,
        )

    def active(self) -> list[Filter]:
        """The filters that are on, in the order their chips are shown."""
        order = (Filter.TEXT, Filter.PLACE, *KINDS, Filter.SALARY, *SWITCHES)
        return [chip for chip in order if self.is_on(chip)]

    def is_on(self, chip: Filter) -> bool:
        if chip in KINDS:
            return KINDS[chip] in self.kinds
        values = {
            Filter.TEXT: self.text,
            Filter.PLACE: self.place,
            Filter.SALARY: self.salary,
            Filter.PART_TIME: self.part_time,
            Filter.NO_EXPERIENCE: self.no_experience,
            Filter.REMOTE: self.remote,
        }
        return bool(values[chip])

    def without(self, chip: Filter) -> Search:
        if chip is Filter.TEXT:
            return replace(self, text="")
        if chip is Filter.PLACE:
            return replace(self, place=None)
        if chip is Filter.SALARY:
            return replace(self, salary=None)
        if chip in KINDS:
            return replace(self, kinds=self.kinds - {KINDS[chip]})
        return self._switched(chip, False)

    def toggled(self, chip: Filter) -> Search:
        """A kind or a switch turned over; other filters are set by value, not toggled."""
        if self.is_on(chip):
            return self.without(chip)
        if chip in KINDS:
            return replace(self, kinds=self.kinds | {KINDS[chip]})
        return self._switched(chip, True)

    def _switched(self, chip: Filter, on: bool) -> Search:
        if chip is Filter.PART_TIME:
            return replace(self, part_time=on)
        if chip is Filter.NO_EXPERIENCE:
            return replace(self, no_experience=on)
        if chip is Filter.REMOTE:
            return replace(self, remote=on)
        raise ValueError(f"{chip} is not an on/off filter")

    # -- the compact form: «t=сварщик;m=36440;k=internship,practice;p;x;r;s=30000» -----------------------
    def encode(self) -> str:
        parts = []
        if self.text:
            parts.append(f"t={quote(self.text, safe='')}")
        if self.place:
            parts.append(f"m={self.place}")
        if self.kinds:
            parts.append("k=" + ",".join(sorted(kind.value for kind in self.kinds)))
        if self.salary:
            parts.append(f"s={self.salary}")
        parts += [
            flag for flag, on in (("p", self.part_time), ("x", self.no_experience), ("r", self.remote)) if on
        ]
        return ";".join(parts)

    @classmethod
    def decode(cls, raw: str) -> Search:
        """Tolerant: what does not parse is left out (an old release's state, a forged argument)."""
        values: dict[str, str] = {}
        for part in raw.split(";"):
            key, _, value = part.partition("=")
            values[key] = value
        salary = values.get("s", "")
        kinds = {kind for kind in VacancyKind if kind.value in values.get("k", "").split(",")}
        return cls(
            text=unquote(values.get("t", ""))[:100],
            place=values["m"] if values.get("m") in BY_CODE else None,
            kinds=frozenset(kinds),
            part_time="p" in values,
            salary=int(salary)
            if salary.isascii() and salary.isdigit() and 0 < int(salary) <= MAX_SALARY
            else None,
            no_experience="x" in values,
            remote="r" in values,
        )


def chip_text(search: Search, chip: Filter) -> str:
    """How an active filter reads: «сварщик», «Тольятти», «Стажировка», «от 30 000 ₽», «без опыта»."""
    if chip is Filter.TEXT:
        return t("jobs.search_text", text=search.text)
    if chip is Filter.PLACE:
        return t("jobs.chip.place", place=place_name(search.place))
    if chip in KINDS:
        return kind_name(KINDS[chip])
    if chip is Filter.SALARY:
        return t("jobs.chip.salary", salary=money(search.salary or 0))
    return t(f"jobs.chip.{chip.value}")


def filters_line(search: Search) -> str:
    chips = [chip_text(search, chip) for chip in search.active()]
    return t("jobs.filters_line", chips=" · ".join(chips)) if chips else t("jobs.no_filters")


def switch_name(chip: Filter) -> str:
    """A kind or a switch as named on the filters screen."""
    return kind_name(KINDS[chip]) if chip in KINDS else t(f"jobs.chip.{chip.value}").capitalize()
