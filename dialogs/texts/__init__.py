"""All user-facing Russian text lives in the YAML files of this folder; code refers to it by key.

``t("profile.saved", name="Аня")`` looks up a dotted key and fills ``{placeholders}``. A missing key or
placeholder is a programming error and raises at once (a test renders every key used in the code).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


class TextCatalog:
    def __init__(self, entries: dict[str, str]) -> None:
        self._entries = entries

    def __call__(self, key: str, /, **values: Any) -> str:
        template = self._entries[key]
        return template.format_map(values) if values else template

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def keys(self) -> frozenset[str]:
        return frozenset(self._entries)

    def raw(self, key: str) -> str:
        return self._entries[key]


def _flatten(prefix: str, node: object, into: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), value, into)
    elif isinstance(node, str):
        into[prefix] = node.rstrip("\n")
    else:
        raise TypeError(f"text {prefix!r} must be a string, got {type(node).__name__}")


@cache
def catalog() -> TextCatalog:
    entries: dict[str, str] = {}
    folder = resources.files(__name__)
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.name.endswith(".yaml"):
            _flatten("", yaml.safe_load(item.read_text(encoding="utf-8")), entries)
    return TextCatalog(entries)


def t(key: str, /, **values: Any) -> str:
    return catalog()(key, **values)


@cache
def known_labels() -> tuple[str, ...]:
    """Every fixed button label (``*.btn.*`` and the role names): words that are never an answer's value."""
    entries = catalog()
    return tuple(
        entries.raw(key)
        for key in sorted(entries.keys())
        if ("btn" in key.split(".") or key.startswith("role.")) and "{" not in entries.raw(key)
    )
