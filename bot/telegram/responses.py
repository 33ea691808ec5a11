"""Keeps aiogram's parsed-answer classes alive for the whole run.

aiogram parses every Bot API answer as ``Response[<the method's return type>]``. pydantic keeps such
generic classes in a weak cache, and the class is cyclic garbage as soon as the answer is dropped, so the
next collection discards it and the next call rebuilds it (2-7 ms each). Measured under the webhook
benchmark: one rebuild every ~27 calls, about a third of the time aiogram spent on a request. Holding one
reference per method we call keeps them built.
"""

from __future__ import annotations

from typing import Any

from aiogram import methods
from aiogram.methods.base import Response

_METHODS: tuple[Any, ...] = (
    methods.AnswerCallbackQuery,
    methods.DeleteWebhook,
    methods.EditMessageText,
    methods.GetMe,
    methods.GetUpdates,
    methods.SendDocument,
    methods.SendMessage,
    methods.SetMyCommands,
    methods.SetWebhook,
)
_pinned: list[type[Any]] = []


def pin_response_types() -> None:
    """Build the answer classes of the methods we call once and hold them (idempotent)."""
    if not _pinned:
        generic: Any = Response  # subscripted with run-time values, as aiogram does
        _pinned.extend(generic[method.__returning__] for method in _METHODS)
