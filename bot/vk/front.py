"""VK events in, engine calls out. Mapping only: every decision lives in ``dialogs``.

- ``message_new`` from a person (not a group chat): its text, or a text button's payload, or the ``ref``
  of a ``vk.me/<community>?ref=...`` link (handled as ``/start <ref>``, as Telegram's deep links are);
  a message with attachments only is "unsupported".
- ``message_event`` (a callback button) in a person's dialog: the payload's token as a press, always
  answered with ``messages.sendMessageEventAnswer``; a forged or malformed payload becomes an empty token,
  which the engine answers as an out-of-date button. A press in a group chat (peer_id from 2000000000)
  is answered and otherwise ignored, as its messages are.
- ``message_allow`` / ``message_deny``: the account is marked unblocked / blocked (a flag: repeats harmless).
- Anything else (other types, broken shapes) is ignored: bad input never reaches the engine.

``on_message`` and ``on_press`` return what the delivery reported (``bot.sent.Sent``; None when nothing
was sent), for a caller that keeps unsent replies.

Delivery is honest: messages and presses carry a ``Receipt("vk:<community id>", <number of event_id>)``
that the engine records with the conversation state, so an event delivered twice (a Callback API retry, a
long poll read again after a restart) is handled once, and handled again if a crash came before the
commit.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, TypeGuard

from backend_client.ports import Accounts, Receipt
from bot.sent import Sent
from bot.vk.api import CHANNEL, event_number
from bot.vk.delivery import VkDelivery
from bot.vk.render import decode_payload
from dialogs.engine import Engine
from dialogs.pending import Unsent
from dialogs.ui import Incoming, Outcome

log = logging.getLogger(__name__)
CHAT_PEERS = 2_000_000_000  # peer ids of group chats start here


class VkFront:
    def __init__(self, engine: Engine, delivery: VkDelivery, accounts: Accounts, group_id: int) -> None:
        self._engine = engine
        self._delivery = delivery
        self._accounts = accounts
        self.group_id = group_id
        self.source = f"vk:{group_id}"  # event ids are per community

    async def handle(self, event: Mapping[str, Any]) -> None:
        kind, obj, event_id = event.get("type"), event.get("object"), event.get("event_id")
        if not isinstance(obj, dict) or not isinstance(event_id, str) or not event_id:
            log.info("vk event ignored: malformed")
            return
        if kind == "message_new":
            await self.on_message(obj, event_id)
        elif kind == "message_event":
            await self.on_press(obj, event_id)
        elif kind in ("message_allow", "message_deny"):
            user = _person_id(obj.get("user_id"))
            if user is not None:
                await self._accounts.set_blocked(CHANNEL, str(user), kind == "message_deny")
        else:
            log.debug("vk event ignored type=%s event=%s", kind, event_id)

    async def on_message(self, obj: dict[str, Any], event_id: str) -> Sent | None:
        message = obj.get("message")
        if not isinstance(message, dict) or message.get("out"):
            return None
        person, peer = _person_id(message.get("from_id")), _person_id(message.get("peer_id"))
        if person is None or peer != person:  # group chats and communities are not served
            return None
        account, receipt = str(person), Receipt(self.source, event_number(event_id))
        text, ref = message.get("text"), message.get("ref")
        token = decode_payload(message.get("payload")) if message.get("payload") else None
        if token is not None:
            incoming = Incoming.press(CHANNEL, account, token, receipt=receipt)
        elif isinstance(ref, str) and ref:
            incoming = Incoming.message(CHANNEL, account, f"/start {ref}", receipt=receipt)
        elif isinstance(text, str) and text.strip():
            incoming = Incoming.message(CHANNEL, account, text, receipt=receipt)
        else:
            incoming = Incoming.unsupported(CHANNEL, account, receipt=receipt)
        sent: list[Sent] = []

        async def send(outcome: Outcome) -> bool:
            result = await self._delivery.send(person, account, outcome, event_id=event_id)
            sent.append(result)
            return not result.unsent

        await self._engine.deliver(incoming, send)  # not handled: a redelivery the first one answered
        return sent[0] if sent else None

    async def on_press(self, obj: dict[str, Any], event_id: str) -> Sent | None:
        person, peer, press = _person_id(obj.get("user_id")), obj.get("peer_id"), obj.get("event_id")
        if person is None or not isinstance(press, str):
            return None
        if peer != person:
            # A keyboard in a group chat: nothing of a person's may be shown there. Answered all the
            # same (VK's peer_id as given), or the button keeps spinning.
            if _is_int(peer):
                await self._delivery.answer_press(press, person, peer, "")
            return None
        token = decode_payload(obj.get("payload")) or ""
        receipt = Receipt(self.source, event_number(event_id))
        sent: list[Sent] = []

        async def send(outcome: Outcome) -> bool:
            await self._delivery.answer_press(press, person, person, outcome.notice)
            result = await self._delivery.send(person, str(person), outcome, event_id=event_id)
            sent.append(result)
            return not result.unsent

        await self._engine.deliver(Incoming.press(CHANNEL, str(person), token, receipt=receipt), send)
        return sent[0] if sent else None

    async def resend(self, receipt: Receipt, unsent: Unsent) -> bool:
        """Replies of an earlier event that never left (``bot.resend``); True unless they failed again.
        The original event id is not kept, so VK's random_id cannot drop a part that did go earlier."""
        person = int(unsent.chat_id)
        result = await self._delivery.send(
            person, unsent.account_id, unsent.outcome, event_id=f"resend:{receipt.update_id}"
        )
        return not result.unsent


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _person_id(value: Any) -> int | None:
    """A person's id (positive, below the chat range); None for anything else."""
    if _is_int(value) and 0 < value < CHAT_PEERS:
        return value
    return None
