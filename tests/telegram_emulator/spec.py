"""Request parameters: decoding wire values by their declared types, and checking them against the spec.

With the machine-readable Bot API spec (``../shared/specs/telegram/api.json``, present in CI) the check is
strict on purpose: an unknown parameter or nested field is refused, although Telegram itself ignores it, so a
drift between our calls and the real API fails a test instead of a production send. Without the file a small
built-in table of the emulated methods decodes parameters and checks required ones and scalar types; unknown
parameters then pass, as with Telegram.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SPEC = REPO_ROOT.parent / "shared" / "specs" / "telegram" / "api.json"

_INTEGER = re.compile(r"-?\d+")
_ARRAY = "Array of "
_SCALARS: dict[str, tuple[type, ...]] = {
    "Integer": (int,),
    "String": (str,),
    "Boolean": (bool,),
    "Float": (int, float),
}


@dataclass(frozen=True, slots=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    content: bytes
    content_type: str


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    types: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True, slots=True)
class MethodSpec:
    name: str  # as the spec spells it: the emulator logs calls under this name
    fields: dict[str, Field]


@dataclass(frozen=True, slots=True)
class TypeSpec:
    fields: dict[str, Field] | None = None  # None: an opaque object (InputFile, CallbackGame)
    subtypes: tuple[str, ...] = ()


class _Problem(NamedTuple):
    path: str
    message: str


class BotApiSpec:
    def __init__(self, methods: dict[str, MethodSpec], types: dict[str, TypeSpec], *, strict: bool) -> None:
        self._methods = {name.lower(): spec for name, spec in methods.items()}
        self._types = types
        self.strict = strict  # refuse unknown parameters and nested fields

    @classmethod
    def load(cls, path: Path) -> BotApiSpec:
        raw = json.loads(path.read_text(encoding="utf-8"))

        def fields(entries: list[dict[str, Any]]) -> dict[str, Field]:
            return {e["name"]: Field(e["name"], tuple(e["types"]), bool(e.get("required"))) for e in entries}

        methods = {name: MethodSpec(name, fields(m.get("fields", []))) for name, m in raw["methods"].items()}
        types = {
            name: TypeSpec(fields(t["fields"]) if "fields" in t else None, tuple(t.get("subtypes", ())))
            for name, t in raw["types"].items()
        }
        return cls(methods, types, strict=True)

    @classmethod
    def builtin(cls) -> BotApiSpec:
        methods = {}
        for name, names in _BUILTIN_METHODS.items():
            entries = (Field(n.rstrip("!"), _BUILTIN_TYPES[n.rstrip("!")], n.endswith("!")) for n in names)
            methods[name] = MethodSpec(name, {f.name: f for f in entries})
        return cls(methods, {}, strict=False)

    def method(self, name: str) -> MethodSpec | None:
        """Method names are case-insensitive, as in the Bot API."""
        return self._methods.get(name.lower())

    # -- decoding -------------------------------------------------------------------------------------
    def decode(
        self, method: MethodSpec, values: dict[str, Any], uploads: dict[str, Upload]
    ) -> dict[str, Any]:
        """Typed parameters from wire values. Form fields are all strings (aiogram JSON-encodes nested
        objects and even numbers and booleans); JSON bodies are typed already but may still carry nested
        objects as JSON strings. ``attach://name`` refers to a file part; a file part may also be named
        after its parameter."""
        params: dict[str, Any] = {}
        files = dict(uploads)
        for name, value in values.items():
            if isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
                params[name] = files.pop(value[9:])
                continue
            spec = method.fields.get(name)
            params[name] = _decode(value, spec.types if spec else ())
        params.update(files)  # parts nobody referred to: named after their parameter, or unknown ones
        return params

    # -- checking -------------------------------------------------------------------------------------
    def problem(self, method: MethodSpec, params: dict[str, Any]) -> str | None:
        """The Bad Request description for a call the spec does not allow, or None."""
        if self.strict:
            for name in params:
                if name not in method.fields:
                    return f"Bad Request: unknown parameter {name}"
        for spec in method.fields.values():
            if spec.required and spec.name not in params:
                return f"Bad Request: parameter {spec.name} is required"
        for name, value in params.items():
            if name in method.fields and (found := self.check(value, method.fields[name].types, name)):
                return f"Bad Request: invalid parameter {found}"
        return None

    def check(self, value: Any, types: tuple[str, ...], path: str = "value") -> str | None:
        """``path: what is wrong`` when ``value`` fits none of ``types`` (spec type names), else None.
        Tests use it to hold the emulator's own updates and results to the spec as well."""
        found = self._check(value, types, path)
        return f"{found.path}: {found.message}" if found else None

    def _check(self, value: Any, types: tuple[str, ...], path: str) -> _Problem | None:
        problems = []
        for kind in types:
            found = self._check_one(value, kind, path)
            if found is None:
                return None
            problems.append(found)
        if not problems:
            return None
        deepest = max(problems, key=lambda p: len(p.path))  # the alternative that matched furthest
        if deepest.path == path and len(types) > 1:
            return _Problem(path, f"expected {' or '.join(types)}")
        return deepest

    def _check_one(self, value: Any, kind: str, path: str) -> _Problem | None:
        if kind.startswith(_ARRAY):
            if not isinstance(value, list):
                return _Problem(path, f"expected {kind}")
            for index, item in enumerate(value):
                if found := self._check(item, (kind.removeprefix(_ARRAY),), f"{path}[{index}]"):
                    return found
            return None
        if kind in _SCALARS:
            wanted = _SCALARS[kind]
            if isinstance(value, bool) and bool not in wanted:  # bool is an int in Python, not in JSON
                return _Problem(path, f"expected {kind}")
            return None if isinstance(value, wanted) else _Problem(path, f"expected {kind}")
        if kind == "InputFile":
            return None if isinstance(value, Upload) else _Problem(path, "expected a file upload")
        if not isinstance(value, dict):
            return _Problem(path, f"expected {kind}")
        spec = self._types.get(kind)
        if spec is None:
            return None  # the built-in table knows no object types: objects are the handlers' business
        if spec.subtypes:
            return self._check(value, spec.subtypes, path)
        if spec.fields is None:
            return None
        return self._check_object(value, spec.fields, path)

    def _check_object(self, value: dict[str, Any], fields: dict[str, Field], path: str) -> _Problem | None:
        if self.strict:
            for key in value:
                if key not in fields:
                    return _Problem(f"{path}.{key}", "unknown field")
        for spec in fields.values():
            if spec.required and spec.name not in value:
                return _Problem(f"{path}.{spec.name}", "is required")
        for key, item in value.items():
            if key in fields and (found := self._check(item, fields[key].types, f"{path}.{key}")):
                return found
        return None


def _decode(value: Any, types: tuple[str, ...]) -> Any:
    if not isinstance(value, str):
        return value
    for kind in types:
        if kind == "String":
            return value
        if kind == "Integer" and _INTEGER.fullmatch(value):
            return int(value)
        if kind == "Float":
            try:
                return float(value)
            except ValueError:
                continue
        if kind == "Boolean" and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if kind not in _SCALARS and kind != "InputFile":  # arrays and objects travel as JSON
            try:
                return json.loads(value)
            except ValueError:
                continue
    if not types and value[:1] in ("[", "{"):  # a parameter nobody declared: best effort
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


# The built-in table: what the emulated methods read, for when the spec file is absent.
_MARKUP = ("InlineKeyboardMarkup", "ReplyKeyboardMarkup", "ReplyKeyboardRemove", "ForceReply")
_BUILTIN_TYPES: dict[str, tuple[str, ...]] = {
    "offset": ("Integer",),
    "limit": ("Integer",),
    "timeout": ("Integer",),
    "allowed_updates": ("Array of String",),
    "url": ("String",),
    "certificate": ("InputFile",),
    "ip_address": ("String",),
    "max_connections": ("Integer",),
    "drop_pending_updates": ("Boolean",),
    "secret_token": ("String",),
    "chat_id": ("Integer", "String"),
    "message_id": ("Integer",),
    "inline_message_id": ("String",),
    "message_thread_id": ("Integer",),
    "text": ("String",),
    "caption": ("String",),
    "parse_mode": ("String",),
    "entities": ("Array of MessageEntity",),
    "caption_entities": ("Array of MessageEntity",),
    "link_preview_options": ("LinkPreviewOptions",),
    "disable_notification": ("Boolean",),
    "protect_content": ("Boolean",),
    "reply_parameters": ("ReplyParameters",),
    "reply_markup": _MARKUP,
    "document": ("InputFile", "String"),
    "thumbnail": ("InputFile", "String"),
    "disable_content_type_detection": ("Boolean",),
    "callback_query_id": ("String",),
    "show_alert": ("Boolean",),
    "cache_time": ("Integer",),
    "commands": ("Array of BotCommand",),
    "scope": ("BotCommandScope",),
    "language_code": ("String",),
}
_SEND = ("chat_id!", "message_thread_id", "disable_notification", "protect_content", "reply_parameters")
_EDIT = ("chat_id", "message_id", "inline_message_id")
_BUILTIN_METHODS: dict[str, tuple[str, ...]] = {
    "getMe": (),
    "getUpdates": ("offset", "limit", "timeout", "allowed_updates"),
    "setWebhook": (
        "url!",
        "certificate",
        "ip_address",
        "max_connections",
        "allowed_updates",
        "drop_pending_updates",
        "secret_token",
    ),
    "deleteWebhook": ("drop_pending_updates",),
    "getWebhookInfo": (),
    "sendMessage": (*_SEND, "text!", "parse_mode", "entities", "link_preview_options", "reply_markup"),
    "sendDocument": (
        *_SEND,
        "document!",
        "thumbnail",
        "caption",
        "parse_mode",
        "caption_entities",
        "disable_content_type_detection",
        "reply_markup",
    ),
    "editMessageText": (*_EDIT, "text", "parse_mode", "entities", "link_preview_options", "reply_markup"),
    "editMessageReplyMarkup": (*_EDIT, "reply_markup"),
    "deleteMessage": ("chat_id!", "message_id!"),
    "answerCallbackQuery": ("callback_query_id!", "text", "show_alert", "url", "cache_time"),
    "setMyCommands": ("commands!", "scope", "language_code"),
    "getMyCommands": ("scope", "language_code"),
    "deleteMyCommands": ("scope", "language_code"),
}
