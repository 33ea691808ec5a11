"""Input limits: the classifier and the entity extractors read at most MAX_TEXT_CHARS characters and no word
longer than MAX_WORD_CHARS, whatever is pasted. (Cost itself is measured by benchmarks/nlu_worst_inputs.py;
tests never time anything.)"""

from __future__ import annotations

import pytest

from nlu import embedded
from nlu.entities import EntityExtractor
from nlu.features import ModelText, model_text
from nlu.rasa_http import RasaBackend
from nlu.text import MAX_TEXT_CHARS, MAX_WORD_CHARS, clip, tokens
from nlu.training_data import load

ESSAY = " ".join(["хочу", "найти", "работу", "на", "лето"] * 200)  # 3,000 characters of words
LONG_WORD = "профориентация" * 286  # 4,004 letters, no key held down (that would squeeze to one)


def test_short_text_is_left_alone():
    assert clip("вакансии сварщика в тольяти") == "вакансии сварщика в тольяти"
    exact = "я" * MAX_TEXT_CHARS
    assert clip(exact) == exact


def test_long_text_is_cut_at_a_word_boundary():
    head = clip(ESSAY)
    assert len(head) <= MAX_TEXT_CHARS
    assert ESSAY.startswith(head)
    assert ESSAY[len(head)].isspace()  # the last word is whole
    assert len(head) > MAX_TEXT_CHARS - 10


def test_one_endless_word_is_cut_inside_it():
    assert clip(LONG_WORD) == LONG_WORD[:MAX_TEXT_CHARS]
    assert clip("привет " + LONG_WORD) == ("привет " + LONG_WORD)[:MAX_TEXT_CHARS]


def test_an_overlong_word_is_cut_but_its_span_stays_whole():
    text = "ну " + "абв" * 100 + " пока"
    words = tokens(text)
    assert [w.text for w in words] == ["ну", ("абв" * 100)[:MAX_WORD_CHARS], "пока"]
    assert (words[1].start, words[1].end) == (3, 303)
    # Squeezing comes first: a held-down key is one letter, not a long word.
    assert [w.text for w in tokens("спасиииии" + "и" * 100 + "бо")] == ["спасибо"]


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return EntityExtractor(load())


def test_the_featuriser_sees_only_the_clipped_text(extractor):
    seen, _ = model_text(ESSAY, extractor)
    assert seen == model_text(clip(ESSAY), extractor)[0]
    assert len(seen.surface.split()) <= len(tokens(clip(ESSAY))) < 50  # «на лето» is one entity
    word, _ = model_text(LONG_WORD, extractor)
    assert word.surface == LONG_WORD[:MAX_WORD_CHARS]
    assert len(word.lemmas) <= MAX_WORD_CHARS + 2  # the lemma of the cut word


def test_words_beyond_the_limit_are_not_read(extractor):
    text = "хочу работу " + "очень " * 60 + "в самаре"  # the town lies past the limit
    assert len(text) > MAX_TEXT_CHARS
    _, entities = model_text(text, extractor)
    assert entities == []
    _, entities = model_text("хочу работу в самаре", extractor)
    assert [e.value for e in entities] == ["Самара"]


def test_parsing_reads_the_capped_input(nlu_model, monkeypatch):
    given: list[str] = []
    features: list[ModelText] = []
    extract = EntityExtractor.extract

    def spy_extract(self, text, words=None):
        given.append(text)
        return extract(self, text, words)

    def spy_model_text(text, found):
        result = model_text(text, found)
        features.append(result[0])
        return result

    monkeypatch.setattr(EntityExtractor, "extract", spy_extract)
    monkeypatch.setattr(embedded, "model_text", spy_model_text)
    for text in (LONG_WORD, "а" * 4000, ESSAY, "9" + " " * 4000 + "класс", "1." * 2000):
        parse = nlu_model.parse_now(text)
        assert parse == nlu_model.parse_now(clip(text))  # the same answer as for its first part
    assert given
    assert max(len(text) for text in given) <= MAX_TEXT_CHARS
    assert max(len(word) for text in features for word in text.surface.split()) <= MAX_WORD_CHARS


def test_the_long_word_parses_like_its_first_letters(nlu_model):
    assert nlu_model.parse_now(LONG_WORD) == nlu_model.parse_now(LONG_WORD[:MAX_WORD_CHARS])


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("9   -   класс", "grade", "9"),  # what the rewritten patterns must still find
        ("9-й класс", "grade", "9"),
        ("2 - курс", "course", "2"),
        ("3-м курсе", "course", "3"),
    ],
)
def test_spaced_grades_and_courses_still_found(extractor, text, kind, value):
    assert [(e.entity, e.value) for e in extractor.extract(text)] == [(kind, value)]


async def test_rasa_is_sent_the_clipped_text():
    bodies: list[dict[str, str]] = []

    class Recorder:
        async def post_json(self, path, body, params=None):
            bodies.append(dict(body))
            return 200, {"intent": {"name": "greet", "confidence": 0.9}}

    await RasaBackend(Recorder()).parse(ESSAY)
    assert bodies == [{"text": clip(ESSAY)}]
