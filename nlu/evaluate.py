"""How well intents are recognised: stratified cross-validation and held-out files, model vs baseline."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from nlu.baseline import KeywordBaseline
from nlu.embedded import fit, predict
from nlu.entities import EntityExtractor
from nlu.features import model_text
from nlu.training_data import Example, TrainingData, TrainingDataError, parse_example


class HeldOutError(ValueError):
    """A held-out file line is not ``intent<TAB>text``; the message names the line."""


@dataclass(frozen=True, slots=True)
class Scores:
    name: str
    accuracy: float
    macro_f1: float
    per_intent: dict[str, float]
    confused: list[tuple[str, str, int]]  # (true, predicted, count), most frequent first
    count: int


def score(name: str, truth: Sequence[str], predicted: Sequence[str], intents: Sequence[str]) -> Scores:
    labels = sorted(set(intents) | set(truth))
    per_intent = f1_score(truth, predicted, labels=labels, average=None, zero_division=0)
    present = [label for label in labels if label in set(truth)]
    macro = f1_score(truth, predicted, labels=present, average="macro", zero_division=0)
    pairs = Counter((t, p) for t, p in zip(truth, predicted, strict=True) if t != p)
    accuracy = float(np.mean([t == p for t, p in zip(truth, predicted, strict=True)])) if truth else 0.0
    return Scores(
        name=name,
        accuracy=accuracy,
        macro_f1=float(macro),
        per_intent={label: float(f) for label, f in zip(labels, per_intent, strict=True) if label in present},
        confused=[(t, p, n) for (t, p), n in pairs.most_common(8)],
        count=len(truth),
    )


def cross_validate(data: TrainingData, *, folds: int = 5, seed: int = 0) -> tuple[Scores, Scores]:
    """Stratified k-fold on the training examples: (model, keyword baseline)."""
    extractor = EntityExtractor(data)
    texts = [model_text(text, extractor)[0] for text in data.texts()]
    raw = data.texts()
    labels = np.asarray(data.labels())
    model_guess = np.empty(len(labels), dtype=object)
    baseline_guess = np.empty(len(labels), dtype=object)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(texts, labels):
        vectorizer, weights = fit([texts[i] for i in train], list(labels[train]), seed=seed)
        confidences = predict(vectorizer, weights, [texts[i] for i in test])
        model_guess[test] = [weights.intents[i] for i in confidences.argmax(axis=1)]
        baseline = KeywordBaseline.train([raw[i] for i in train], list(labels[train]))
        baseline_guess[test] = [baseline.predict(raw[i]) for i in test]
    truth = list(labels)
    return (
        score("model", truth, list(model_guess), data.intents),
        score("keyword baseline", truth, list(baseline_guess), data.intents),
    )


def read_held_out(path: Path, known: Sequence[str]) -> list[tuple[str, str]]:
    """``intent<TAB>text`` lines as (intent, text) pairs, entity markup removed."""
    return [(example.intent, example.text) for example in read_held_out_examples(path, known)]


def read_held_out_examples(path: Path, known: Sequence[str]) -> list[Example]:
    """``intent<TAB>text`` lines; the text may carry Rasa entity markup («[в самаре](municipality)»).

    Blank lines and lines starting with # are skipped.
    """
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        intent, tab, text = line.partition("\t")
        if not tab or not text.strip():
            raise HeldOutError(f"{path.name}:{number}: expected intent<TAB>text")
        if intent.strip() not in known:
            raise HeldOutError(f"{path.name}:{number}: unknown intent {intent.strip()!r}")
        try:
            examples.append(parse_example(intent.strip(), text.strip(), where=f"{path.name}:{number}"))
        except TrainingDataError as problem:
            raise HeldOutError(str(problem)) from None
    return examples


def held_out(
    pairs: Sequence[tuple[str, str]],
    data: TrainingData,
    model: Callable[[str], str],
) -> tuple[Scores, Scores]:
    """Scores of a trained model (``text -> intent``) and of the baseline trained on all of ``data``."""
    truth = [intent for intent, _ in pairs]
    baseline = KeywordBaseline.train(data.texts(), data.labels())
    return (
        score("model", truth, [model(text) for _, text in pairs], data.intents),
        score("keyword baseline", truth, [baseline.predict(text) for _, text in pairs], data.intents),
    )


def format_scores(title: str, model: Scores, baseline: Scores) -> str:
    lines = [
        f"== {title}: {model.count} examples",
        f"{'':24}{'model':>10}{'baseline':>10}",
        f"{'accuracy':24}{model.accuracy:>10.3f}{baseline.accuracy:>10.3f}",
        f"{'macro-F1':24}{model.macro_f1:>10.3f}{baseline.macro_f1:>10.3f}",
        "per-intent F1:",
    ]
    for intent in sorted(model.per_intent):
        lines.append(
            f"  {intent:22}{model.per_intent[intent]:>10.3f}{baseline.per_intent.get(intent, 0.0):>10.3f}"
        )
    lines.append("most confused (true -> predicted, count), model:")
    lines += [f"  {t} -> {p}: {n}" for t, p, n in model.confused] or ["  none"]
    return "\n".join(lines)


def timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started
