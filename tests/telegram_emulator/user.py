"""A person's side of a private chat with the bot: type, start with a payload, tap buttons, send a sticker,
and read what the chat shows.

Actions are synchronous: each queues one update (for getUpdates or the webhook) and returns its update_id.
The bot answers asynchronously, so wait (``await emulator.wait_for(lambda: user.seen("..."))``) before
reading. A person who blocked the bot and writes again unblocks it first, as the Telegram app does.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from tests.telegram_emulator.state import Chat, SentDocument, SentMessage

if TYPE_CHECKING:
    from tests.telegram_emulator.emulator import TelegramEmulator

COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?(?=\s|$)")
DEEP_LINK_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")


class EmulatedUser:
    def __init__(self, emulator: TelegramEmulator, user_id: int) -> None:
        self.emulator = emulator
        self.id = user_id
        self._mark = 0  # the chat's revision at this person's last action: what came later are replies

    @property
    def first_name(self) -> str:
        return str(self._user["first_name"])

    @property
    def _user(self) -> dict[str, Any]:
        return self.emulator.state.users[self.id]

    @property
    def _chat(self) -> Chat:
        return self.emulator.state.chats[self.id]

    # -- actions ----------------------------------------------------------------------------------------
    def send(self, text: str) -> int:
        """A text message; a leading /command gets its bot_command entity, as Telegram adds it."""
        if not text.strip():
            raise ValueError("Telegram apps do not send empty messages")
        content: dict[str, Any] = {"text": text}
        if command := COMMAND.match(text):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": command.end()}]
        return self._message(content)

    def start(self, payload: str | None = None) -> int:
        """``/start`` or ``/start PAYLOAD``, as after opening ``t.me/<bot>?start=PAYLOAD``."""
        if payload is None:
            return self.send("/start")
        if not DEEP_LINK_PAYLOAD.fullmatch(payload):
            raise ValueError(f"Telegram drops deep-link payloads like {payload!r}: 1-64 of A-Z a-z 0-9 _ -")
        return self.send(f"/start {payload}")

    def send_sticker(self) -> int:
        sticker = {
            "file_id": "CAACAgIAAxkBAAI-sticker",
            "file_unique_id": "AgADsticker",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self._message({"sticker": sticker})

    def tap(self, button_text: str, *, message_id: int | None = None) -> int:
        """Tap an inline button on the newest bot message that has it (or on ``message_id``): a button
        with exactly that text first, else the one whose text contains it ("Согласен" finds
        "✅ Согласен(на)"), else the same ignoring case. Several matches at one level: AssertionError."""
        messages = [m for m in reversed(self.messages) if message_id is None or m.message_id == message_id]
        for matches in (_equals, _contains, _contains_ignoring_case):
            for message in messages:
                found = [b for row in message.keyboard for b in row if matches(b["text"], button_text)]
                if len(found) > 1:
                    raise AssertionError(f"{button_text!r} matches several buttons: {message.buttons}")
                if found:
                    if "callback_data" not in found[0]:
                        raise AssertionError(f"{found[0]['text']!r} is not a callback button: {found[0]}")
                    return self.tap_data(found[0]["callback_data"], message.message_id)
        visible = "; ".join(f"message {m.message_id}: {m.buttons}" for m in messages if m.buttons)
        raise AssertionError(f"no button {button_text!r}; visible: {visible or 'none'}")

    def tap_data(self, callback_data: str, message_id: int, *, chat_id: int | None = None) -> int:
        """A callback query with any data, e.g. forged or from a stale keyboard; by default on a message
        of this person's private chat, with ``chat_id`` on one in that chat (a group: see
        ``TelegramEmulator.group``). For a message the chat does not show (deleted, never there) it
        carries an inaccessible message (date 0), as Telegram does."""
        self._act()
        chat = self._chat if chat_id is None else self.emulator.state.chats[chat_id]
        stored = chat.messages.get(message_id)
        message = (
            stored.raw if stored is not None else {"message_id": message_id, "date": 0, "chat": chat.public()}
        )
        query = {
            "id": self.emulator.state.open_query(self.id),
            "from": self._user,
            "chat_instance": str(-(10**18) - self.id),
            "data": callback_data,
            "message": message,
        }
        return self.emulator.inject_update({"callback_query": query})

    def _act(self) -> None:
        chat = self._chat
        if chat.blocked:
            self.emulator.unblock_by_user(self.id)
        chat.opened = True
        self._mark = chat.revision

    def _message(self, content: dict[str, Any]) -> int:
        self._act()
        message = self._chat.add(self._user, content, from_bot=False)
        return self.emulator.inject_update({"message": message})

    # -- what the person sees -----------------------------------------------------------------------------
    @property
    def messages(self) -> list[SentMessage]:
        """The bot's messages as the chat shows them now, oldest first."""
        return self.emulator.transcript(self.id)

    @property
    def texts(self) -> list[str]:
        return [m.text or m.caption or "" for m in self.messages]

    @property
    def last_text(self) -> str:
        texts = self.texts
        return texts[-1] if texts else ""

    @property
    def buttons(self) -> list[str]:
        """Labels on the newest message that has an inline keyboard."""
        return next((m.buttons for m in reversed(self.messages) if m.buttons), [])

    @property
    def documents(self) -> list[SentDocument]:
        return [m.document for m in self.messages if m.document is not None]

    @property
    def callback_answers(self) -> list[dict[str, Any]]:
        """The answerCallbackQuery parameters this person's taps got, in the order they were answered."""
        state = self.emulator.state
        return [
            params for query, params in state.callback_answers.items() if state.query_users[query] == self.id
        ]

    @property
    def replies(self) -> list[str]:
        """Texts the bot sent or edited since this person's last action."""
        return [m.text or m.caption or "" for m in self.messages if m.revision > self._mark]

    def seen(self, fragment: str) -> bool:
        """Whether a reply since the last action contains ``fragment``."""
        return any(fragment in text for text in self.replies)


def _equals(text: str, wanted: str) -> bool:
    return text == wanted


def _contains(text: str, fragment: str) -> bool:
    return fragment in text


def _contains_ignoring_case(text: str, fragment: str) -> bool:
    return fragment.casefold() in text.casefold()
