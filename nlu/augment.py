"""Requests that open with a pleasantry, made from the training data itself, for fitting only.

People greet or thank before they ask: «привет мне 25 нужна работа срочно», «спасибо, а на первый профтур
можно записаться». A linear model that has only seen «привет» under greet lets that word outvote the
request. So while fitting, a share of the request examples is repeated with a short greet or thanks
example of the same data in front, under the request's intent: the greeting words then count for greet
only when nothing else is asked. Pleasantries, goodbyes and out-of-scope examples are never prefixed.
Measured on tests/nlu/heldout_hard.tsv, see README «Free text (NLU)».
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from nlu.features import ModelText
from nlu.types import OUT_OF_SCOPE

OPENER_INTENTS = frozenset({"greet", "thanks"})
NOT_REQUESTS = OPENER_INTENTS | {"goodbye", OUT_OF_SCOPE}
SHARE = 0.2  # of the request examples, each with one opener
MAX_OPENER_WORDS = 3  # «добрый день», «спасибо большое»; longer pleasantries say more than hello


def with_openers(
    texts: Sequence[ModelText], labels: Sequence[str], *, seed: int = 0
) -> tuple[list[ModelText], list[str], list[int]]:
    """``texts`` and ``labels`` with the made examples after them, and for every row the index of the
    example it was made from (so that cross-validation keeps an example and its copy in one fold)."""
    openers = [
        text
        for text, label in zip(texts, labels, strict=True)
        if label in OPENER_INTENTS and len(text.surface.split()) <= MAX_OPENER_WORDS
    ]
    out_texts, out_labels = list(texts), list(labels)
    origins = list(range(len(texts)))
    if not openers:
        return out_texts, out_labels, origins
    rng = random.Random(seed)
    for index, (text, label) in enumerate(zip(texts, labels, strict=True)):
        if label in NOT_REQUESTS or rng.random() >= SHARE:
            continue
        opener = rng.choice(openers)
        out_texts.append(ModelText(f"{opener.lemmas} {text.lemmas}", f"{opener.surface} {text.surface}"))
        out_labels.append(label)
        origins.append(index)
    return out_texts, out_labels, origins
