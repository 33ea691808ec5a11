"""Parse latency and throughput of the embedded NLU model, training time and model size.

Texts are the held-out phrasings (tests/nlu/heldout.tsv and heldout_hard.tsv); the first pass over them is
reported apart, because lemma and fuzzy-match caches make repeated words cheaper. On a shared machine the
wall-clock p99 mostly measures waiting for a core, so the CPU time of each parse (this thread's clock) is
printed beside it. After training the benchmark calls
``gc.collect(); gc.freeze()`` as ``frontdoor run`` does after start-up: otherwise the collector's first full
scan of the ~10^6 objects training leaves behind lands inside a parse (~8 ms, `--no-freeze` shows it).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from pathlib import Path

from nlu import training_data
from nlu.embedded import EmbeddedModel
from nlu.evaluate import read_held_out

TESTS = Path(__file__).resolve().parents[1] / "tests" / "nlu"
HELD_OUT = (TESTS / "heldout.tsv", TESTS / "heldout_hard.tsv")
ROUNDS = 20


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-freeze", dest="freeze", action="store_false", help="skip gc.freeze()")
    args = parser.parse_args()
    data = training_data.load()
    started, cpu = time.perf_counter(), time.process_time()
    model = EmbeddedModel.train(data)
    trained, trained_cpu = time.perf_counter() - started, time.process_time() - cpu
    if args.freeze:
        gc.collect()
        gc.freeze()
    texts = [text for path in HELD_OUT for _, text in read_held_out(path, data.intents)]
    first = []
    for text in texts:
        started = time.perf_counter()
        model.parse_now(text)
        first.append(time.perf_counter() - started)
    warm = []
    warm_cpu = []
    for _ in range(ROUNDS):
        for text in texts:
            started, cpu = time.perf_counter(), time.thread_time()
            model.parse_now(text)
            warm.append(time.perf_counter() - started)
            warm_cpu.append(time.thread_time() - cpu)
    ms = 1000
    size = model.size_bytes() / 1024
    print(
        f"training: {trained:.2f} s ({trained_cpu:.2f} s of CPU) on {len(data.examples)} examples; "
        f"model {size:.0f} KiB"
    )
    print(
        f"first pass ({len(first)} texts): p50 {statistics.median(first) * ms:.3f} ms, "
        f"p99 {percentile(first, 0.99) * ms:.3f} ms, max {max(first) * ms:.3f} ms"
    )
    print(
        f"warm ({len(warm)} parses): p50 {statistics.median(warm) * ms:.3f} ms, "
        f"p99 {percentile(warm, 0.99) * ms:.3f} ms, max {max(warm) * ms:.3f} ms, "
        f"{len(warm) / sum(warm):,.0f} parses/s on one core"
    )
    print(
        f"warm, CPU time per parse: p50 {statistics.median(warm_cpu) * ms:.3f} ms, "
        f"p99 {percentile(warm_cpu, 0.99) * ms:.3f} ms, max {max(warm_cpu) * ms:.3f} ms"
    )


if __name__ == "__main__":
    main()
