"""Which municipalities of the Samara region are within a daily commute of each other (OKATO codes).

Written for this project from the map: a city and the districts around it, the Samara–Togliatti and
Samara–Chapaevsk belts, the Syzran cluster. Matching says «недалеко от дома» for these; the same
municipality is «рядом с домом».
"""

from __future__ import annotations

from functools import cache

# Each group is a commute area; a municipality may sit in two of them.
_AREAS: tuple[tuple[str, ...], ...] = (
    ("36401", "36413", "36214", "36408", "36228", "36218", "36450"),  # Самара and its belt
    ("36440", "36404", "36240"),  # Тольятти, Жигулёвск, Ставропольский
    ("36435", "36242", "36418", "36250"),  # Сызрань, Сызранский, Октябрьск, Шигонский
    ("36424", "36220", "36212", "36206"),  # Отрадный, Кинель-Черкасский, Борский, Богатовский
    ("36427", "36234", "36222", "36217"),  # Похвистнево, Похвистневский, Клявлинский, Камышлинский
    ("36450", "36204", "36226", "36236", "36244"),  # Чапаевск, Безенчукский, Красноармейский, Приволжский ...
    ("36238", "36215", "36216", "36224", "36228"),  # Сергиевский, Елховский, Исаклинский, Кошкинский ...
    ("36208", "36210", "36232", "36230", "36202"),  # Большеглушицкий, Большечерниговский, Пестравский ...
    ("36246", "36248", "36224"),  # Челно-Вершинский, Шенталинский, Кошкинский
)


@cache
def neighbours(code: str) -> frozenset[str]:
    """The municipalities one can commute to from ``code`` (not ``code`` itself)."""
    return frozenset(other for area in _AREAS if code in area for other in area) - {code}
