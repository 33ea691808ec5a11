"""Sending an engine ``Outcome`` through messages.send, with VK's errors mapped in one place.

- 901 (no permission), 902 (privacy), 900 (blacklist), 18 (deleted) and 7 (permission denied): the
  person cannot be written to; the account is marked blocked and sending stops.
- 6 (too many requests per second), 9 (flood control) and 10 (internal error): a bounded number of
  retries with doubling backoff, each with the same random_id, so a send VK did take is not repeated.
- Anything else, or retries used up: logged with the event id (never a text or a name) and the person
  gets a calm apology, once.

Every message of a reply gets a random_id derived from (community, event id, position): an event handled
twice (never, with receipts) or a reply re-sent after a timeout is dropped by VK instead of shown twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from vkbottle import API, VKAPIError

from backend_client.ports import Accounts
from bot.telegram.delivery import merge_texts
from bot.vk.api import CHANNEL, call, random_id
from bot.vk.render import CONTINUATION, chunks, keyboards
from dialogs.texts import t
from dialogs.ui import Outcome

log = logging.getLogger(__name__)

BLOCKED = frozenset({7, 18, 900, 901, 902})
RETRIED = frozenset({6, 9, 10})
MAX_RETRIES = 3
SNACKBAR_LIMIT = 90  # characters of a show_snackbar text


class Blocked(Exception):
    """The person cannot be written to: stop sending to them."""


class VkDelivery:
    def __init__(
        self,
        api: API,
        accounts: Accounts,
        source: str,
        *,
        backoff: float = 1.0,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self._api = api
        self._accounts = accounts
        self._source = source
        self._backoff = backoff
        self._sleep = sleep

    async def send(self, peer_id: int, account_id: str, outcome: Outcome, *, event_id: str) -> None:
        try:
            for position, (text, keyboard) in enumerate(self.messages(outcome)):
                await self.call(
                    "messages.send",
                    peer_id=peer_id,
                    random_id=random_id(self._source, event_id, position),
                    message=text,
                    keyboard=keyboard,
                )
        except Blocked:
            await self._accounts.set_blocked(CHANNEL, account_id, True)
        except VKAPIError as error:
            log.error("vk send failed event=%s error=%s", event_id, error.code)
            await self.apologise(peer_id, account_id, event_id)

    @staticmethod
    def messages(outcome: Outcome) -> Iterator[tuple[str, str | None]]:
        """(text, keyboard JSON) per messages.send call: long texts split, long keyboards too. A document
        goes as text (VK's schema here has no document upload), its content after the reply's words."""
        for reply in merge_texts(outcome.replies):
            text = reply.text
            if reply.document is not None:
                text = f"{text}\n\n{_document_text(reply.document.content)}"
            parts = chunks(text)
            pages: list[str | None] = list(keyboards(reply.keyboard)) or [None]
            for position, part in enumerate(parts):
                yield part, pages[0] if position == len(parts) - 1 else None
            for page in pages[1:]:
                yield CONTINUATION, page

    async def answer_press(self, press_id: str, user_id: int, peer_id: int, notice: str) -> None:
        """Every callback-button press is answered, or the button keeps spinning in the person's app."""
        data = None
        if notice:
            data = json.dumps({"type": "show_snackbar", "text": notice[:SNACKBAR_LIMIT]}, ensure_ascii=False)
        try:
            await self.call(
                "messages.sendMessageEventAnswer",
                event_id=press_id,
                user_id=user_id,
                peer_id=peer_id,
                event_data=data,
            )
        except (Blocked, VKAPIError) as error:  # an expired press: the replies still go
            log.warning("vk press answer failed error=%s", getattr(error.__cause__ or error, "code", "?"))

    async def apologise(self, peer_id: int, account_id: str, event_id: str) -> None:
        try:
            await self.call(
                "messages.send",
                peer_id=peer_id,
                random_id=random_id(self._source, event_id, "apology"),
                message=t("engine.apology"),
            )
        except Blocked:
            await self._accounts.set_blocked(CHANNEL, account_id, True)
        except VKAPIError:
            log.error("vk apology failed event=%s", event_id)

    async def call(self, method: str, **params: object) -> Any:
        """One API call with the policy above."""
        delay = self._backoff
        for attempt in range(MAX_RETRIES + 1):
            try:
                return await call(self._api, method, **params)
            except VKAPIError as error:
                if error.code in BLOCKED:
                    raise Blocked from error
                if error.code not in RETRIED or attempt == MAX_RETRIES:
                    raise
                await self._sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover


def _document_text(content: bytes) -> str:
    """The export as readable text: JSON pretty-printed, anything else decoded as it is."""
    try:
        return json.dumps(json.loads(content), ensure_ascii=False, indent=1)
    except ValueError:
        return content.decode("utf-8", errors="replace")
