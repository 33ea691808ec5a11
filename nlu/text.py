"""Normalised tokens and lemmas of Russian text (pymorphy3), with offsets into the original.

Normalisation is what a tired thumb on a phone needs: case and ё/е folded, Latin look-alike letters inside a
Cyrillic word read as Cyrillic («пpивет» with a Latin p), letters held down squeezed («спасиииибо»), and
chat spellings («спс», «пж», «шарага») read as the words they stand for (nlu.slang), and Russian typed in
Latin letters («hochu na proftur») read back as Cyrillic (nlu.translit).

Input is bounded before any of that (``clip``, and ``tokens`` cuts overlong words): parsing runs on the event
loop, so one pasted essay or a 4,000-letter word must not cost more than a few milliseconds. The training
data's longest example is 65 characters and its longest word 19 letters; the limits leave room to spare.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import pymorphy3

from nlu.slang import SLANG
from nlu.translit import is_latin, to_cyrillic

_WORD = re.compile(r"[0-9a-zа-я]+(?:-[0-9a-zа-я]+)*")
# A word with Latin and Cyrillic letters side by side. Tried only where a word starts: from every position
# inside a long word the greedy star would rescan the rest of it (a 4,000-letter word took 0.25 s).
_MIXED = re.compile(r"(?<![a-zа-я])[a-zа-я]*(?:[a-z][а-я]|[а-я][a-z])[a-zа-я]*")
# Latin letters that look like Cyrillic ones on a phone keyboard; one for one, so offsets stay valid.
_LOOK_ALIKE = str.maketrans("aeopcxykmthb", "аеорсхукмтнв")
MAX_TEXT_CHARS = 200  # what a request needs: the intent is in the first sentence or two
MAX_WORD_CHARS = 30  # Russian dictionary words are shorter; anything longer is keyboard noise
_HELD_DOWN = re.compile(r"([a-zа-я])\1{2,}")  # three or more of one letter: no Russian word has them


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # folded (lower case, ё -> е, Latin look-alikes) and squeezed: may be shorter than the span
    start: int
    end: int
    lemma: str


def fold(text: str) -> str:
    """Lower case with ё -> е, keeping the length so that offsets stay valid."""
    text = unicodedata.normalize("NFC", text)
    folded = "".join(_lower(ch) for ch in text)
    return _MIXED.sub(lambda m: m.group().translate(_LOOK_ALIKE), folded)


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
    slang = SLANG.get(word)
    if slang is not None:
        return slang
    if not word or not ("а" <= word[0] <= "я"):
        return word
    return str(_morph().parse(word)[0].normal_form).replace("ё", "е")


@lru_cache(maxsize=100_000)
def known(word: str) -> bool:
    """Whether the dictionary knows the word: only unknown words are candidates for a misspelling."""
    return bool(_morph().word_is_known(word))


def russian(word: str) -> bool:
    """A dictionary word or a chat spelling: what a transliterated spelling is checked against."""
    return word in SLANG or known(word)


def forms(word: str) -> list[str]:
    """Every inflected form of a single word («Отрадный» -> «отрадном», «отрадного», ...)."""
    folded = fold(word)
    if not folded.isalpha():
        return [folded]
    parse = _morph().parse(folded)[0]
    return sorted({str(form.word).replace("ё", "е") for form in parse.lexeme} | {folded})


def squeeze(word: str) -> str:
    """«приииивет» -> «привет»: a letter typed three or more times counts once."""
    return _HELD_DOWN.sub(r"\1", word)


def clip(text: str) -> str:
    """The first MAX_TEXT_CHARS characters, cut back to a word boundary when one is near; a prefix, so that
    offsets into it are offsets into ``text``."""
    if len(text) <= MAX_TEXT_CHARS:
        return text
    head = text[:MAX_TEXT_CHARS]
    if not text[MAX_TEXT_CHARS].isspace():
        words = head.rsplit(maxsplit=1)
        if len(words) == 2 and len(words[0]) >= MAX_TEXT_CHARS // 2:  # else one long word: cut inside it
            head = words[0]
    return head


def tokens(text: str) -> list[Token]:
    """Words of the folded text; ``text`` is squeezed, offsets still point at the original letters.

    A word is cut to MAX_WORD_CHARS after squeezing (its span stays whole): every later step (the lemma,
    fuzzy matching, character n-grams) costs in proportion to a word's length."""
    folded = fold(text)
    found = []
    for match in _WORD.finditer(folded):
        word = squeeze(match.group())[:MAX_WORD_CHARS]
        if is_latin(word):
            word = to_cyrillic(word, russian)
        found.append(Token(word, match.start(), match.end(), lemma(word)))
    return found
