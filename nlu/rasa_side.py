"""Rasa 3.6 beside the embedded model: for ``benchmarks/nlu_vs_rasa.py`` and the Rasa backend's
integration test, never for the product (which talks to a Rasa server over HTTP, ``nlu.rasa_http``).

Rasa 3.6 does not install on Python 3.11, so it lives in an environment of its own (``make rasa``:
``.venv-rasa`` with Python 3.10, or any interpreter named by FRONTDOOR_RASA_PYTHON) and is driven through
``nlu/rasa_worker.py`` in a subprocess. Our training files are Rasa 3.1 YAML already and go over
unchanged; trained models are kept in ``var/rasa`` under a key of data, configuration and Rasa version.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from nlu.training_data import Example, TrainingData, default_files

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
CACHE = ROOT / "var" / "rasa"
WORKER = Path(__file__).with_name("rasa_worker.py")
RASA_VERSION = "3.6"

# Rasa's recommended pipeline for a language without a spaCy model, written for this comparison: word and
# character n-gram counts (Rasa's own char_wb 1-4), regexes and lookups as features, DIET for intents and
# entities together, synonyms mapped afterwards.
BENCHMARK_CONFIG = """\
recipe: default.v1
language: ru
assistant_id: frontdoor-benchmark
pipeline:
- name: WhitespaceTokenizer
- name: RegexFeaturizer
- name: LexicalSyntacticFeaturizer
- name: CountVectorsFeaturizer
- name: CountVectorsFeaturizer
  analyzer: char_wb
  min_ngram: 1
  max_ngram: 4
- name: DIETClassifier
  epochs: {epochs}
  random_seed: 0
- name: EntitySynonymMapper
policies: []
"""
BENCHMARK_EPOCHS = 100
QUICK_EPOCHS = 20  # the adapter test: a real server's answers, not a good model


@dataclass(frozen=True, slots=True)
class RasaEnv:
    python: Path
    version: str


def find_env() -> tuple[RasaEnv | None, str]:
    """The Rasa interpreter, or None and why not (for a skip message)."""
    named = os.environ.get("FRONTDOOR_RASA_PYTHON")
    python = Path(named) if named else DEFAULT_PYTHON
    if not python.exists():
        where = "FRONTDOOR_RASA_PYTHON" if named else f"{DEFAULT_PYTHON.relative_to(ROOT)}"
        return None, f"no Rasa environment ({where} missing; `make rasa` creates it with Python 3.10)"
    probe = "import sys, importlib.metadata as m; print(sys.version_info[:2] == (3, 10), m.version('rasa'))"
    try:
        answer = subprocess.run(
            [str(python), "-I", "-c", probe], capture_output=True, text=True, timeout=60, check=True
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None, f"{python} does not run or has no Rasa installed (`make rasa`)"
    if answer[:1] != ["True"] or not answer[1].startswith(RASA_VERSION):
        return None, f"{python} is not Python 3.10 with Rasa {RASA_VERSION} ({' '.join(answer)})"
    return RasaEnv(python, answer[1]), ""


def marked(example: Example) -> str:
    """An example written back in Rasa's markup, as it came from our files."""
    parts: list[str] = []
    position = 0
    for annotation in example.entities:
        text = example.text[annotation.start : annotation.end]
        parts.append(example.text[position : annotation.start])
        if annotation.value == text:
            parts.append(f"[{text}]({annotation.entity})")
        else:
            spec = json.dumps({"entity": annotation.entity, "value": annotation.value}, ensure_ascii=False)
            parts.append(f"[{text}]{spec}")
        position = annotation.end
    parts.append(example.text[position:])
    return "".join(parts)


def subset_file(data: TrainingData, intents: Iterable[str]) -> str:
    """A Rasa NLU file of some intents with all their examples (lookups and synonyms left out)."""
    wanted = list(intents)
    lines = ['version: "3.1"', "nlu:"]
    for intent in wanted:
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {marked(e)}" for e in data.examples if e.intent == intent]
    return "\n".join(lines) + "\n"


def bundled_files() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in default_files()}


def train(
    env: RasaEnv, config: str, files: dict[str, str], *, cache: Path = CACHE
) -> tuple[Path, float | None]:
    """A trained model for ``config`` and the NLU ``files`` (name -> YAML), and the seconds training took
    (None when the model came from the cache)."""
    digest = hashlib.sha256(f"{env.version}\0{config}".encode())
    for name in sorted(files):
        digest.update(f"\0{name}\0{files[name]}".encode())
    key = digest.hexdigest()[:16]
    model = cache / f"rasa-{key}.tar.gz"
    if model.exists():
        return model, None
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rasa-project-") as folder:
        project = Path(folder)
        (project / "data").mkdir()
        (project / "config.yml").write_text(config, encoding="utf-8")
        for name, text in files.items():
            (project / "data" / name).write_text(text, encoding="utf-8")
        result = project / "result.json"
        _run(env, ["train", str(project), str(cache), f"rasa-{key}", str(result)])
        answer = json.loads(result.read_text(encoding="utf-8"))
    return Path(answer["model"]), float(answer["seconds"])


@dataclass(frozen=True, slots=True)
class Parsed:
    intents: list[str]  # one per text (the first timed round)
    seconds: list[float]  # wall time of every parse
    cpu: list[float]  # CPU time of every parse, all of the process's threads


def parse(env: RasaEnv, model: Path, texts: Sequence[str], *, rounds: int = 1) -> Parsed:
    """Rasa's intent for each text and the time of every parse, through its Python API."""
    with tempfile.TemporaryDirectory(prefix="rasa-parse-") as folder:
        texts_file = Path(folder) / "texts.json"
        texts_file.write_text(json.dumps(list(texts), ensure_ascii=False), encoding="utf-8")
        result = Path(folder) / "result.json"
        _run(env, ["parse", str(model), str(texts_file), str(rounds), str(result)])
        answer = json.loads(result.read_text(encoding="utf-8"))
    return Parsed(
        list(answer["intents"]), [float(s) for s in answer["seconds"]], [float(s) for s in answer["cpu"]]
    )


def start_server(
    env: RasaEnv, model: Path, port: int, log: IO[bytes], token: str | None = None
) -> subprocess.Popen[bytes]:
    """``rasa run --enable-api`` on 127.0.0.1:port, NLU only (no actions, no channels), in a new session."""
    command = [str(env.python), "-I", "-m", "rasa", "run", "--enable-api", "--model", str(model)]
    command += ["--interface", "127.0.0.1", "--port", str(port)]
    command += ["--auth-token", token] if token else []
    return subprocess.Popen(
        command, cwd=_workdir(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _workdir() -> Path:
    """Rasa keeps a ``.rasa`` cache in its working directory: ours is the models' folder, not the checkout."""
    CACHE.mkdir(parents=True, exist_ok=True)
    return CACHE


def _run(env: RasaEnv, arguments: list[str]) -> None:
    done = subprocess.run(
        [str(env.python), "-I", str(WORKER), *arguments],
        cwd=_workdir(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        tail = "\n".join(done.stderr.splitlines()[-15:])
        raise RuntimeError(f"the Rasa worker failed ({arguments[0]}, exit {done.returncode}):\n{tail}")
