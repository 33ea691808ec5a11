"""Runs inside the Rasa 3.6 environment (Python 3.10), never imported by the product: trains a Rasa NLU
model and parses texts through Rasa's own Python API, for ``nlu.rasa_side``.

    python -I rasa_worker.py train PROJECT_DIR OUT_DIR NAME RESULT.json
    python -I rasa_worker.py parse MODEL.tar.gz TEXTS.json ROUNDS RESULT.json

``-I`` keeps this file's folder off ``sys.path`` (``nlu/types.py`` would shadow the standard library's).
Results go to a JSON file, not stdout, which Rasa and TensorFlow fill with logs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any


def train(project: Path, out: Path, name: str) -> dict[str, Any]:
    from rasa.model_training import train_nlu  # type: ignore[import-not-found]

    started = time.perf_counter()
    model = train_nlu(
        config=str(project / "config.yml"),
        nlu_data=str(project / "data"),
        output=str(out),
        fixed_model_name=name,
    )
    return {"model": str(model), "seconds": time.perf_counter() - started}


async def parse(model: Path, texts: list[str], rounds: int) -> dict[str, Any]:
    from rasa.core.agent import Agent  # type: ignore[import-not-found]

    agent = Agent.load(str(model))
    intents: list[str] = []
    seconds: list[float] = []
    cpu: list[float] = []  # the whole process: TensorFlow parses on several threads
    for text in texts:  # a warm-up pass, as the embedded model's first pass is reported apart
        await agent.parse_message(text)
    for round_ in range(rounds):
        for text in texts:
            started, used = time.perf_counter(), time.process_time()
            answer = await agent.parse_message(text)
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
            if round_ == 0:
                intents.append((answer.get("intent") or {}).get("name") or "out_of_scope")
    return {"intents": intents, "seconds": seconds, "cpu": cpu}


def main(argv: list[str]) -> None:
    logging.basicConfig(level=logging.WARNING)
    command, *rest = argv
    if command == "train":
        project, out, name, result = rest
        answer = train(Path(project), Path(out), name)
    elif command == "parse":
        model, texts_file, rounds, result = rest
        texts = json.loads(Path(texts_file).read_text(encoding="utf-8"))
        answer = asyncio.run(parse(Path(model), texts, int(rounds)))
    else:
        raise SystemExit(f"unknown command {command!r}")
    Path(result).write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
