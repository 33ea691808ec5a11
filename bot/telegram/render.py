"""Turning the engine's neutral replies into Bot API pieces: message chunks and inline keyboards.

Replies are sent as plain text (no parse_mode), so nothing a person typed can be read as markup and no
escaping is needed; if a parse mode is ever turned on, escape user text here and only here.
"""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from dialogs.ui import Keyboard

MESSAGE_LIMIT = 4096  # characters, Bot API sendMessage.text
CALLBACK_DATA_LIMIT = 64  # bytes, InlineKeyboardButton.callback_data


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut a long text into messages of at most ``limit`` characters, preferring paragraph boundaries.

    Falls back to line breaks, then spaces, then a hard cut, so no chunk is ever over the limit.
    """
    text = text.strip() or "…"
    chunks: list[str] = []
    while len(text) > limit:
        window = text[: limit + 1]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator, 0, limit)
            if cut > limit // 4:
                break
        if cut <= 0:
            cut = limit
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    chunks.append(text)
    return [chunk for chunk in chunks if chunk]


def inline_keyboard(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    for row in keyboard:
        for button in row:
            if not 1 <= len(button.payload.encode()) <= CALLBACK_DATA_LIMIT:
                raise ValueError("button payload does not fit Telegram's callback_data")
    # Validating plain dicts runs in pydantic-core: ~4x faster here than ``model_construct`` (pure Python
    # over every optional field of every button), on a path every reply takes.
    rows = [[{"text": b.label, "callback_data": b.payload} for b in row] for row in keyboard]
    return InlineKeyboardMarkup.model_validate({"inline_keyboard": rows})
