"""The neutral view model every transport renders: what came in and what goes out.

Flows build ``Button(label, payload)`` with an internal action as payload; before a reply leaves the
engine, each payload is swapped for a short opaque token that is resolved server-side. Transports only
ever see tokens (Telegram allows 64 bytes of callback data, VK 255 characters).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from backend_client.ports import Receipt


def clean_typed(text: str) -> str:
    """``text`` without NUL characters and lone surrogates.

    Both can arrive from a messenger (JSON's ``\\u0000`` and ``\\ud800``) and neither can be stored:
    PostgreSQL refuses NUL in text and UTF-8 has no surrogates, so a step would fail on the person's
    words. A valid pair of surrogates becomes the character it encodes.
    """
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    return text


class IncomingKind(StrEnum):
    TEXT = "text"
    BUTTON = "button"
    UNSUPPORTED = "unsupported"  # stickers, photos, voice ...: answered politely, never parsed


@dataclass(frozen=True, slots=True)
class Incoming:
    channel: str  # "telegram", "vk", "console", ...
    account_id: str  # the messenger's id of the person, as text
    chat_id: str  # where replies go
    kind: IncomingKind = IncomingKind.TEXT
    text: str = ""
    button: str = ""  # the opaque token of a pressed button
    receipt: Receipt | None = None  # the messenger's update id: a redelivered update is handled once

    def __post_init__(self) -> None:
        # The one door typed words come in by: whatever the transport, they are storable from here on.
        object.__setattr__(self, "text", clean_typed(self.text))

    @classmethod
    def message(
        cls,
        channel: str,
        account_id: str,
        text: str,
        chat_id: str | None = None,
        receipt: Receipt | None = None,
    ) -> Incoming:
        return cls(channel, account_id, chat_id or account_id, IncomingKind.TEXT, text=text, receipt=receipt)

    @classmethod
    def press(
        cls,
        channel: str,
        account_id: str,
        token: str,
        chat_id: str | None = None,
        receipt: Receipt | None = None,
    ) -> Incoming:
        return cls(
            channel, account_id, chat_id or account_id, IncomingKind.BUTTON, button=token, receipt=receipt
        )

    @classmethod
    def unsupported(
        cls, channel: str, account_id: str, chat_id: str | None = None, receipt: Receipt | None = None
    ) -> Incoming:
        return cls(channel, account_id, chat_id or account_id, IncomingKind.UNSUPPORTED, receipt=receipt)

    @property
    def conversation_key(self) -> str:
        return self.key_of(self.channel, self.account_id)

    @staticmethod
    def key_of(channel: str, account_id: str) -> str:
        return f"{channel}:{account_id}"


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    payload: str


Keyboard = tuple[tuple[Button, ...], ...]  # rows of buttons

# Payloads of buttons that no conversation turn issued (under proactive messages). Tokens never start
# with "~" (their alphabet is A-Z a-z 0-9 _ -), so the two kinds cannot be confused.
PUBLIC_PREFIX = "~"


def public_payload(verb: str, arg: str) -> str:
    return f"{PUBLIC_PREFIX}{verb}:{arg}"


@dataclass(frozen=True, slots=True)
class Document:
    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    keyboard: Keyboard = ()
    document: Document | None = None
    # When the reply answers a button press, transports may update the pressed message in place.
    replace_pressed: bool = False

    @property
    def buttons(self) -> tuple[Button, ...]:
        return tuple(button for row in self.keyboard for button in row)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the engine answers to one incoming: the replies in order, and a short notice for the press."""

    replies: tuple[Reply, ...] = ()
    notice: str = ""  # e.g. the toast shown when answering a Telegram callback query
    handled: bool = True  # False when the update was ignored on purpose (e.g. a redelivered one)

    @property
    def texts(self) -> list[str]:
        return [reply.text for reply in self.replies]


def plain_label(label: str) -> str:
    """A label without its leading icon, case-folded: "✅ Согласен(на)" -> "согласен(на)"."""
    start = next((i for i, ch in enumerate(label) if ch.isalnum()), 0)
    return label[start:].strip().casefold()


def column(*buttons: Button) -> Keyboard:
    """One button per row: the readable default on phones."""
    return tuple((button,) for button in buttons)


def rows(*lines: tuple[Button, ...] | list[Button]) -> Keyboard:
    return tuple(tuple(line) for line in lines if line)


@dataclass(slots=True)
class ReplyBuffer:
    """Replies collected while one incoming is handled."""

    replies: list[Reply] = field(default_factory=list)

    def add(self, reply: Reply) -> None:
        self.replies.append(reply)
