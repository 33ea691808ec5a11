"""The embedded model beside Rasa 3.6's DIET, trained on the same nlu/data, on the same held-out files.

Prints per file and model: accuracy, macro-F1 and parse p50/p99, then per-intent F1 and the most frequent
confusions on the hard file, the keyword baseline beside both. Rasa runs in its own Python 3.10
environment (`make rasa`, or FRONTDOOR_RASA_PYTHON) and is asked through its Python API, no HTTP; its
pipeline is nlu.rasa_side.BENCHMARK_CONFIG. Without that environment the script says so and exits 0.
Trained Rasa models are cached in var/rasa, so a second run only parses (`--retrain` trains again).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from pathlib import Path

from nlu import rasa_side, training_data
from nlu.baseline import KeywordBaseline
from nlu.embedded import EmbeddedModel
from nlu.evaluate import Scores, read_held_out, score

TESTS = Path(__file__).resolve().parents[1] / "tests" / "nlu"
FILES = (TESTS / "heldout.tsv", TESTS / "heldout_hard.tsv")
MS = 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timing(seconds: list[float]) -> str:
    return f"p50 {statistics.median(seconds) * MS:6.2f} ms  p99 {percentile(seconds, 0.99) * MS:6.2f} ms"


def embedded_side(model: EmbeddedModel, texts: list[str], rounds: int) -> rasa_side.Parsed:
    intents = [model.parse_now(text).intent for text in texts]  # also the warm-up pass
    seconds, cpu = [], []
    for _ in range(rounds):
        for text in texts:
            started, used = time.perf_counter(), time.process_time()
            model.parse_now(text)
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
    return rasa_side.Parsed(intents, seconds, cpu)


def per_intent(rows: list[Scores]) -> str:
    lines = [f"  {'intent':22}" + "".join(f"{s.name:>12}" for s in rows)]
    for intent in sorted(rows[0].per_intent):
        lines.append(f"  {intent:22}" + "".join(f"{s.per_intent.get(intent, 0.0):>12.3f}" for s in rows))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=rasa_side.BENCHMARK_EPOCHS, help="DIET epochs")
    parser.add_argument("--rounds", type=int, default=3, help="timed parses per text (default: 3)")
    parser.add_argument("--retrain", action="store_true", help="train Rasa again even if cached")
    args = parser.parse_args()
    env, reason = rasa_side.find_env()
    if env is None:
        print(f"skipped: {reason}")
        return
    data = training_data.load()
    started = time.perf_counter()
    model = EmbeddedModel.train(data)
    embedded_training = time.perf_counter() - started
    keywords = KeywordBaseline.train(data.texts(), data.labels())
    gc.collect()
    gc.freeze()  # as `frontdoor run` does after start-up (see benchmarks/nlu_latency.py)
    config = rasa_side.BENCHMARK_CONFIG.format(epochs=args.epochs)
    cache = rasa_side.CACHE
    if args.retrain:
        for old in cache.glob("rasa-*.tar.gz"):
            old.unlink()
    rasa_model, rasa_training = rasa_side.train(env, config, rasa_side.bundled_files(), cache=cache)
    trained = "cached" if rasa_training is None else f"{rasa_training:.0f} s"
    print(
        f"training on {len(data.examples)} examples: embedded {embedded_training:.1f} s, "
        f"Rasa {env.version} DIET ({args.epochs} epochs) {trained}"
    )
    for path in FILES:
        pairs = read_held_out(path, data.intents)
        truth = [intent for intent, _ in pairs]
        texts = [text for _, text in pairs]
        ours = embedded_side(model, texts, args.rounds)
        theirs = rasa_side.parse(env, rasa_model, texts, rounds=args.rounds)
        mine = score("embedded", truth, ours.intents, data.intents)
        rasa = score("rasa DIET", truth, theirs.intents, data.intents)
        baseline = score("keywords", truth, [keywords.predict(text) for text in texts], data.intents)
        print(f"\n== {path.name}: {len(pairs)} messages")
        print(f"  {'':12}{'accuracy':>10}{'macro-F1':>10}   parse, wall time{'':20}parse, CPU time")
        for name, scores, timed in (("embedded", mine, ours), ("rasa DIET", rasa, theirs)):
            print(
                f"  {name:12}{scores.accuracy:>10.3f}{scores.macro_f1:>10.3f}   "
                f"{timing(timed.seconds)}   {timing(timed.cpu)}"
            )
        print(f"  {'keywords':12}{baseline.accuracy:>10.3f}{baseline.macro_f1:>10.3f}")
        if path.name == FILES[-1].name:
            print("per-intent F1:")
            print(per_intent([mine, rasa, baseline]))
            for result in (mine, rasa):
                pairs_text = ", ".join(f"{t} -> {p} {n}" for t, p, n in result.confused)
                print(f"most confused, {result.name}: {pairs_text}")


if __name__ == "__main__":
    main()
