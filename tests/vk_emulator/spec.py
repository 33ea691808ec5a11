"""Method parameters: decoding form values by their declared types, and checking them against the spec.

With the official VK API schema beside the repository (``../shared/specs/vk/``, present in CI) every
method and parameter the schema defines is known: an unknown method is refused with error 3, an unknown
parameter (which VK itself would ignore), a missing required one, a mistyped value, a string over its
``maxLength`` or an array over its ``maxItems`` with error 100, so a drift between our calls and the real
API fails a test. Without the schema a built-in table of the emulated methods does the same checks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.vk_emulator.errors import VkError

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SPEC = REPO_ROOT.parent / "shared" / "specs" / "vk"
SECTIONS = ("groups", "messages", "users")
SERVICE_PARAMS = frozenset({"access_token", "v", "lang", "test_mode"})  # query params of every call

_INTEGER = re.compile(r"-?\d+")


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    types: tuple[str, ...]  # "integer", "string", "boolean", "number", "array"
    required: bool = False
    max_length: int | None = None
    max_items: int | None = None
    item_type: str = "string"


@dataclass(frozen=True, slots=True)
class MethodSpec:
    name: str
    params: dict[str, Param]


def _param(raw: dict[str, Any]) -> Param:
    kinds = raw.get("type", "string")
    types = tuple(kinds) if isinstance(kinds, list) else (kinds,)
    items = raw.get("items", {}) if isinstance(raw.get("items"), dict) else {}
    return Param(
        raw["name"],
        types,
        bool(raw.get("required")),
        raw.get("maxLength"),
        raw.get("maxItems"),
        str(items.get("type", "string")),
    )


class VkApiSpec:
    def __init__(self, methods: dict[str, MethodSpec], *, source: str) -> None:
        self._methods = methods
        self.source = source  # "schema" or "builtin"

    @classmethod
    def load(cls, folder: Path) -> VkApiSpec:
        methods: dict[str, MethodSpec] = {}
        for section in SECTIONS:
            raw = json.loads((folder / section / "methods.json").read_text(encoding="utf-8"))
            for method in raw["methods"]:
                params = {p["name"]: _param(p) for p in method.get("parameters", [])}
                methods[method["name"]] = MethodSpec(method["name"], params)
        return cls(methods, source="schema")

    @classmethod
    def builtin(cls) -> VkApiSpec:
        methods = {}
        for name, entries in _BUILTIN.items():
            params = {}
            for entry in entries:
                field, _, kind = entry.partition(":")
                required = field.endswith("!")
                field = field.rstrip("!")
                limit = int(kind.split("<")[1]) if "<" in kind else None
                kind = kind.split("<")[0]
                params[field] = Param(
                    field,
                    (kind,),
                    required,
                    max_length=limit if kind == "string" else None,
                    max_items=limit if kind == "array" else None,
                    item_type="integer" if kind == "array" else "string",
                )
            methods[name] = MethodSpec(name, params)
        return cls(methods, source="builtin")

    def method(self, name: str) -> MethodSpec | None:
        return self._methods.get(name)

    def decode(self, method: MethodSpec, values: dict[str, str]) -> dict[str, Any]:
        """Typed parameters from form values; raises VkError(100) for unknown, missing or mistyped ones."""
        params: dict[str, Any] = {}
        for name, value in values.items():
            if name in SERVICE_PARAMS:
                continue
            spec = method.params.get(name)
            if spec is None:
                raise VkError(100, f"unknown parameter {name}")
            params[name] = _typed(spec, value)
        for spec in method.params.values():
            if spec.required and spec.name not in params:
                raise VkError(100, f"{spec.name} is a required parameter")
        return params


def _typed(spec: Param, value: str) -> Any:
    for kind in spec.types:
        typed = _as(kind, value, spec.item_type)
        if typed is not None:
            if kind == "string" and spec.max_length is not None and len(typed) > spec.max_length:
                raise VkError(100, f"{spec.name} is longer than {spec.max_length} characters")
            if kind == "array" and spec.max_items is not None and len(typed) > spec.max_items:
                raise VkError(100, f"{spec.name} has more than {spec.max_items} items")
            return typed
    raise VkError(100, f"{spec.name} is not {' or '.join(spec.types)}")


def _as(kind: str, value: str, item_type: str) -> Any:
    if kind == "string":
        return value
    if kind == "integer":
        return int(value) if _INTEGER.fullmatch(value.strip()) else None
    if kind == "number":
        try:
            return float(value)
        except ValueError:
            return None
    if kind == "boolean":
        return {"1": True, "0": False, "true": True, "false": False}.get(value.strip().lower())
    if kind == "array":
        items = [item.strip() for item in value.split(",") if item.strip()]
        typed = [_as(item_type, item, "string") for item in items]
        return None if any(t is None for t in typed) else typed
    return value  # objects: passed on as the raw string


# The emulated methods, as the schema declares them: "name!" required, ":type", "<N" max length/items.
_BUILTIN: dict[str, tuple[str, ...]] = {
    "groups.getById": ("group_ids:array", "group_id:string", "fields:array"),
    "groups.getLongPollServer": ("group_id!:integer",),
    "groups.getCallbackConfirmationCode": ("group_id!:integer",),
    "messages.send": (
        "user_id:integer",
        "random_id:integer",
        "peer_id:integer",
        "peer_ids:array<100",
        "domain:string",
        "chat_id:integer",
        "message:string<9000",
        "attachment:string<9000",
        "reply_to:integer",
        "group_id:integer",
        "keyboard:string",
        "template:string",
        "payload:string<1000",
        "dont_parse_links:boolean",
        "disable_mentions:boolean",
        "intent:string",
    ),
    "messages.sendMessageEventAnswer": (
        "event_id!:string",
        "user_id!:integer",
        "peer_id!:integer",
        "event_data:string<1000",
    ),
    "messages.isMessagesFromGroupAllowed": ("group_id!:integer", "user_id!:integer"),
    "users.get": ("user_ids:array", "fields:array", "name_case:string"),
}
