"""Normalised tokens and lemmas of Russian text (pymorphy3), with offsets into the original."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import pymorphy3

_WORD = re.compile(r"[0-9a-zа-я]+(?:-[0-9a-zа-я]+)*")


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # folded: lower case, ё -> е
    start: int
    end: int
    lemma: str


def fold(text: str) -> str:
    """Lower case with ё -> е, keeping the length so that offsets stay valid."""
    text = unicodedata.normalize("NFC", text)
    return "".join(_lower(ch) for ch in text)


def _lower(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:  # "İ".lower() is two characters: keep offsets rather than the exact case
        return ch
    return "е" if low == "ё" else low


@cache
def _morph() -> pymorphy3.MorphAnalyzer:
    # Loading the dictionaries takes ~0.1 s and ~15 MB; one analyser per process, made on first use.
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=100_000)
def lemma(word: str) -> str:
    """The dictionary form of a folded word; numbers and Latin words stay as they are."""
    if not word or not ("а" <= word[0] <= "я"):
        return word
    return str(_morph().parse(word)[0].normal_form).replace("ё", "е")


@lru_cache(maxsize=100_000)
def known(word: str) -> bool:
    """Whether the dictionary knows the word: only unknown words are candidates for a misspelling."""
    return bool(_morph().word_is_known(word))


def forms(word: str) -> list[str]:
    """Every inflected form of a single word («Отрадный» -> «отрадном», «отрадного», ...)."""
    folded = fold(word)
    if not folded.isalpha():
        return [folded]
    parse = _morph().parse(folded)[0]
    return sorted({str(form.word).replace("ё", "е") for form in parse.lexeme} | {folded})


def tokens(text: str) -> list[Token]:
    folded = fold(text)
    return [Token(m.group(), m.start(), m.end(), lemma(m.group())) for m in _WORD.finditer(folded)]
