"""Checks requests against the machine-readable Bot API spec (../shared/specs/telegram/api.json).

Telegram itself ignores unknown parameters; the emulator refuses them on purpose, so a drift between our
calls and the real API fails a test instead of a production send.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SPEC = REPO.parent / "shared" / "specs" / "telegram" / "api.json"

_SCALARS: dict[str, tuple[type, ...]] = {
    "Integer": (int,),
    "String": (str,),
    "Boolean": (bool,),
    "Float": (int, float),
    "True": (bool,),
}


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    required: bool
    types: tuple[str, ...]


class BotApiSpec:
    def __init__(self, methods: dict[str, dict[str, Field]]) -> None:
        self._methods = {name.lower(): fields for name, fields in methods.items()}

    @classmethod
    def load(cls, path: Path) -> BotApiSpec:
        raw = json.loads(path.read_text(encoding="utf-8"))
        methods = {
            name: {
                f["name"]: Field(f["name"], bool(f.get("required")), tuple(f.get("types", ())))
                for f in method.get("fields", ())
            }
            for name, method in raw["methods"].items()
        }
        return cls(methods)

    def knows(self, method: str) -> bool:
        return method.lower() in self._methods

    def problem(self, method: str, params: dict[str, Any]) -> str | None:
        """The Bad Request description for a call the spec does not allow, or None."""
        fields = self._methods[method.lower()]
        for name in params:
            if name not in fields:
                return f"Bad Request: unknown parameter {name}"
        for field in fields.values():
            if field.required and field.name not in params:
                return f"Bad Request: parameter {field.name} is required"
        for name, value in params.items():
            if not _fits(value, fields[name].types):
                return f"Bad Request: wrong type of parameter {name}"
        return None


def _fits(value: Any, types: tuple[str, ...]) -> bool:
    for kind in types:
        if kind in _SCALARS:
            wanted = _SCALARS[kind]
            if isinstance(value, wanted) and not (bool not in wanted and isinstance(value, bool)):
                return True
        elif kind.startswith("Array of"):
            if isinstance(value, list):
                return True
        elif kind == "InputFile" or isinstance(value, dict):
            return True  # objects and uploads: checked by the emulator's own rules
    return not types
