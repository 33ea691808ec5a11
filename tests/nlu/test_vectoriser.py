"""The hand-rolled n-gram counting used at parse time gives scikit-learn's TF-IDF numbers exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from nlu import vectoriser
from nlu.entities import EntityExtractor
from nlu.evaluate import read_held_out
from nlu.features import ModelText, model_text
from nlu.training_data import load

HELD_OUT = Path(__file__).with_name("heldout.tsv")


@pytest.fixture(scope="module")
def texts() -> tuple[list[ModelText], list[ModelText]]:
    data = load()
    extractor = EntityExtractor(data)
    trained = [model_text(text, extractor)[0] for text in data.texts()]
    unseen = [model_text(text, extractor)[0] for _, text in read_held_out(HELD_OUT, data.intents)]
    return trained, unseen


def test_training_features_match_scikit_learn(texts):
    trained, _ = texts
    fitted, expected = vectoriser.fit(trained)
    ours = fitted.transform(trained)
    assert ours.shape == expected.shape
    assert abs(ours - expected).max() < 1e-9


def test_unseen_texts_match_scikit_learn_including_unknown_n_grams(texts):
    trained, unseen = texts
    fitted, _ = vectoriser.fit(trained)
    blocks = []
    for view, tfidf in vectoriser.sklearn_vectorisers():
        tfidf.fit([getattr(text, view) for text in trained])
        blocks.append(tfidf.transform([getattr(text, view) for text in unseen]))
    expected = sparse.hstack(blocks, format="csr")
    assert abs(fitted.transform(unseen) - expected).max() < 1e-9
    columns, values = fitted.features(unseen[0])
    assert np.allclose(expected[0, columns].toarray().ravel(), values)
    assert len(columns) == expected[0].nnz


def test_n_grams_of_short_words_and_phrases():
    assert list(vectoriser.char_wb_ngrams("я", 2, 5)) == [" я", "я ", " я "]
    assert list(vectoriser.word_ngrams("отменить мой запись", 1, 2)) == [
        "отменить",
        "мой",
        "запись",
        "отменить мой",
        "мой запись",
    ]


def test_a_text_with_no_known_n_gram_has_no_features(texts):
    fitted, _ = vectoriser.fit(texts[0])
    columns, values = fitted.features(ModelText("ъъъъ", "ъъъъ"))
    assert len(columns) == len(values) == 0
