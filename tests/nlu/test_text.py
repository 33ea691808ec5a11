"""Normalisation: what a phone keyboard does to Russian words is undone before lemmas are looked up."""

from __future__ import annotations

import pytest

from nlu.entities import EntityExtractor
from nlu.text import fold, tokens
from nlu.training_data import load


@pytest.mark.parametrize(
    ("typed", "lemmas"),
    [
        ("пpивет", ["привет"]),  # a Latin p inside a Cyrillic word
        ("хочу пpойти тeст", ["хотеть", "пройти", "тест"]),
        ("спасиииибо", ["спасибо"]),  # a held-down key
        ("Здраааавствуйте", ["здравствуйте"]),
        ("спс пж", ["спасибо", "пожалуйста"]),  # chat spellings
        ("Ёлки", ["елка"]),
        ("класс 1000", ["класс", "1000"]),  # a double letter and digits are no held-down key
    ],
)
def test_typed_words_resolve_to_dictionary_lemmas(typed, lemmas):
    assert [t.lemma for t in tokens(typed)] == lemmas


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("hochu na proftur", "хочу на профтур"),
        ("gde vakansii", "где вакансии"),
        ("kak otpisatsya", "как отписаться"),  # a dropped soft sign: -ться
        ("mne 15 gde podrabotat", "мне 15 где подработать"),
        ("ishu rabotu", "ищу работу"),  # sh for щ
        ("ne prisylaite bolshe", "не присылайте больше"),  # i for й
        ("udalit moi dannye", "удалить мои данные"),
        ("zapishi menya na ekskursiyu", "запиши меня на экскурсию"),  # э at the start
        ("Spasibo, vsyo ponyatno", "Спасибо, всё понятно"),
        ("praktika v it", "практика в it"),  # nlu.slang's lemma of «айти» stays
    ],
)
def test_russian_typed_in_latin_letters_reads_as_cyrillic(latin, cyrillic):
    assert [t.lemma for t in tokens(latin)] == [t.lemma for t in tokens(cyrillic)]


def test_a_transliterated_town_is_still_found():
    extractor = EntityExtractor(load())
    text = "rabota v tolyatti"
    (town,) = extractor.extract(text)
    assert (town.entity, town.value, text[town.start : town.end]) == ("municipality", "Тольятти", "tolyatti")


def test_an_unknown_latin_word_keeps_its_likeliest_spelling():
    assert [t.text for t in tokens("hello bot")] == ["хелло", "бот"]


def test_transliteration_folds_like_cyrillic_typing():
    assert [t.text for t in tokens("vsyo yolka")] == [t.text for t in tokens("всё ёлка")] == ["все", "елка"]


def test_offsets_still_point_at_the_original_letters():
    text = "ну спасиииибо, Пpивет"
    found = tokens(text)
    assert [text[t.start : t.end] for t in found] == ["ну", "спасиииибо", "Пpивет"]
    assert len(fold(text)) == len(text)
