"""The embedded backend: TF-IDF n-grams (nlu.vectoriser) into a linear SVM with Platt scaling.

Training takes a few seconds on the bundled data and happens once: the result is cached on disk under a
key made of the data's fingerprint, this module's MODEL_VERSION and the scikit-learn version, and kept in
memory for the life of the process. Parsing one message counts its n-grams in plain Python, gathers their
rows of the weight matrix and applies a sigmoid: no scikit-learn call on the way, well under 1 ms.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict
from sklearn.svm import LinearSVC

from nlu import augment, training_data, vectoriser
from nlu.entities import EntityExtractor
from nlu.features import ModelText, model_text
from nlu.training_data import TrainingData
from nlu.types import IntentScore, Parse
from nlu.vectoriser import Vectoriser

log = logging.getLogger(__name__)

MODEL_VERSION = "6"  # bump when features or the classifier change: old caches are then ignored
SVM_C = 0.5
CALIBRATION_FOLDS = 5
RANKING_SIZE = 5


@dataclass(frozen=True, slots=True)
class Weights:
    """The trained classifier reduced to arrays: score = x·W + b, confidence = sigmoid(a·score + c)."""

    intents: tuple[str, ...]
    coef: NDArray[np.float32]  # features x intents
    intercept: NDArray[np.float32]
    slope: NDArray[np.float64]  # per intent, Platt scaling
    offset: NDArray[np.float64]


class EmbeddedModel:
    def __init__(self, vectorizer: Vectoriser, weights: Weights, data: TrainingData) -> None:
        self._vectorizer = vectorizer
        self._weights = weights
        self._extractor = EntityExtractor(data)
        self.fingerprint = data.fingerprint

    @property
    def intents(self) -> tuple[str, ...]:
        return self._weights.intents

    @classmethod
    def train(cls, data: TrainingData) -> EmbeddedModel:
        extractor = EntityExtractor(data)
        texts = [model_text(text, extractor)[0] for text in data.texts()]
        vectorizer, weights = fit(texts, data.labels())
        return cls(vectorizer, weights, data)

    async def parse(self, text: str) -> Parse:
        return self.parse_now(text)

    def parse_now(self, text: str) -> Parse:
        normalised, entities = model_text(text, self._extractor)
        columns, values = self._vectorizer.features(normalised)
        weights = self._weights
        scores = confidences(values @ weights.coef[columns] + weights.intercept, weights)
        order = np.argsort(-scores)[:RANKING_SIZE]
        ranking = tuple(IntentScore(self._weights.intents[i], round(float(scores[i]), 4)) for i in order)
        return Parse(ranking[0].name, ranking[0].confidence, ranking, tuple(entities))

    def size_bytes(self) -> int:
        return len(pickle.dumps((self._vectorizer, self._weights), protocol=pickle.HIGHEST_PROTOCOL))


def fit(texts: list[ModelText], labels: list[str], *, seed: int = 0) -> tuple[Vectoriser, Weights]:
    """Fit the features and the calibrated linear model on normalised texts (nlu.augment adds requests
    that open with a pleasantry)."""
    texts, labels, origins = augment.with_openers(texts, labels, seed=seed)
    vectorizer, features = vectoriser.fit(texts)
    y = np.asarray(labels)
    svm = LinearSVC(C=SVM_C, class_weight="balanced", random_state=seed)
    folds = StratifiedGroupKFold(n_splits=CALIBRATION_FOLDS, shuffle=True, random_state=seed)
    # Out-of-fold scores tell how sure the model is on text it has not seen: the honest basis for Platt.
    # An example and the copies made from it stay in one fold.
    held_out = cross_val_predict(svm, features, y, cv=folds, groups=origins, method="decision_function")
    svm.fit(features, y)
    intents = tuple(str(c) for c in svm.classes_)
    slope = np.empty(len(intents))
    offset = np.empty(len(intents))
    for index, intent in enumerate(intents):
        platt = LogisticRegression(C=1e4).fit(held_out[:, [index]], (y == intent).astype(int))
        slope[index], offset[index] = platt.coef_[0, 0], platt.intercept_[0]
    weights = Weights(
        intents=intents,
        coef=np.ascontiguousarray(svm.coef_.T, dtype=np.float32),
        intercept=svm.intercept_.astype(np.float32),
        slope=slope,
        offset=offset,
    )
    return vectorizer, weights


def predict(vectorizer: Vectoriser, weights: Weights, texts: list[ModelText]) -> NDArray[np.float64]:
    """Confidences per intent (rows sum to 1), one row per normalised text."""
    features = vectorizer.transform(texts)
    return confidences(np.asarray(features @ weights.coef, dtype=np.float64) + weights.intercept, weights)


def confidences(scores: NDArray[np.float64], weights: Weights) -> NDArray[np.float64]:
    """Platt-scaled SVM scores (one row per text, or one text) divided by their sum."""
    confidence = 1.0 / (1.0 + np.exp(-(scores * weights.slope + weights.offset)))
    total = confidence.sum(axis=-1, keepdims=True)
    return np.asarray(confidence / np.where(total > 0, total, 1.0))


# -- the cache -------------------------------------------------------------------------------------
_loaded: dict[str, EmbeddedModel] = {}
_lock = threading.Lock()


def cache_key(data: TrainingData) -> str:
    return f"{data.fingerprint[:16]}-v{MODEL_VERSION}-sk{sklearn.__version__}"


def load_or_train(cache_dir: Path | None, data: TrainingData | None = None) -> EmbeddedModel:
    """The model for ``data`` (default: the bundled files): from memory, from ``cache_dir``, or trained."""
    data = data or training_data.load()
    key = cache_key(data)
    with _lock:
        model = _loaded.get(key)
        if model is None:
            model = _from_disk(cache_dir, key, data) or _train_and_store(cache_dir, key, data)
            _loaded[key] = model
        return model


def _from_disk(cache_dir: Path | None, key: str, data: TrainingData) -> EmbeddedModel | None:
    if cache_dir is None:
        return None
    path = cache_dir / f"nlu-{key}.pkl"
    try:
        with path.open("rb") as file:
            # Our own file, written by _train_and_store into the product's cache folder.
            vectorizer, weights = pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception:
        log.warning("nlu cache %s unreadable; training again", path.name, exc_info=True)
        return None
    return EmbeddedModel(vectorizer, weights, data)


def _train_and_store(cache_dir: Path | None, key: str, data: TrainingData) -> EmbeddedModel:
    started = time.perf_counter()
    model = EmbeddedModel.train(data)
    log.info("nlu model trained in %.1f s (%d examples)", time.perf_counter() - started, len(data.examples))
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        blob = pickle.dumps((model._vectorizer, model._weights), protocol=pickle.HIGHEST_PROTOCOL)
        # Write beside, then rename: a second process starting at the same time never reads half a file.
        handle, temporary = tempfile.mkstemp(dir=cache_dir, prefix=".nlu-", suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(blob)
        os.replace(temporary, cache_dir / f"nlu-{key}.pkl")
    return model
