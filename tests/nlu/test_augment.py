"""Requests that open with a pleasantry: made from the data for fitting, and what the model then does."""

from __future__ import annotations

import pytest

from nlu.augment import NOT_REQUESTS, with_openers
from nlu.features import ModelText


def _text(words: str) -> ModelText:
    return ModelText(words, words)


TEXTS = [_text("привет"), _text("спасибо большое"), _text("всего доброго до свидания вам")]
LABELS = ["greet", "thanks", "goodbye"]
REQUESTS = [_text(f"работа номер {i}") for i in range(200)]


def test_only_requests_get_an_opener_and_keep_their_intent():
    texts, labels, origins = with_openers(TEXTS + REQUESTS, LABELS + ["find_job"] * 200, seed=0)
    made = list(zip(texts, labels, origins, strict=True))[len(TEXTS) + len(REQUESTS) :]
    assert 20 <= len(made) <= 60  # about a fifth of the 200 requests
    for text, label, origin in made:
        assert label == "find_job"
        source = (TEXTS + REQUESTS)[origin]
        assert text.surface.endswith(source.surface)
        assert text.surface.split()[0] in {"привет", "спасибо"}  # short greet/thanks examples only
        assert text.lemmas.endswith(source.lemmas)
    assert not any(label in NOT_REQUESTS for _, label, _ in made)


def test_the_originals_come_first_unchanged_and_the_result_is_repeatable():
    first = with_openers(TEXTS + REQUESTS, LABELS + ["find_job"] * 200, seed=3)
    assert first[0][: len(TEXTS)] == TEXTS
    assert first[2][: len(TEXTS) + len(REQUESTS)] == list(range(len(TEXTS) + len(REQUESTS)))
    assert with_openers(TEXTS + REQUESTS, LABELS + ["find_job"] * 200, seed=3) == first


def test_no_openers_no_copies():
    texts, labels, _ = with_openers(REQUESTS, ["find_job"] * 200)
    assert (texts, labels) == (REQUESTS, ["find_job"] * 200)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("здравствуйте подскажите где в кинеле работа токарем", "find_job"),
        ("добрый вечер хочу отписаться от уведомлений", "unsubscribe"),
        ("спасибо а куда поступать после девятого на электрика", "colleges"),
        ("привет", "greet"),
        ("добрый день", "greet"),
        ("спасибо огромное", "thanks"),
    ],
)
def test_the_request_wins_over_the_pleasantry(nlu_model, text, intent):
    assert nlu_model.parse_now(text).intent == intent
