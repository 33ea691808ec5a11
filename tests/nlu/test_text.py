"""Normalisation: what a phone keyboard does to Russian words is undone before lemmas are looked up."""

from __future__ import annotations

import pytest

from nlu.text import fold, tokens


@pytest.mark.parametrize(
    ("typed", "lemmas"),
    [
        ("пpивет", ["привет"]),  # a Latin p inside a Cyrillic word
        ("хочу пpойти тeст", ["хотеть", "пройти", "тест"]),
        ("спасиииибо", ["спасибо"]),  # a held-down key
        ("Здраааавствуйте", ["здравствуйте"]),
        ("спс пж", ["спасибо", "пожалуйста"]),  # chat spellings
        ("Ёлки", ["елка"]),
        ("hello bot", ["hello", "bot"]),  # a Latin word stays Latin
        ("класс 1000", ["класс", "1000"]),  # a double letter and digits are no held-down key
    ],
)
def test_typed_words_resolve_to_dictionary_lemmas(typed, lemmas):
    assert [t.lemma for t in tokens(typed)] == lemmas


def test_offsets_still_point_at_the_original_letters():
    text = "ну спасиииибо, Пpивет"
    found = tokens(text)
    assert [text[t.start : t.end] for t in found] == ["ну", "спасиииибо", "Пpивет"]
    assert len(fold(text)) == len(text)
