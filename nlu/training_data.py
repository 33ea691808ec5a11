"""Training data in Rasa 3.1 YAML: intents with examples, synonyms, lookup tables and regexes.

Entity markup inside examples follows Rasa: ``[text](entity)`` or ``[text]{"entity": "x", "value": "y"}``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

SUPPORTED_VERSION = "3.1"
_MARKUP = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<short>[a-z_]+)\)|(?P<json>\{[^}]*\}))")


class TrainingDataError(ValueError):
    """The data cannot be read; the message names the file and what is wrong."""


@dataclass(frozen=True, slots=True)
class Annotation:
    entity: str
    start: int
    end: int
    value: str


@dataclass(frozen=True, slots=True)
class Example:
    intent: str
    text: str  # without markup
    entities: tuple[Annotation, ...] = ()


@dataclass(frozen=True, slots=True)
class TrainingData:
    examples: tuple[Example, ...]
    lookups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # canonical value -> variants
    regexes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fingerprint: str = ""  # sha256 of the source files: the model cache key

    @property
    def intents(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(example.intent for example in self.examples))

    def texts(self) -> list[str]:
        return [example.text for example in self.examples]

    def labels(self) -> list[str]:
        return [example.intent for example in self.examples]


def default_files() -> list[Path]:
    folder = resources.files("nlu") / "data"
    return sorted(Path(str(item)) for item in folder.iterdir() if item.name.endswith((".yml", ".yaml")))


def load(files: Iterable[Path] | None = None) -> TrainingData:
    paths = list(files) if files is not None else default_files()
    digest = hashlib.sha256()
    examples: list[Example] = []
    lookups: dict[str, list[str]] = {}
    synonyms: dict[str, list[str]] = {}
    regexes: dict[str, list[str]] = {}
    for path in paths:
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw)
        document = yaml.safe_load(raw)
        if not isinstance(document, dict) or str(document.get("version")) != SUPPORTED_VERSION:
            raise TrainingDataError(f'{path.name}: expected a mapping with version: "{SUPPORTED_VERSION}"')
        for number, block in enumerate(document.get("nlu") or [], start=1):
            kind, name, items = _block(path, number, block)
            if kind == "intent":
                examples.extend(parse_example(name, item, where=f"{path.name} {name}") for item in items)
            elif kind == "lookup":
                lookups.setdefault(name, []).extend(items)
            elif kind == "synonym":
                synonyms.setdefault(name, []).extend(items)
            else:
                regexes.setdefault(name, []).extend(items)
    return TrainingData(
        examples=tuple(examples),
        lookups={k: tuple(v) for k, v in lookups.items()},
        synonyms={k: tuple(v) for k, v in synonyms.items()},
        regexes={k: tuple(v) for k, v in regexes.items()},
        fingerprint=digest.hexdigest(),
    )


def _block(path: Path, number: int, block: Any) -> tuple[str, str, list[str]]:
    if not isinstance(block, dict):
        raise TrainingDataError(f"{path.name}: item {number} of nlu: is not a mapping")
    kinds = [key for key in ("intent", "lookup", "synonym", "regex") if key in block]
    if len(kinds) != 1 or not isinstance(block.get("examples"), str):
        raise TrainingDataError(
            f"{path.name}: item {number} needs one of intent/lookup/synonym/regex and examples"
        )
    kind = kinds[0]
    name = str(block[kind]).strip()
    items = []
    for line in block["examples"].splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("- "):
            raise TrainingDataError(
                f"{path.name}: {kind} {name}: every example starts with '- ': {stripped[:40]!r}"
            )
        items.append(stripped[2:].strip())
    return kind, name, items


def parse_example(intent: str, marked: str, *, where: str = "") -> Example:
    """Strip Rasa entity markup, keeping where each annotated entity sits in the plain text."""
    plain: list[str] = []
    entities: list[Annotation] = []
    position = 0
    length = 0
    for match in _MARKUP.finditer(marked):
        before = marked[position : match.start()]
        plain.append(before)
        length += len(before)
        text = match.group("text")
        if match.group("short"):
            entity, value = match.group("short"), text
        else:
            try:
                spec = json.loads(match.group("json"))
                entity, value = str(spec["entity"]), str(spec.get("value", text))
            except (ValueError, KeyError, TypeError):
                raise TrainingDataError(f"{where}: bad entity markup in {marked!r}") from None
        entities.append(Annotation(entity, length, length + len(text), value))
        plain.append(text)
        length += len(text)
        position = match.end()
    plain.append(marked[position:])
    text = "".join(plain)
    if "[" in text or "](" in text:
        raise TrainingDataError(f"{where}: unbalanced entity markup in {marked!r}")
    return Example(intent, text, tuple(entities))
