"""What the worst inputs cost a parse, with the input limits (nlu.text.clip, MAX_WORD_CHARS) and without.

Parsing runs on the event loop, so one message's parse delays every other person's reply. For each input
the script prints p50 / p99 / max of the capped parse (the product's path) and p50 of the same parse with
the limits lifted in the same run (the patterns already linear), and the ratio. Then the regular expressions
that were quadratic, the old pattern against the new one on the input that hurt it. Normal messages are the
held-out phrasings (tests/nlu/heldout.tsv). "Unseen words" draws new random words for every parse, so the
lemma and fuzzy-match caches never help: the dearest text there is.
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import nlu.text
from nlu import numbers, training_data
from nlu.embedded import EmbeddedModel
from nlu.evaluate import read_held_out

HELD_OUT = Path(__file__).resolve().parents[1] / "tests" / "nlu" / "heldout.tsv"
LETTERS = "абвгдежзиклмнопрстуфхцчшщыэюя"
# Latin words are read as transliterated Russian: each unknown one tries up to 64 Cyrillic spellings, and
# these letters are the ones with several readings.
AMBIGUOUS_LATIN = "tlcjsyiea"

# The patterns as they were, beside the ones in nlu/ now.
OLD_PATTERNS = {
    "mixed-script word (nlu.text._MIXED)": (
        re.compile(r"[a-zа-я]*(?:[a-z][а-я]|[а-я][a-z])[a-zа-я]*"),
        nlu.text._MIXED,
        "а" * 4000,
    ),
    "grade number (nlu.numbers._GRADE_NUMBER)": (
        re.compile(r"(?<!\d)(1[01]|[1-9])\s*-?\s*(?:[а-я]{1,2}\s*)?(?:класс[а-я]*|кл\b)"),
        numbers._GRADE_NUMBER,
        "9" + " " * 4000 + "x",
    ),
    "course number (nlu.numbers._COURSE_NUMBER)": (
        re.compile(r"(?<!\d)([1-6])\s*-?\s*(?:[а-я]{1,2}\s*)?курс[а-я]*"),
        numbers._COURSE_NUMBER,
        "2" + " " * 4000 + "x",
    ),
}


def unseen_words(rng: random.Random, length: int, letters: str = LETTERS) -> str:
    words: list[str] = []
    while sum(len(word) + 1 for word in words) < length:
        words.append("".join(rng.choice(letters) for _ in range(rng.randint(5, 9))))
    return " ".join(words)[:length]


def worst_inputs(rng: random.Random) -> dict[str, Callable[[], str]]:
    essay = " ".join(["хочу", "найти", "работу", "в", "самаре", "на", "лето"] * 150)[:4000]
    fixed = {
        "4,000-letter word": "профориентация" * 286,
        "one letter x 4,000": "а" * 4000,
        "Latin/Cyrillic word x 4,000": "пpивет" * 667,
        "4,000 chars of words": essay,
        "«9», 4,000 spaces, «класс»": "9" + " " * 4000 + "класс",
        "4,000 digits": "1" * 4000,
        "«1.» x 2,000": "1." * 2000,
        "«9 класс » x 500": "9 класс " * 500,
        "«!?» x 2,000": "!?" * 2000,
        "ambiguous Latin word x 4,000": "tsyalcjie" * 445,
    }
    made: dict[str, Callable[[], str]] = {name: constant(text) for name, text in fixed.items()}
    made["4,000 chars of unseen words"] = lambda: unseen_words(rng, 4000)
    made["4,000 chars of unseen Latin words"] = lambda: unseen_words(rng, 4000, AMBIGUOUS_LATIN)
    return made


def constant(text: str) -> Callable[[], str]:
    return lambda: text


@contextmanager
def uncapped() -> Iterator[None]:
    saved = nlu.text.MAX_TEXT_CHARS, nlu.text.MAX_WORD_CHARS
    nlu.text.MAX_TEXT_CHARS = nlu.text.MAX_WORD_CHARS = 10**9
    try:
        yield
    finally:
        nlu.text.MAX_TEXT_CHARS, nlu.text.MAX_WORD_CHARS = saved


def timings(model: EmbeddedModel, texts: Iterator[str] | list[str]) -> list[float]:
    spent = []
    for text in texts:
        started = time.perf_counter()
        model.parse_now(text)
        spent.append(time.perf_counter() - started)
    return spent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def ms(value: float) -> str:
    return f"{value * 1000:8.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="capped parses per input (default: 200)")
    parser.add_argument(
        "--uncapped-rounds", type=int, default=5, help="uncapped parses per input (default: 5)"
    )
    args = parser.parse_args()
    data = training_data.load()
    model = EmbeddedModel.train(data)
    gc.collect()
    gc.freeze()  # as `frontdoor run` does after start-up
    rng = random.Random(12)

    normal = [text for _, text in read_held_out(HELD_OUT, data.intents)]
    timings(model, normal)  # warm the caches, as a running bot has them
    spent = timings(model, normal * 5)
    print(f"limits: {nlu.text.MAX_TEXT_CHARS} characters, words of {nlu.text.MAX_WORD_CHARS} letters")
    print(f"{'input':34} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} | {'uncapped p50':>12} {'ratio':>7}")
    print(
        f"{'normal messages (held-out, warm)':34} {ms(statistics.median(spent))} "
        f"{ms(percentile(spent, 0.99))} {ms(max(spent))} |"
    )
    for name, make in worst_inputs(rng).items():
        capped = timings(model, [make() for _ in range(args.rounds)])
        with uncapped():
            lifted = timings(model, [make() for _ in range(args.uncapped_rounds)])
        p50, free = statistics.median(capped), statistics.median(lifted)
        print(
            f"{name:34} {ms(p50)} {ms(percentile(capped, 0.99))} {ms(max(capped))} | "
            f"{ms(free):>12} {free / p50:6.0f}x"
        )
    print()
    print("quadratic patterns, one finditer over the input that hurt them (ms):")
    for name, (old, new, text) in OLD_PATTERNS.items():
        spent_old = min(scan_time(old, text) for _ in range(3))
        spent_new = min(scan_time(new, text) for _ in range(3))
        print(f"  {name:44} before {ms(spent_old)}  now {ms(spent_new)}")


def scan_time(pattern: re.Pattern[str], text: str) -> float:
    started = time.perf_counter()
    for _ in pattern.finditer(text):
        pass
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
