"""A person's side of a dialog with the community: write (with a ``ref`` from a vk.me link), press
buttons, send a photo, allow or deny messages, and read what the dialog shows.

Actions are synchronous: each adds one event (for Long Poll and the Callback API) and returns it. The bot
answers asynchronously, so wait (``await emulator.wait_for(lambda: user.seen("..."))``) before reading.
Writing to the community lets it answer, as in VK.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tests.vk_emulator.state import DialogMessage, OpenEvent, Person, button_payload

if TYPE_CHECKING:
    from tests.vk_emulator.emulator import VkEmulator

CONTINUATION = "…"  # the text under the later parts of a keyboard split to fit VK (bot/vk/render.py)
CLIENT_INFO = {
    "button_actions": ["text", "vkpay", "open_app", "location", "open_link", "callback"],
    "keyboard": True,
    "inline_keyboard": True,
    "carousel": True,
    "lang_id": 0,
}


class VkUser:
    def __init__(self, emulator: VkEmulator, user_id: int) -> None:
        self.emulator = emulator
        self.id = user_id
        self._mark = 0  # the revision at this person's last action: what came later are replies

    @property
    def _person(self) -> Person:
        return self.emulator.state.people[self.id]

    # -- actions --------------------------------------------------------------------------------------
    def send(self, text: str, *, ref: str | None = None, payload: str | None = None) -> dict[str, Any]:
        """A text message; ``ref`` as when the dialog was opened from ``vk.me/<group>?ref=...``."""
        extra: dict[str, Any] = {}
        if ref is not None:
            extra |= {"ref": ref, "ref_source": ""}
        if payload is not None:
            extra["payload"] = payload
        return self._message(text, [], extra)

    def send_photo(self) -> dict[str, Any]:
        photo = {"type": "photo", "photo": {"id": 1, "owner_id": self.id, "sizes": []}}
        return self._message("", [photo], {})

    def press(self, label: str) -> dict[str, Any]:
        """Press a button on the newest bot message that has it: exactly that label first, else one that
        contains it ("Согласен" finds "✅ Согласен(на)"), else the same ignoring case."""
        messages = list(reversed(self.messages))
        for matches in (_equals, _contains, _contains_ignoring_case):
            for message in messages:
                found = [
                    b for row in message.rows for b in row if matches(b["action"].get("label", ""), label)
                ]
                if len(found) > 1:
                    raise AssertionError(f"{label!r} matches several buttons: {message.buttons}")
                if found:
                    return self._press(found[0], message)
        visible = "; ".join(f"message {m.id}: {m.buttons}" for m in messages if m.buttons)
        raise AssertionError(f"no button {label!r}; visible: {visible or 'none'}")

    def press_payload(
        self, payload: Any, message_id: int = 0, *, peer_id: int | None = None
    ) -> dict[str, Any]:
        """A callback-button event with any payload: forged, stale or malformed; ``peer_id`` for a press
        on a keyboard in a group chat (peer ids from 2000000000) instead of this person's dialog."""
        self._act()
        state = self.emulator.state
        peer = self.id if peer_id is None else peer_id
        event = state.add_event(
            "message_event",
            {
                "user_id": self.id,
                "peer_id": peer,
                "event_id": "",
                "payload": payload,
                "conversation_message_id": message_id,
            },
        )
        # VK gives the press its own id (answered with sendMessageEventAnswer); the event's own id is
        # the delivery id. Both are unique; the emulator reuses one for the other.
        event["object"]["event_id"] = event["event_id"]
        state.events[event["event_id"]] = OpenEvent(self.id, peer, state.now())
        return event

    def allow(self) -> dict[str, Any]:
        self._person.allowed = True
        return self.emulator.state.add_event("message_allow", {"user_id": self.id, "key": ""})

    def deny(self) -> dict[str, Any]:
        self._person.allowed = False
        return self.emulator.state.add_event("message_deny", {"user_id": self.id})

    def _press(self, button: dict[str, Any], message: DialogMessage) -> dict[str, Any]:
        action = button["action"]
        if action["type"] == "callback":
            return self.press_payload(button_payload(button), message.id)
        if action["type"] == "text":
            return self.send(action["label"], payload=action.get("payload"))
        raise AssertionError(f"{action['label']!r} is a {action['type']} button")

    def _act(self) -> None:
        self._mark = self.emulator.state.revision()

    def _message(self, text: str, attachments: list[dict[str, Any]], extra: dict[str, Any]) -> dict[str, Any]:
        self._act()
        state = self.emulator.state
        person = self._person
        person.allowed = True
        sent = state.add_message(person, text, from_bot=False, attachment=json.dumps(attachments))
        message = {
            "id": sent.id,
            "date": int(state.now()),
            "peer_id": self.id,
            "from_id": self.id,
            "text": text,
            "conversation_message_id": sent.id,
            "attachments": attachments,
            "fwd_messages": [],
            "important": False,
            "is_hidden": False,
            "out": 0,
        } | extra
        return state.add_event("message_new", {"message": message, "client_info": CLIENT_INFO})

    # -- what the person sees -------------------------------------------------------------------------
    @property
    def messages(self) -> list[DialogMessage]:
        """The bot's messages, oldest first."""
        return [m for m in self._person.messages if m.from_bot]

    @property
    def texts(self) -> list[str]:
        return [m.text for m in self.messages]

    @property
    def buttons(self) -> list[str]:
        """The newest keyboard's labels. A keyboard over VK's ten buttons comes in parts, the later ones
        under «…» messages of their own: the parts are read together, as the person sees them."""
        parts: list[list[str]] = []
        for message in reversed(self.messages):
            if not message.buttons:
                continue
            parts.insert(0, message.buttons)
            if message.text != CONTINUATION:
                break
        return [label for part in parts for label in part]

    @property
    def replies(self) -> list[str]:
        """Texts the bot sent since this person's last action."""
        return [m.text for m in self.messages if m.revision > self._mark]

    def seen(self, fragment: str) -> bool:
        return any(fragment in text for text in self.replies)

    @property
    def event_answers(self) -> list[dict[str, Any] | None]:
        """What sendMessageEventAnswer showed for this person's presses, in pressing order (None: not
        answered)."""
        return [e.answer for e in self.emulator.state.events.values() if e.user_id == self.id]


def _equals(text: str, wanted: str) -> bool:
    return text == wanted


def _contains(text: str, fragment: str) -> bool:
    return fragment in text


def _contains_ignoring_case(text: str, fragment: str) -> bool:
    return fragment.casefold() in text.casefold()
