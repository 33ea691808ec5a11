"""Entities in inflected, misspelt and colloquial Russian resolve to catalogue values."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.dates import resolve
from nlu.entities import EntityExtractor
from nlu.training_data import load


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return EntityExtractor(load())


CASES = [
    ("вакансии сварщика в тольяти", {("profession", "сварщик"), ("municipality", "Тольятти")}),
    (
        "работа айтишником в новокуйбышевске",
        {("profession", "программист"), ("municipality", "Новокуйбышевск")},
    ),
    ("програмист в самаре", {("profession", "программист"), ("municipality", "Самара")}),
    ("стажировка в тлт, я на 3 курсе", {("municipality", "Тольятти"), ("course", "3")}),
    ("живу в кинель-черкасском районе", {("municipality", "Кинель-Черкасский")}),
    ("вакансии в Отрадном", {("municipality", "Отрадный")}),
    ("хочу на экскурсию на АвтоВАЗ в пятницу", {("organisation", "АвтоВАЗ"), ("date", "weekday:fri")}),
    (
        "учусь в тольяттинском политехническом колледже",
        {("organisation", "Тольяттинский политехнический колледж")},
    ),
    ("я в 9-м классе, мне 15 лет", {("grade", "9"), ("age", "15")}),
    ("я девятиклассница", {("grade", "9")}),
    ("второкурсник ищет практику", {("course", "2")}),
    ("мне пятнадцать, подработка летом", {("age", "15"), ("date", "season:summer")}),
    ("профпроба 25 мая в 14:00", {("date", "--05-25"), ("time", "14:00")}),
    ("что есть на этой неделе", {("date", "this_week")}),
    ("завтра утром", {("date", "tomorrow"), ("time", "part:morning")}),
    ("я уже в 10", {("grade", "10")}),
    ("учусь в 9Б", {("grade", "9")}),
    ("мы из 10-а", {("grade", "10")}),
    ("перешла в 11 в этом году", {("grade", "11")}),
    ("вчера записался на профтур", {("date", "yesterday")}),
    ("позавчера не пришло напоминание", {("date", "before_yesterday")}),
]

# Look like a grade, are not one: a time, a plain «я в 9», a house number.
NOT_GRADES = ["приду в 10 утра", "я в 10:30", "я в 9 буду", "дом 9а", "ул. Ленина, д. 9а", "кабинет 10б"]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[text for text, _ in CASES])
def test_entities(extractor, text, expected):
    found = extractor.extract(text)
    assert {(e.entity, e.value) for e in found} == expected
    for entity in found:
        assert 0 <= entity.start < entity.end <= len(text)


@pytest.mark.parametrize("text", ["что у меня вышло в тесте", "курс доллара", "привет как дела", "ок"])
def test_ordinary_words_are_not_catalogue_entries(extractor, text):
    assert extractor.extract(text) == []


@pytest.mark.parametrize("text", NOT_GRADES)
def test_numbers_that_are_not_grades(extractor, text):
    assert "grade" not in {e.entity for e in extractor.extract(text)}


def test_dates_resolve_from_today():
    wednesday = date(2026, 5, 20)
    assert resolve("tomorrow", wednesday) == (date(2026, 5, 21),) * 2
    assert resolve("yesterday", wednesday) == (date(2026, 5, 19),) * 2
    assert resolve("before_yesterday", wednesday) == (date(2026, 5, 18),) * 2
    assert resolve("weekday:fri", wednesday) == (date(2026, 5, 22),) * 2
    assert resolve("--05-25", wednesday) == (date(2026, 5, 25),) * 2
    assert resolve("--05-01", wednesday) == (date(2027, 5, 1),) * 2  # already past: next year
    assert resolve("next_week", wednesday) == (date(2026, 5, 25), date(2026, 5, 31))
    assert resolve("weekend", wednesday) == (date(2026, 5, 23), date(2026, 5, 24))
    assert resolve("--02-30", wednesday) is None
    assert resolve("season:summer", wednesday) is None
