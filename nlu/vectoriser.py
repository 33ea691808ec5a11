"""TF-IDF features of a ModelText: character n-grams of lemmas and of the surface, word n-grams of lemmas.

Character n-grams inside word boundaries («char_wb») carry typos and unknown slang: «вокансии» shares most of
its n-grams with «вакансии». Word unigrams and bigrams of lemmas carry the phrase («отменить запись»).

scikit-learn fits the vocabulary and the idf weights; parsing then uses only those two: its ``transform``
spends ~0.3 ms per call validating input, far more than counting the n-grams of one message. ``Block``
counts them the way scikit-learn does (a test holds the two to the same numbers).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from nlu.features import ModelText

CHAR_NGRAMS = (2, 5)
WORD_NGRAMS = (1, 2)


def char_wb_ngrams(text: str, low: int, high: int) -> Iterator[str]:
    """scikit-learn's ``char_wb`` analyzer: n-grams of each word padded with one space on each side."""
    for word in text.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) <= n:  # a short word counts once, whole
                yield padded
                break
            for start in range(len(padded) - n + 1):
                yield padded[start : start + n]


def word_ngrams(text: str, low: int, high: int) -> Iterator[str]:
    """scikit-learn's ``word`` analyzer with ``token_pattern=r"\\S+"``."""
    words = text.split()
    for n in range(low, high + 1):
        for start in range(len(words) - n + 1):
            yield " ".join(words[start : start + n])


@dataclass(frozen=True, slots=True)
class Block:
    """One fitted TF-IDF vectoriser reduced to its vocabulary (n-gram -> column) and idf weights."""

    view: str  # which ModelText field: "lemmas" or "surface"
    analyzer: str  # "char_wb" or "word"
    ngrams: tuple[int, int]
    columns: dict[str, int]  # into the whole feature vector
    idf: dict[str, float]

    def grams(self, text: str) -> Iterator[str]:
        low, high = self.ngrams
        analyse: Callable[[str, int, int], Iterator[str]] = (
            char_wb_ngrams if self.analyzer == "char_wb" else word_ngrams
        )
        return analyse(text.lower(), low, high)

    def weights(self, text: ModelText) -> dict[int, float]:
        """Sublinear tf x idf, L2-normalised within the block, as scikit-learn computes them."""
        counts: dict[str, int] = {}
        columns = self.columns
        for gram in self.grams(getattr(text, self.view)):
            if gram in columns:
                counts[gram] = counts.get(gram, 0) + 1
        raw = {gram: (1.0 + math.log(count)) * self.idf[gram] for gram, count in counts.items()}
        norm = math.sqrt(sum(value * value for value in raw.values()))
        if norm == 0.0:
            return {}
        return {columns[gram]: value / norm for gram, value in raw.items()}


@dataclass(frozen=True, slots=True)
class Vectoriser:
    blocks: tuple[Block, ...]
    size: int  # number of features

    def features(self, text: ModelText) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """Column indices and values of one text's non-zero features."""
        merged: dict[int, float] = {}
        for block in self.blocks:
            merged.update(block.weights(text))
        columns = np.fromiter(merged.keys(), dtype=np.intp, count=len(merged))
        values = np.fromiter(merged.values(), dtype=np.float64, count=len(merged))
        return columns, values

    def transform(self, texts: Sequence[ModelText]) -> sparse.csr_matrix:
        rows = [self.features(text) for text in texts]
        indptr = np.cumsum([0] + [len(columns) for columns, _ in rows])
        indices = np.concatenate([columns for columns, _ in rows]) if rows else np.empty(0, np.intp)
        data = np.concatenate([values for _, values in rows]) if rows else np.empty(0)
        return sparse.csr_matrix((data, indices, indptr), shape=(len(texts), self.size))


_PARTS: tuple[tuple[str, str, tuple[int, int]], ...] = (
    ("lemmas", "char_wb", CHAR_NGRAMS),
    ("lemmas", "word", WORD_NGRAMS),
    ("surface", "char_wb", CHAR_NGRAMS),
)


def sklearn_vectorisers() -> list[tuple[str, TfidfVectorizer]]:
    made = []
    for view, analyzer, ngrams in _PARTS:
        extra = {"token_pattern": r"\S+"} if analyzer == "word" else {}
        made.append(
            (view, TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True, **extra))
        )
    return made


def fit(texts: Sequence[ModelText]) -> tuple[Vectoriser, sparse.csr_matrix]:
    """Vocabularies and idf weights fitted on ``texts``, and their feature matrix as scikit-learn makes it."""
    blocks: list[Block] = []
    matrices = []
    offset = 0
    for (view, vectoriser), (_, analyzer, ngrams) in zip(sklearn_vectorisers(), _PARTS, strict=True):
        matrices.append(vectoriser.fit_transform([getattr(text, view) for text in texts]))
        vocabulary: dict[str, int] = vectoriser.vocabulary_
        idf = vectoriser.idf_
        blocks.append(
            Block(
                view=view,
                analyzer=analyzer,
                ngrams=ngrams,
                columns={str(gram): offset + int(column) for gram, column in vocabulary.items()},
                idf={str(gram): float(idf[column]) for gram, column in vocabulary.items()},
            )
        )
        offset += len(vocabulary)
    return Vectoriser(tuple(blocks), offset), sparse.hstack(matrices, format="csr")
