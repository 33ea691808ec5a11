"""TF-IDF features of a ModelText: character n-grams of lemmas and of the surface, word n-grams of lemmas.

Character n-grams inside word boundaries («char_wb») carry typos and unknown slang: «вокансии» shares most of
its n-grams with «вакансии». Word unigrams and bigrams of lemmas carry the phrase («отменить запись»).
"""

from __future__ import annotations

from collections.abc import Sequence

from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from nlu.features import ModelText


def _chars() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)


def _words() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+")


class Vectoriser:
    def __init__(self) -> None:
        self.lemma_chars = _chars()
        self.lemma_words = _words()
        self.surface_chars = _chars()

    def fit_transform(self, texts: Sequence[ModelText]) -> sparse.csr_matrix:
        lemmas = [t.lemmas for t in texts]
        surface = [t.surface for t in texts]
        blocks = [
            self.lemma_chars.fit_transform(lemmas),
            self.lemma_words.fit_transform(lemmas),
            self.surface_chars.fit_transform(surface),
        ]
        return sparse.hstack(blocks, format="csr")

    def transform(self, texts: Sequence[ModelText]) -> sparse.csr_matrix:
        lemmas = [t.lemmas for t in texts]
        surface = [t.surface for t in texts]
        blocks = [
            self.lemma_chars.transform(lemmas),
            self.lemma_words.transform(lemmas),
            self.surface_chars.transform(surface),
        ]
        return sparse.hstack(blocks, format="csr")
