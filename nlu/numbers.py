"""Age («мне 15»), school grade («9 класс», «9Б», «девятиклассник», «я уже в 10») and course («3 курс»,
«второкурсник»)."""

from __future__ import annotations

import re

from nlu.types import Entity

_ORDINALS = {
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6,
    "седьм": 7, "восьм": 8, "девят": 9, "десят": 10, "одиннадцат": 11,
}  # fmt: skip
_ORDINAL = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_NUMBER_WORDS = {
    "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14,
    "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19,
    "двадцать": 20,
}  # fmt: skip

# «\s*(?:-\s*)?» rather than «\s*-?\s*»: two stars over one run of spaces backtrack quadratically («9» and
# 4,000 spaces took 0.3 s).
_GRADE_NUMBER = re.compile(r"(?<!\d)(1[01]|[1-9])\s*(?:-\s*)?(?:[а-я]{1,2}\s*)?(?:класс[а-я]*|кл\b)")
# «9Б», «10-а», «9„В“»: a class letter written onto the number; a spaced letter is too often a word («в»).
# Not after address words: «дом 9а» is a building.
_GRADE_LETTER = re.compile(r"(?<![\d.:])(1[01]|[1-9])-?[\"'«“]?[абвгдежзиклмн][\"'»”]?(?![а-я\d])")
# «учусь в 9», «я уже в 10», «перешла в 11»: a grade only after words about school years, never a time
# («в 10 утра», «в 10:30»).
_GRADE_CONTEXT = re.compile(
    r"\b(?:(?:учусь|учится|перешел|перешла|перешли|пойду|пойдет)(?:\s+уже|\s+сейчас|\s+только)?"
    r"|я\s+(?:уже|сейчас|теперь))\s+в\s+"
    r"(1[01]|[1-9])(?![\d:.]|\s*(?:час|утра|вечера|дня|мин|ч\b|году|лет))"
)
_ADDRESS = re.compile(r"(?:\bдом|\bд|корп[а-я]*|\bкв[а-я]*|\bстр[а-я]*|\bул[а-я]*|\bкаб[а-я]*|офис|№)\.?\s*$")
_GRADE_WORD = re.compile(rf"\b({_ORDINAL})[а-я]*\s+класс[а-я]*|\b({_ORDINAL})(?:и|ь)?классни[а-я]*")
_COURSE_NUMBER = re.compile(r"(?<!\d)([1-6])\s*(?:-\s*)?(?:[а-я]{1,2}\s*)?курс[а-я]*")
_COURSE_WORD = re.compile(rf"\b({_ORDINAL})[а-я]*\s+курс[а-я]*|\b({_ORDINAL})(?:о)?курсни[а-я]*")
_AGE_NUMBER = re.compile(
    r"\bмне\s+(?:уже\s+|почти\s+|скоро\s+|только\s+)?(\d{1,2})\b|(?<![\d.:])(\d{1,2})\s*(?:лет|года|год)\b"
)
_AGE_WORD = re.compile(r"\bмне\s+(?:уже\s+|почти\s+|скоро\s+)?(" + "|".join(_NUMBER_WORDS) + r")\b")


def numbers(folded: str) -> list[Entity]:
    """Entities in folded text (see nlu.text.fold), offsets into it."""
    found: list[Entity] = []
    for pattern, kind in ((_GRADE_NUMBER, "grade"), (_GRADE_CONTEXT, "grade"), (_COURSE_NUMBER, "course")):
        found += [Entity(kind, m.group(1), m.start(), m.end()) for m in pattern.finditer(folded)]
    for m in _GRADE_LETTER.finditer(folded):
        if not _ADDRESS.search(folded, max(0, m.start() - 12), m.start()):
            found.append(Entity("grade", m.group(1), m.start(), m.end()))
    for pattern, kind in ((_GRADE_WORD, "grade"), (_COURSE_WORD, "course")):
        for m in pattern.finditer(folded):
            stem = m.group(1) or m.group(2)
            found.append(Entity(kind, str(_ORDINALS[stem]), m.start(), m.end()))
    for m in _AGE_NUMBER.finditer(folded):
        value = int(m.group(1) or m.group(2))
        if 5 <= value <= 99:
            found.append(Entity("age", str(value), m.start(), m.end()))
    found += [
        Entity("age", str(_NUMBER_WORDS[m.group(1)]), m.start(), m.end()) for m in _AGE_WORD.finditer(folded)
    ]
    return found
