"""Russian typed in Latin letters («hochu na proftur», «gde vakansii») read back as Cyrillic.

People write so on a phone without a Russian layout, and nobody agrees on one scheme: «щ» is «sch», «shch»
or «sh»; the soft sign is mostly dropped («podrabotat»); «е» at a word's start may be «э» («ekskursiya»).
So a Latin word becomes a few Cyrillic spellings, most likely first, and the first one the dictionary
knows (pymorphy3, or a chat spelling of nlu.slang) wins; when none is known the most likely one is kept,
close enough for the character n-grams of nlu.vectoriser and for fuzzy catalogue matching («tolyatti»).

Only words of Latin letters alone are read so (mixed words are look-alikes, nlu.text.fold); training text
goes through the same path, so the few English words of the data («hi», «bye») stay consistent too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import combinations, islice, product

KEEP_LATIN = frozenset({"it"})  # nlu.slang reads «айти» as «it»: the Latin word is already the lemma
MAX_SPELLINGS = 64  # candidates tried per word (each a cached dictionary look-up)
MAX_DEVIATIONS = 2  # less likely readings combined in one candidate

_VOWELS = frozenset("aeiouy")
# Longest first: a letter group and the Cyrillic spellings it may stand for, most likely first.
_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("shch", ("щ",)),
    ("tsya", ("тся", "ться")),
    ("sch", ("щ",)),
    ("sh", ("ш", "щ")),
    ("ch", ("ч",)),
    ("zh", ("ж",)),
    ("kh", ("х",)),
    ("ts", ("ц", "тс")),
    ("tz", ("ц",)),
    ("ja", ("я",)),
    ("ju", ("ю",)),
    ("yy", ("ый",)),
    ("ya", ("я",)),
    ("yu", ("ю",)),
    ("yo", ("е", "йо")),  # ё is folded to е everywhere (nlu.text.fold)
    ("ia", ("ия", "я")),
    ("'", ("ь",)),
)
_LETTERS = {
    "a": "а", "b": "б", "c": "ц", "d": "д", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "й", "k": "к",
    "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р", "s": "с", "t": "т", "u": "у",
    "v": "в", "w": "в", "x": "кс", "z": "з",
}  # fmt: skip
_SOFT_AT_END = frozenset({"l", "t", "s", "n", "d", "sh", "ch", "zh", "m", "r"})
_IOTATED = frozenset({"ya", "yu", "yo", "ye", "ja", "ju"})
_SECOND = {"c": "к", "j": "ж"}  # the less likely reading of a single letter


def is_latin(word: str) -> bool:
    return word.isascii() and word.isalpha()


def spellings(word: str) -> list[tuple[str, ...]]:
    """The word cut into letter groups, each with its possible Cyrillic spellings, most likely first."""
    parts: list[tuple[str, ...]] = []
    position = 0
    while position < len(word):
        group, options = _group_at(word, position)
        if group in _IOTATED and position and word[position - 1] not in _VOWELS:
            options = (*options, "ь" + options[0])  # «tolyatti»: the soft sign people leave out
        position += len(group)
        if position == len(word) and group in _SOFT_AT_END:  # «zapis», «umeesh»: -сь, -шь
            options = (*options, options[0] + "ь")
        parts.append(options)
    return parts


def _group_at(word: str, position: int) -> tuple[str, tuple[str, ...]]:
    rest = word[position:]
    if rest.startswith("ye"):  # «dannye»: ые after a consonant
        return "ye", ("ые", "е") if position and word[position - 1] not in _VOWELS else ("е",)
    for group, options in _GROUPS:
        if rest.startswith(group):
            return group, options
    letter = rest[0]
    after = rest[1:2]
    if letter == "y":  # «moy», «tvoy»: й after a vowel; «vy», «novyi»: ы after a consonant
        return letter, ("й", "ы") if position and word[position - 1] in _VOWELS else ("ы", "й")
    if letter == "e":
        return letter, ("э", "е") if position == 0 else ("е",)
    if letter == "i" and after == "y" and rest[2:3] not in _VOWELS:  # «iy» at the end: -ий
        return "iy", ("ий",)
    if letter == "i" and position and word[position - 1] in _VOWELS and after not in _VOWELS:
        return letter, ("и", "й")  # «proiti», «prisylaite»: й written as i
    if letter in "lt" and (not after or after not in _VOWELS):  # «polzovatsya», «podrabotat»
        return letter, (_LETTERS[letter], _LETTERS[letter] + "ь")
    if letter in _SECOND:
        return letter, (_LETTERS[letter], _SECOND[letter])
    return letter, (_LETTERS.get(letter, letter),)


@lru_cache(maxsize=20_000)
def to_cyrillic(word: str, is_word: Callable[[str], bool]) -> str:
    """The first spelling of a Latin ``word`` that ``is_word`` accepts, else the most likely one."""
    if word in KEEP_LATIN or not is_latin(word):
        return word
    tried = list(islice(_candidates(spellings(word)), MAX_SPELLINGS))
    return next((spelling for spelling in tried if is_word(spelling)), tried[0])


def _candidates(parts: list[tuple[str, ...]]) -> Iterator[str]:
    """The most likely spelling, then those with one less likely reading, then with two."""
    first = [options[0] for options in parts]
    yield "".join(first)
    open_ = [index for index, options in enumerate(parts) if len(options) > 1]
    for count in range(1, MAX_DEVIATIONS + 1):
        for indices in combinations(open_, count):
            for choice in product(*(parts[index][1:] for index in indices)):
                letters = list(first)
                for index, option in zip(indices, choice, strict=True):
                    letters[index] = option
                yield "".join(letters)
