"""Free text into the work search: the intent chooses the kinds, the entities fill the rest.

«ищу работу сварщиком в тольятти без опыта» (find_job) -> «сварщик», Тольятти, no experience;
«стажировка для программиста» (internship) -> internships and practice, «программист»;
«подработка на лето в сызрани» (summer_job) -> temporary work, Сызрань.
"""

from __future__ import annotations

from collections.abc import Callable

from backend_client.reference import MUNICIPALITIES
from backend_client.vacancies.models import VacancyKind
from dialogs.flows.jobs.search import Search
from nlu.types import Parse

_CODE_BY_NAME = {m.name: m.code for m in MUNICIPALITIES}
# nlu/data/entities.yml, lookup ``job_filter``: the canonical values its synonyms resolve to
_FLAGS = {"без опыта": "no_experience", "удалённо": "remote", "неполный день": "part_time"}

ENTRY = "search"  # the flow's entry that takes the argument


def search_of(parse: Parse, kinds: frozenset[VacancyKind] = frozenset()) -> Search:
    words = parse.first("profession") or parse.first("organisation")
    place = parse.first("municipality")
    flags = {_FLAGS[e.value] for e in parse.entities if e.entity == "job_filter" and e.value in _FLAGS}
    return Search(
        text=words.value if words is not None else "",
        place=_CODE_BY_NAME.get(place.value) if place is not None else None,
        kinds=kinds,
        part_time="part_time" in flags,
        no_experience="no_experience" in flags,
        remote="remote" in flags,
    )


def search_arg(*kinds: VacancyKind) -> Callable[[Parse], str]:
    """The route argument of an intent that looks for ``kinds`` (none: every kind)."""
    wanted = frozenset(kinds)

    def arg(parse: Parse) -> str:
        return search_of(parse, wanted).encode()

    return arg


find_job_arg = search_arg()
internship_arg = search_arg(VacancyKind.INTERNSHIP, VacancyKind.PRACTICE)
summer_job_arg = search_arg(VacancyKind.TEMPORARY)
