"""Typed professions («на сварщика», «медсестрой») to the career catalogue's professions.

Russian nouns change their endings, so a word is compared by its stem: its letters without the last two
(at least four kept), found at the start of a title's word, or inside one for stems of five or more
(«механика» finds «Автомеханик» and «механизатор»).
"""

from __future__ import annotations

import re

from dialogs.career.catalogue import Profession, catalogue

_WORD = re.compile(r"[а-яё]+")
_NOISE = frozenset(
    {"где", "учат", "учиться", "колледж", "колледжи", "техникум", "техникумы", "хочу", "стать", "профессия"}
)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold().replace("ё", "е"))


def _stem(word: str) -> str:
    return word[: max(4, len(word) - 2)]


def _fits(stem: str, title_words: list[str]) -> bool:
    return any(w.startswith(stem) or (len(stem) >= 5 and stem in w) for w in title_words)


# Everyday words for a catalogue profession whose title says it otherwise (stems, as typed words are).
_ALIASES = {"медсест": "nurse", "медбрат": "nurse", "электрик": "electrician", "айтишн": "programmer"}


def match_professions(text: str) -> list[Profession]:
    """Professions whose title every meaningful typed word fits, in the catalogue's order."""
    for word in _words(text):
        alias = next((i for stem, i in _ALIASES.items() if word.startswith(stem)), None)
        found = catalogue().get(alias) if alias else None
        if found is not None:
            return [found]
    stems = [_stem(w) for w in _words(text) if len(w) >= 4 and w not in _NOISE]
    if not stems:
        return []
    return [p for p in catalogue().professions if all(_fits(s, _words(p.title)) for s in stems)]
