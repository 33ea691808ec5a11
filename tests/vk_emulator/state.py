"""What the emulated VK remembers: the community, people and their dialogs (the transcripts), the event
history the Long Poll server hands out, open callback-button events, random_id deduplication."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

API_VERSION = "5.199"


class Signal:
    """Wakes every waiter at once; waiters re-check their condition afterwards."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float | None = None) -> None:
        # asyncio.timeout, not wait_for: on 3.11 wait_for swallows a cancel that meets a notify.
        with suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._event.wait()


@dataclass(frozen=True, slots=True)
class DialogMessage:
    """One message of a dialog, as the person sees it."""

    id: int
    from_bot: bool
    text: str
    revision: int  # grows with every message of the dialog: tells what came after a moment
    keyboard: dict[str, Any] | None = None
    random_id: int = 0
    attachment: str = ""

    @property
    def rows(self) -> list[list[dict[str, Any]]]:
        return list((self.keyboard or {}).get("buttons", []))

    @property
    def buttons(self) -> list[str]:
        return [b["action"].get("label", "") for row in self.rows for b in row]


@dataclass(slots=True)
class Person:
    id: int
    first_name: str
    allowed: bool = False  # the community may write: they wrote first or allowed messages
    messages: list[DialogMessage] = field(default_factory=list)

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "first_name": self.first_name,
            "last_name": "",
            "can_access_closed": True,
            "is_closed": False,
        }


@dataclass(slots=True)
class OpenEvent:
    """A pressed callback button, answerable by messages.sendMessageEventAnswer for about a minute."""

    user_id: int
    peer_id: int
    at: float
    answer: dict[str, Any] | None = None


class State:
    def __init__(self, token: str, group_id: int, screen_name: str, clock: Callable[[], float]) -> None:
        self.token = token
        self.group = {"id": group_id, "name": "Frontdoor", "screen_name": screen_name}
        self._clock = clock
        self.skew = 0.0
        self.closing = False
        self.people: dict[int, Person] = {}
        self.history: list[tuple[int, dict[str, Any]]] = []  # (ts number, event), oldest first
        self.next_ts = 1
        self.history_floor = 1  # events below this number are gone: a_check answers failed 1
        self.lp_key = "key-1"
        self._keys = itertools.count(2)
        self.lp_failures: list[int] = []  # scripted `failed` answers for the next a_checks
        self.changed = Signal()
        self.random_ids: dict[int, int] = {}  # random_id -> message id (bound to the sender)
        self.events: dict[str, OpenEvent] = {}
        self.confirmation = "a1b2c3d4"  # groups.getCallbackConfirmationCode
        self._message_ids = itertools.count(1)
        self._revision = itertools.count(1)
        self._event_salt = hashlib.sha1(str(time.time_ns()).encode()).hexdigest()[:8]

    def now(self) -> float:
        return self._clock() + self.skew

    def person(self, user_id: int, first_name: str = "Тест") -> Person:
        return self.people.setdefault(user_id, Person(user_id, first_name))

    def rotate_key(self) -> None:
        self.lp_key = f"key-{next(self._keys)}"

    # -- events ---------------------------------------------------------------------------------------
    def add_event(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        """Append an event to the history (both Long Poll and the Callback API read it); returns it."""
        number = self.next_ts
        self.next_ts += 1
        event_id = hashlib.sha1(f"{self._event_salt}:{number}".encode()).hexdigest()
        event = {
            "group_id": self.group["id"],
            "type": kind,
            "event_id": event_id,
            "v": API_VERSION,
            "object": obj,
        }
        self.history.append((number, event))
        self.changed.notify()
        return event

    def events_since(self, ts: int) -> list[dict[str, Any]]:
        return [event for number, event in self.history if number >= ts]

    def event(self, event_id: str) -> dict[str, Any]:
        for _, event in self.history:
            if event["event_id"] == event_id:
                return event
        raise KeyError(event_id)

    def forget_history(self) -> None:
        """As VK does after a while: older events can no longer be fetched (a_check answers failed 1)."""
        self.history_floor = self.next_ts
        self.history.clear()

    # -- dialogs --------------------------------------------------------------------------------------
    def add_message(
        self,
        person: Person,
        text: str,
        *,
        from_bot: bool,
        keyboard: dict[str, Any] | None = None,
        random_id: int = 0,
        attachment: str = "",
    ) -> DialogMessage:
        message = DialogMessage(
            next(self._message_ids),
            from_bot,
            text,
            next(self._revision),
            keyboard,
            random_id,
            attachment,
        )
        person.messages.append(message)
        return message

    def revision(self) -> int:
        return next(self._revision)


def button_payload(button: dict[str, Any]) -> Any:
    """A button's payload as the client sends it back: the JSON value (VK sends an object in
    message_event and the raw string in message_new)."""
    raw = button["action"].get("payload", "")
    try:
        return json.loads(raw)
    except ValueError:
        return raw
