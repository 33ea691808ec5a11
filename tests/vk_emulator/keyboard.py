"""VK's keyboard rules (dev.vk.com/api/bots/development/keyboard): a broken keyboard is error 911.

Inline: at most 6 rows, 5 buttons per row, 10 buttons; regular: 10 rows, 5 per row, 40 buttons. A label
is at most 40 characters; a button payload is a JSON string of at most 255 characters.
"""

from __future__ import annotations

import json
from typing import Any

from tests.vk_emulator.errors import VkError

INLINE_ROWS, INLINE_BUTTONS = 6, 10
REGULAR_ROWS, REGULAR_BUTTONS = 10, 40
ROW_BUTTONS = 5
LABEL_LIMIT = 40
PAYLOAD_LIMIT = 255
LABELLED = {"text", "callback", "open_link", "open_app"}
KINDS = LABELLED | {"location", "vkpay", "open_photo"}


def parse_keyboard(raw: str) -> dict[str, Any]:
    try:
        keyboard = json.loads(raw)
    except ValueError:
        raise VkError(911, "not JSON") from None
    if not isinstance(keyboard, dict) or not isinstance(keyboard.get("buttons"), list):
        raise VkError(911, "buttons is required")
    rows = keyboard["buttons"]
    inline = bool(keyboard.get("inline"))
    max_rows, max_buttons = (INLINE_ROWS, INLINE_BUTTONS) if inline else (REGULAR_ROWS, REGULAR_BUTTONS)
    if len(rows) > max_rows:
        raise VkError(911, f"more than {max_rows} rows")
    if sum(len(row) if isinstance(row, list) else 0 for row in rows) > max_buttons:
        raise VkError(911, f"more than {max_buttons} buttons")
    for row in rows:
        if not isinstance(row, list) or not 1 <= len(row) <= ROW_BUTTONS:
            raise VkError(911, f"a row holds 1-{ROW_BUTTONS} buttons")
        for button in row:
            _check_button(button)
    return keyboard


def _check_button(button: Any) -> None:
    action = button.get("action") if isinstance(button, dict) else None
    if not isinstance(action, dict) or action.get("type") not in KINDS:
        raise VkError(911, "unknown button action")
    if action["type"] in LABELLED:
        label = action.get("label")
        if not isinstance(label, str) or not 1 <= len(label) <= LABEL_LIMIT:
            raise VkError(911, f"a label is 1-{LABEL_LIMIT} characters")
    payload = action.get("payload")
    if payload is not None:
        if not isinstance(payload, str) or len(payload) > PAYLOAD_LIMIT:
            raise VkError(911, f"payload is a JSON string of at most {PAYLOAD_LIMIT} characters")
        try:
            json.loads(payload)
        except ValueError:
            raise VkError(911, "payload is not JSON") from None
    if button.get("color", "default") not in ("default", "primary", "secondary", "negative", "positive"):
        raise VkError(911, "unknown color")
