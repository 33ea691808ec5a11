"""Driving the emulator from the user's side: type, tap buttons, send stickers, read what the chat shows."""

from __future__ import annotations

import time
from typing import Any

from tests.telegram_emulator.emulator import SentDocument, TelegramEmulator


class EmulatedUser:
    def __init__(self, emulator: TelegramEmulator, user_id: int, first_name: str) -> None:
        self.emulator = emulator
        self.id = user_id
        self.first_name = first_name
        self.mark = 0  # how many bot messages the chat showed when the user last acted

    @property
    def _from(self) -> dict[str, Any]:
        return {"id": self.id, "is_bot": False, "first_name": self.first_name, "language_code": "ru"}

    @property
    def _chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": self.first_name}

    def _message(self, **content: Any) -> int:
        self.mark = len(self.messages)
        message_id = int(time.monotonic_ns() % 2**31)
        message = {"message_id": message_id, "date": int(time.time()), "chat": self._chat, "from": self._from}
        return self.emulator.inject_update({"message": message | content})

    def send(self, text: str) -> int:
        if text.startswith("/"):
            command = text.split(" ", 1)[0]
            return self._message(
                text=text, entities=[{"type": "bot_command", "offset": 0, "length": len(command)}]
            )
        return self._message(text=text)

    def start(self, payload: str | None = None) -> int:
        return self.send(f"/start {payload}" if payload else "/start")

    def send_sticker(self) -> int:
        sticker = {
            "file_id": "sticker-1",
            "file_unique_id": "sticker-1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self._message(sticker=sticker)

    def tap(self, label: str, *, message_id: int | None = None) -> int:
        """Tap the inline button whose text contains ``label`` on the newest message that has it."""
        for message in reversed(self.messages):
            if message_id is not None and message["message_id"] != message_id:
                continue
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if label.casefold() in button["text"].casefold():
                        return self.tap_data(button["callback_data"], message["message_id"])
        raise AssertionError(f"no button {label!r}; visible: {self.buttons}")

    def tap_data(self, data: str, message_id: int) -> int:
        self.mark = len(self.messages)
        message = self.emulator.chat(self.id).messages.get(message_id) or {
            "message_id": message_id,
            "date": 0,
            "chat": self._chat,
        }
        query = {
            "id": self.emulator.open_callback(self.id),
            "from": self._from,
            "chat_instance": f"ci-{self.id}",
            "data": data,
            "message": message,
        }
        return self.emulator.inject_update({"callback_query": query})

    # -- what the user sees ---------------------------------------------------------------------------
    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.emulator.transcript(self.id)

    @property
    def texts(self) -> list[str]:
        return [m.get("text") or m.get("caption") or "" for m in self.messages]

    @property
    def last_text(self) -> str:
        return self.texts[-1] if self.texts else ""

    @property
    def buttons(self) -> list[str]:
        for message in reversed(self.messages):
            rows = message.get("reply_markup", {}).get("inline_keyboard")
            if rows:
                return [button["text"] for row in rows for button in row]
        return []

    @property
    def documents(self) -> list[SentDocument]:
        return [self.emulator.documents[m["document"]["file_id"]] for m in self.messages if "document" in m]

    @property
    def replies(self) -> list[str]:
        """Texts that arrived since the user's last message or tap."""
        return self.texts[self.mark :]

    def seen(self, fragment: str) -> bool:
        return any(fragment in text for text in self.replies)
