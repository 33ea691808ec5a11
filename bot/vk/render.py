"""Turning the engine's neutral replies into VK pieces: text chunks, inline keyboards, button payloads.

VK's inline keyboards hold at most 6 rows, 5 buttons per row and 10 buttons; a label is at most 40
characters and a payload a JSON string of at most 255 (dev.vk.com keyboard docs). A longer engine
keyboard is split into several keyboards (the first under the reply, the rest under a "…" message of
their own); every token stays valid, since the engine issued them all in one turn. Buttons are callback
buttons, so a press arrives as ``message_event`` and the label is never sent as text on the person's
behalf. Texts are plain: VK does not parse markup in ``messages.send``.
"""

from __future__ import annotations

import json
from typing import Any

from bot.telegram.render import split_text
from dialogs.ui import Button, Keyboard

MESSAGE_LIMIT = 4096  # characters per messages.send in practice (the schema says 9000; keep to 4096)
LABEL_LIMIT = 40
PAYLOAD_LIMIT = 255
INLINE_ROWS, INLINE_BUTTONS, ROW_BUTTONS = 6, 10, 5
CONTINUATION = "…"  # the text under a keyboard's second and later parts: VK refuses an empty message

__all__ = ["CONTINUATION", "MESSAGE_LIMIT", "chunks", "decode_payload", "encode_payload", "keyboards"]


def chunks(text: str) -> list[str]:
    """At most 4096 characters each, cut on paragraph boundaries first."""
    return split_text(text, MESSAGE_LIMIT)


def encode_payload(token: str) -> str:
    payload = json.dumps({"t": token}, ensure_ascii=False, separators=(",", ":"))
    if len(payload) > PAYLOAD_LIMIT:
        raise ValueError("button payload does not fit VK's 255 characters")
    return payload


def decode_payload(raw: Any) -> str | None:
    """The token of a pressed button: VK sends the payload back as an object (message_event) or as the
    JSON string (message_new of a text button). None for anything else: forged or malformed presses."""
    if isinstance(raw, str):
        if len(raw) > PAYLOAD_LIMIT:  # not one of ours; and json.loads recurses once per nesting level
            return None
        try:
            raw = json.loads(raw)
        except ValueError:
            return None
    if isinstance(raw, dict):
        token = raw.get("t")
        if isinstance(token, str) and 0 < len(token) <= PAYLOAD_LIMIT:
            return token
    return None


def keyboards(keyboard: Keyboard) -> list[str]:
    """The keyboard as one or more inline-keyboard JSON strings, each within VK's limits."""
    rows = [row[i : i + ROW_BUTTONS] for row in keyboard for i in range(0, len(row), ROW_BUTTONS)]
    rows = _paired(rows)
    pages: list[list[tuple[Button, ...]]] = []
    for row in rows:
        page = pages[-1] if pages else None
        if page is None or len(page) == INLINE_ROWS or _count(page) + len(row) > INLINE_BUTTONS:
            pages.append([row])
        else:
            page.append(row)
    return [_inline(page) for page in pages]


def _paired(rows: list[tuple[Button, ...]]) -> list[tuple[Button, ...]]:
    """Too many rows for one keyboard but few enough buttons: put single buttons side by side, two to a
    row (longer rows stay as they are, so labels stay readable), e.g. a menu of seven buttons."""
    if len(rows) <= INLINE_ROWS or sum(len(row) for row in rows) > INLINE_BUTTONS:
        return rows
    paired = list(rows)
    while len(paired) > INLINE_ROWS:
        pair = next((i for i in range(len(paired) - 1) if len(paired[i]) == len(paired[i + 1]) == 1), None)
        if pair is None:
            break
        paired[pair : pair + 2] = [paired[pair] + paired[pair + 1]]
    return paired


def _count(page: list[tuple[Button, ...]]) -> int:
    return sum(len(row) for row in page)


def _inline(page: list[tuple[Button, ...]]) -> str:
    buttons = [[_button(button) for button in row] for row in page]
    return json.dumps({"inline": True, "buttons": buttons}, ensure_ascii=False, separators=(",", ":"))


def _button(button: Button) -> dict[str, Any]:
    label = button.label if len(button.label) <= LABEL_LIMIT else button.label[: LABEL_LIMIT - 1] + "…"
    action = {"type": "callback", "label": label, "payload": encode_payload(button.payload)}
    return {"action": action}
