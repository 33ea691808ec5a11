"""What the emulated Telegram remembers: people and chats with their messages (the transcripts), sent
files, open callback queries, command menus, the update queue and the webhook setting."""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from tests.telegram_emulator.limits import RateLimits

# What a bot gets when it never said which updates it wants (Bot API: Update, getUpdates).
EXCLUDED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def now_date() -> int:
    """Message dates are Unix seconds of the wall clock, as in Telegram; rate limits use ``State.now``."""
    return int(time.time())


class Signal:
    """Wakes everyone waiting at once; waiters re-check their condition afterwards, so one signal serves
    long polls and webhook delivery alike."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float | None = None) -> None:
        with suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), seconds)


@dataclass(frozen=True, slots=True)
class SentDocument:
    file_id: str
    file_name: str
    mime_type: str
    content: bytes

    def public(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": f"AgAD{self.file_id.rsplit('-', 1)[-1]}",
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_size": len(self.content),
        }


@dataclass(frozen=True, slots=True)
class SentMessage:
    """A message as the chat showed it when read: attributes for tests, and ``m["text"]`` / ``m.get(...)``
    for the raw Bot API Message object."""

    raw: dict[str, Any]
    from_bot: bool
    revision: int  # grows with every send and edit in the chat: tells what changed after a moment
    document: SentDocument | None = None

    @property
    def message_id(self) -> int:
        return int(self.raw["message_id"])

    @property
    def text(self) -> str | None:
        return self.raw.get("text")

    @property
    def caption(self) -> str | None:
        return self.raw.get("caption")

    @property
    def edited(self) -> bool:
        return "edit_date" in self.raw

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        return self.raw.get("reply_markup")

    @property
    def keyboard(self) -> list[list[dict[str, Any]]]:
        """The inline keyboard's rows of buttons (empty when there is none)."""
        return list((self.reply_markup or {}).get("inline_keyboard", []))

    @property
    def buttons(self) -> list[str]:
        return [button["text"] for row in self.keyboard for button in row]

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]

    def __contains__(self, key: object) -> bool:
        return key in self.raw

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)


@dataclass(slots=True)
class Stored:
    raw: dict[str, Any]
    from_bot: bool
    revision: int
    document: SentDocument | None = None


@dataclass(slots=True)
class Chat:
    id: int
    type: str  # "private" or "group"
    name: str  # the person's first name, or the group's title
    opened: bool = False  # the person wrote to the bot (or pressed Start): the bot may write back
    blocked: bool = False
    messages: dict[int, Stored] = field(default_factory=dict)  # both sides, in message_id order
    next_message_id: int = 1  # one counter for both sides, as in a private chat
    revision: int = 0

    def public(self) -> dict[str, Any]:
        if self.type == "private":
            return {"id": self.id, "type": "private", "first_name": self.name}
        return {"id": self.id, "type": self.type, "title": self.name}

    def add(
        self,
        sender: dict[str, Any],
        content: dict[str, Any],
        *,
        from_bot: bool,
        document: SentDocument | None = None,
    ) -> dict[str, Any]:
        message_id = self.next_message_id
        raw = {"message_id": message_id, "date": now_date(), "chat": self.public(), "from": sender} | content
        self.next_message_id += 1
        self.revision += 1
        self.messages[message_id] = Stored(raw, from_bot, self.revision, document)
        return raw

    def replace(self, message_id: int, raw: dict[str, Any]) -> None:
        """An edit. Stored messages are never changed in place, so views handed out stay as they were."""
        self.revision += 1
        old = self.messages[message_id]
        self.messages[message_id] = Stored(raw, old.from_bot, self.revision, old.document)

    def view(self, *, include_user: bool = False) -> list[SentMessage]:
        return [
            SentMessage(m.raw, m.from_bot, m.revision, m.document)
            for m in self.messages.values()
            if m.from_bot or include_user
        ]


@dataclass(slots=True)
class WebhookInfo:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


def update_kind(update: dict[str, Any]) -> str:
    return next((key for key in update if key != "update_id"), "")


def update_chat(update: dict[str, Any]) -> int:
    """The chat an update belongs to: a webhook gets one update at a time per chat."""
    payload = update.get(update_kind(update))
    if not isinstance(payload, dict):
        return 0
    chat = payload.get("chat") or (payload.get("message") or {}).get("chat")
    if isinstance(chat, dict):
        return int(chat.get("id", 0))
    return int((payload.get("from") or {}).get("id", 0))


class UpdateQueue:
    def __init__(self) -> None:
        self.pending: list[dict[str, Any]] = []  # not confirmed yet, oldest first
        self.delivered: list[dict[str, Any]] = []  # handed out at least once (getUpdates or webhook)
        self._handed: set[int] = set()
        self.allowed: frozenset[str] | None = None  # None: Telegram's default
        self.poller = 0  # the newest getUpdates call; an older one still waiting gets a 409
        self._ids = itertools.count(random.randint(10_000, 900_000))  # any start, as with Telegram

    def accepts(self, kind: str) -> bool:
        return kind in self.allowed if self.allowed else kind not in EXCLUDED_BY_DEFAULT

    def set_allowed(self, kinds: list[str] | None) -> None:
        """Remembered until changed, like Telegram; an empty list means the default again."""
        if kinds is not None:
            self.allowed = frozenset(kinds) or None

    def add(self, update: dict[str, Any]) -> tuple[int, bool]:
        """Queue an update unless the bot did not ask for its kind (Telegram drops those on arrival);
        returns its id and whether it was queued."""
        update_id = next(self._ids)
        queued = self.accepts(update_kind(update))
        if queued:
            self.pending.append({"update_id": update_id, **update})
        return update_id, queued

    def requeue(self, update: dict[str, Any]) -> None:
        self.pending.append(update)

    def confirm_before(self, offset: int) -> None:
        self.pending = [u for u in self.pending if u["update_id"] >= offset]

    def keep_last(self, count: int) -> None:
        self.pending = self.pending[-count:]

    def handed_out(self, updates: list[dict[str, Any]]) -> None:
        for update in updates:
            if update["update_id"] not in self._handed:
                self._handed.add(update["update_id"])
                self.delivered.append(update)

    def remove(self, update: dict[str, Any]) -> None:
        with suppress(ValueError):
            self.pending.remove(update)


class State:
    def __init__(self, token: str, clock: Callable[[], float]) -> None:
        bot_id = token.split(":", 1)[0]
        self.bot: dict[str, Any] = {
            "id": int(bot_id) if bot_id.isdigit() else 1,
            "is_bot": True,
            "first_name": "Frontdoor",
            "username": "frontdoor_test_bot",
        }
        self._clock = clock
        self.skew = 0.0  # added by TelegramEmulator.advance
        self.limits: RateLimits | None = None
        self.closing = False  # set on stop: long polls return at once
        self.users: dict[int, dict[str, Any]] = {}  # the User objects of people
        self.chats: dict[int, Chat] = {}
        self.updates = UpdateQueue()
        self.changed = Signal()
        self.webhook: WebhookInfo | None = None
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}  # (scope, language) -> menu
        self.documents: dict[str, SentDocument] = {}
        self.open_queries: dict[str, int] = {}  # callback query id -> user id, until answered
        self.query_users: dict[str, int] = {}
        self.callback_answers: dict[str, dict[str, Any]] = {}  # query id -> answerCallbackQuery params
        self._query_ids = itertools.count(4_000_000_000_000_000_001)
        self._file_ids = itertools.count(1)

    def now(self) -> float:
        return self._clock() + self.skew

    def add_user(self, user_id: int, first_name: str, language_code: str) -> Chat:
        self.users[user_id] = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        }
        return self.chats.setdefault(user_id, Chat(user_id, "private", first_name))

    def learn(self, update: dict[str, Any]) -> None:
        """A raw message tells who wrote: its chat becomes known and open, as after a first message."""
        kind = update_kind(update)
        payload = update.get(kind)
        if not isinstance(payload, dict):
            return
        sender = payload.get("from")
        if isinstance(sender, dict) and isinstance(sender.get("id"), int) and not sender.get("is_bot"):
            self.users.setdefault(sender["id"], sender)
        chat = payload.get("chat") if kind in ("message", "edited_message") else None
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            name = chat.get("first_name") or chat.get("title") or ""
            self.chats.setdefault(
                chat["id"], Chat(chat["id"], chat.get("type", "private"), name)
            ).opened = True

    def add_update(self, update: dict[str, Any]) -> int:
        update_id, queued = self.updates.add(update)
        if queued:
            self.changed.notify()
        return update_id

    def member_update(self, user_id: int, old: str, new: str) -> int:
        """The my_chat_member update Telegram sends when a person blocks (kicked) or unblocks (member)."""

        def member(status: str) -> dict[str, Any]:
            return {"status": status, "user": self.bot} | ({"until_date": 0} if status == "kicked" else {})

        return self.add_update(
            {
                "my_chat_member": {
                    "chat": self.chats[user_id].public(),
                    "from": self.users[user_id],
                    "date": now_date(),
                    "old_chat_member": member(old),
                    "new_chat_member": member(new),
                }
            }
        )

    def open_query(self, user_id: int) -> str:
        query_id = str(next(self._query_ids))
        self.open_queries[query_id] = user_id
        self.query_users[query_id] = user_id
        return query_id

    def new_file_id(self) -> str:
        return f"BQACAgIAAxkBAAI-doc-{next(self._file_ids)}"
