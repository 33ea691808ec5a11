"""What a career-test result means for work: each scale's sphere as the person saw it, and the professions
typical of it, written for this project (the store keeps only scale ids: ``career_attempts.scores``).

The professions are words a vacancy's title or profession carries («сварщик», «программист»), so the
matching can say which one fitted. Holland's types borrow the professions of the nearest Klimov sphere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Sphere:
    name: str  # as the test's result named it
    professions: tuple[str, ...]  # best known first


_TECH = (
    "Сварщик",
    "Слесарь",
    "Электромонтёр",
    "Оператор станков с ЧПУ",
    "Токарь",
    "Фрезеровщик",
    "Автомеханик",
    "Механик",
    "Монтажник",
    "Наладчик",
    "Водитель",
    "Машинист",
    "Тракторист",
    "Техник",
    "Инженер",
    "Сборщик",
    "Электрик",
)
_PEOPLE = (
    "Продавец",
    "Кассир",
    "Официант",
    "Администратор зала",
    "Менеджер по продажам",
    "Консультант",
    "Медицинская сестра",
    "Воспитатель",
    "Учитель",
    "Вожатый",
    "Социальный работник",
    "Тренер",
    "Фельдшер",
    "Оператор call-центра",
    "Промоутер",
    "Бариста",
)
_SIGNS = (
    "Программист",
    "Разработчик",
    "Тестировщик",
    "Аналитик",
    "Бухгалтер",
    "Экономист",
    "Системный администратор",
    "Делопроизводитель",
    "Оператор ПК",
    "Логист",
    "Юрист",
    "Переводчик",
    "Кладовщик",
)
_ART = (
    "Дизайнер",
    "Повар",
    "Кондитер",
    "Парикмахер",
    "Фотограф",
    "Видеооператор",
    "Швея",
    "Флорист",
    "Журналист",
    "Контент-менеджер",
    "Аниматор",
    "Декоратор",
)
_NATURE = (
    "Агроном",
    "Ветеринар",
    "Зоотехник",
    "Садовник",
    "Озеленитель",
    "Лаборант",
    "Эколог",
    "Фармацевт",
    "Технолог",
    "Животновод",
    "Овощевод",
)

SPHERES: dict[str, dict[str, Sphere]] = {
    "klimov": {
        "tech": Sphere("Человек — техника", _TECH),
        "people": Sphere("Человек — человек", _PEOPLE),
        "signs": Sphere("Человек — знаковая система", _SIGNS),
        "art": Sphere("Человек — художественный образ", _ART),
        "nature": Sphere("Человек — природа", _NATURE),
    },
    "riasec": {
        "R": Sphere("Практик (R)", _TECH),
        "I": Sphere("Исследователь (I)", (*_SIGNS[:4], *_NATURE[5:])),
        "A": Sphere("Творец (A)", _ART),
        "S": Sphere("Помощник (S)", _PEOPLE),
        "E": Sphere(
            "Организатор (E)", ("Менеджер", "Администратор зала", "Руководитель", "Продавец", "Агент")
        ),
        "C": Sphere("Систематизатор (C)", _SIGNS),
    },
}
LEADING = 2  # scales of a result that count: the leading one and the next, when it scored


def facts_of_result(instrument: str, scores: Mapping[str, int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(sphere names, professions) of a test result: its LEADING scales that scored, the first first."""
    spheres = SPHERES.get(instrument)
    if spheres is None:
        return (), ()
    ranked = sorted(
        ((int(points), scale) for scale, points in scores.items() if int(points) > 0), reverse=True
    )
    chosen = [spheres[scale] for _, scale in ranked[:LEADING] if scale in spheres]
    professions = tuple(dict.fromkeys(p for sphere in chosen for p in sphere.professions))
    return tuple(sphere.name for sphere in chosen), professions
