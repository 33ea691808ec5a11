"""The embedded model: honest accuracy floors (measured, with margin), calibrated scores, the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu import embedded
from nlu.evaluate import cross_validate, held_out, read_held_out
from nlu.features import ModelText
from nlu.training_data import load
from nlu.validate import same

HELD_OUT = Path(__file__).with_name("heldout.tsv")
HARD = Path(__file__).with_name("heldout_hard.tsv")


@pytest.fixture(scope="module")
def cv():
    return cross_validate(load(), folds=5)


def test_cross_validated_accuracy_beats_the_keyword_baseline(cv):
    model, baseline = cv
    # Measured: model 0.918 accuracy / 0.921 macro-F1, baseline 0.545 / 0.594 (5 folds, seed 0; 2,397
    # examples).
    assert model.accuracy >= 0.88
    assert model.macro_f1 >= 0.88
    assert model.accuracy - baseline.accuracy >= 0.3
    assert min(model.per_intent.values()) >= 0.7


def test_held_out_phrasings(nlu_model):
    data = load()
    model, baseline = held_out(
        read_held_out(HELD_OUT, data.intents), data, lambda t: nlu_model.parse_now(t).intent
    )
    # Measured: model 0.990, baseline 0.66 on 286 phrasings written apart from the training data (0.986
    # before issue 19's work).
    assert model.accuracy >= 0.95
    assert model.accuracy - baseline.accuracy >= 0.25


def test_hard_held_out_messages(nlu_model):
    data = load()
    model, baseline = held_out(
        read_held_out(HARD, data.intents), data, lambda t: nlu_model.parse_now(t).intent
    )
    # Measured on 410 messages as people type them (see the file's head): model 0.961, baseline 0.612
    # (0.961-0.963 over augmentation seeds 1-3); before issue 19's work 0.776 and 0.532.
    assert model.accuracy >= 0.93
    assert model.macro_f1 >= 0.93
    assert model.accuracy - baseline.accuracy >= 0.3


@pytest.mark.parametrize("held_out_file", [HELD_OUT, HARD], ids=["heldout", "heldout_hard"])
def test_held_out_phrasings_are_not_training_examples(held_out_file):
    data = load()
    trained = {same(example.text) for example in data.examples}
    assert [text for _, text in read_held_out(held_out_file, data.intents) if same(text) in trained] == []


def test_the_two_held_out_files_share_no_text():
    data = load()
    old = {same(text) for _, text in read_held_out(HELD_OUT, data.intents)}
    assert [text for _, text in read_held_out(HARD, data.intents) if same(text) in old] == []


def test_confidences_are_a_distribution_with_the_best_first(nlu_model):
    parse = nlu_model.parse_now("вакансии сварщика в тольяти")
    assert parse.intent == "find_job"
    assert parse.confidence == parse.ranking[0].confidence
    assert [s.confidence for s in parse.ranking] == sorted(
        (s.confidence for s in parse.ranking), reverse=True
    )
    assert 0 < sum(s.confidence for s in parse.ranking) <= 1.0001
    text = ModelText("ent_profession", "ent_profession")
    full = embedded.predict(nlu_model._vectorizer, nlu_model._weights, [text])
    assert full.sum() == pytest.approx(1.0)


def test_clear_requests_are_confident_and_nonsense_is_not(nlu_model):
    assert nlu_model.parse_now("удалите мои данные").confidence >= 0.6
    gibberish = nlu_model.parse_now("щщщ ъъъ")
    assert gibberish.intent == "out_of_scope" or gibberish.confidence < 0.6


def test_the_cache_is_written_once_and_read_back(tmp_path, monkeypatch):
    data = load()
    key = embedded.cache_key(data)
    monkeypatch.setattr(embedded, "_loaded", {})
    first = embedded.load_or_train(tmp_path, data)
    files = list(tmp_path.glob("nlu-*.pkl"))
    assert [f.name for f in files] == [f"nlu-{key}.pkl"]
    monkeypatch.setattr(embedded, "_loaded", {})
    monkeypatch.setattr(embedded.EmbeddedModel, "train", _must_not_train)
    second = embedded.load_or_train(tmp_path, data)
    assert second is not first
    assert second.parse_now("привет").intent == first.parse_now("привет").intent == "greet"


def test_a_broken_cache_file_is_replaced(tmp_path, monkeypatch):
    data = load()
    (tmp_path / f"nlu-{embedded.cache_key(data)}.pkl").write_bytes(b"not a pickle")
    monkeypatch.setattr(embedded, "_loaded", {})
    assert embedded.load_or_train(tmp_path, data).parse_now("спасибо").intent == "thanks"


def _must_not_train(data):
    raise AssertionError("trained although a cached model exists")
