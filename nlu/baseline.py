"""A keyword baseline, so the model's gain is visible: the words most particular to each intent.

Trained from the same examples: a lemma is a keyword of an intent when it occurs at least twice there and
at least 70 % of its occurrences are there. The intent with most keywords in a text wins; none means
out_of_scope. It is what a hand-written "if 'вакансия' in text" bot amounts to, learnt instead of typed.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from nlu.text import tokens
from nlu.types import OUT_OF_SCOPE

MIN_COUNT = 2
MIN_SHARE = 0.7


def _lemmas(text: str) -> set[str]:
    return {w.lemma for w in tokens(text) if len(w.lemma) > 2}


class KeywordBaseline:
    def __init__(self, keywords: dict[str, dict[str, float]]) -> None:
        self._keywords = keywords  # lemma -> intent -> weight

    @classmethod
    def train(cls, texts: list[str], labels: list[str]) -> KeywordBaseline:
        per_intent: dict[str, Counter[str]] = defaultdict(Counter)
        overall: Counter[str] = Counter()
        for text, label in zip(texts, labels, strict=True):
            lemmas = _lemmas(text)
            per_intent[label].update(lemmas)
            overall.update(lemmas)
        keywords: dict[str, dict[str, float]] = defaultdict(dict)
        for intent, counts in per_intent.items():
            for lemma, count in counts.items():
                share = count / overall[lemma]
                if count >= MIN_COUNT and share >= MIN_SHARE:
                    keywords[lemma][intent] = share
        return cls(dict(keywords))

    def predict(self, text: str) -> str:
        scores: dict[str, float] = defaultdict(float)
        for lemma in sorted(_lemmas(text)):  # a tie goes the same way in every process (no hash order)
            for intent, weight in self._keywords.get(lemma, {}).items():
                scores[intent] += weight
        if not scores:
            return OUT_OF_SCOPE
        return max(scores, key=lambda intent: scores[intent])
