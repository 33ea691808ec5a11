"""Free text into the work search: the intent chooses the kinds, the entities fill the rest.

«ищу работу сварщиком в тольятти без опыта» (find_job) -> «сварщик», Тольятти, no experience;
«стажировка для программиста» (internship) -> internships and practice, «программист»;
«подработка на лето в сызрани» (summer_job) -> temporary work, Сызрань.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from backend_client.reference import MUNICIPALITIES
from backend_client.vacancies.models import VacancyKind
from backend_client.vacancies.terms import KIND_WORDS, words
from dialogs.flows.jobs.search import Search
from nlu.types import Parse

_CODE_BY_NAME = {m.name: m.code for m in MUNICIPALITIES}
# nlu/data/entities.yml, lookup ``job_filter``: the canonical values its synonyms resolve to
_FLAGS = {"без опыта": "no_experience", "удалённо": "remote", "неполный день": "part_time"}

ENTRY = "search"  # the flow's entry that takes the argument
# The work intents and the kinds each looks for (none: every kind).
JOB_INTENTS: dict[str, frozenset[VacancyKind]] = {
    "find_job": frozenset(),
    "internship": frozenset({VacancyKind.INTERNSHIP, VacancyKind.PRACTICE}),
    "summer_job": frozenset({VacancyKind.TEMPORARY}),
}
# Entities that become filters, and words that only say which kind: neither is kept as search words.
_FILTER_ENTITIES = frozenset({"municipality", "job_filter", "date", "age", "grade", "course"})
_KIND_WORDS = frozenset(
    {word for said in KIND_WORDS.values() for word in said.split()}
    | {"каникулы", "подросток", "школьник", "студент", "подработать", "заработать", "работать", "выпускник"}
)
_TOKEN = re.compile(r"[\w-]+")


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


def typed_search(current: Search, typed: str, parse: Parse | None) -> Search:
    """Words typed on a search screen. Understood as a work wish with something to go by («программистом
    в самаре без опыта»), its entities set the filters and the rest stays the words; otherwise the words
    are searched as they are. Filters already on stay unless the words set them anew."""
    if parse is None or parse.intent not in JOB_INTENTS:
        return replace(current, text=typed)
    found = search_of(parse, JOB_INTENTS[parse.intent])
    if found == Search():
        return replace(current, text=typed)
    return Search(
        text=found.text or _leftover(typed, parse),
        place=found.place or current.place,
        kinds=found.kinds or current.kinds,
        part_time=found.part_time or current.part_time,
        salary=current.salary,
        no_experience=found.no_experience or current.no_experience,
        remote=found.remote or current.remote,
    )


def _leftover(typed: str, parse: Parse) -> str:
    """The typed words without the filters' entities, stopwords and kind words: «звукорежиссёром»."""
    kept = list(typed)
    for entity in parse.entities:
        if entity.entity in _FILTER_ENTITIES:
            kept[entity.start : entity.end] = " " * (entity.end - entity.start)
    tokens = _TOKEN.findall("".join(kept))
    return " ".join(token for token in tokens if (lemmas := words(token)) and not set(lemmas) <= _KIND_WORDS)


def search_arg(*kinds: VacancyKind) -> Callable[[Parse], str]:
    """The route argument of an intent that looks for ``kinds`` (none: every kind)."""
    wanted = frozenset(kinds)

    def arg(parse: Parse) -> str:
        return search_of(parse, wanted).encode()

    return arg


find_job_arg = search_arg(*JOB_INTENTS["find_job"])
internship_arg = search_arg(*JOB_INTENTS["internship"])
summer_job_arg = search_arg(*JOB_INTENTS["summer_job"])
