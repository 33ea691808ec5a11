"""Sending an engine ``Outcome`` through messages.send; VK's errors are read by ``bot.vk.errors`` (the
same verdicts as the relay's sender) and mapped here:

- blocked (901 no permission, 902 privacy, 900 blacklist, 18 deleted, 7 permission denied, the gone-chat
  codes): the person cannot be written to; the account is marked blocked and sending stops.
- transient (1, 9 flood control, 10 internal error, also any answer that is not VK's JSON, e.g. a
  proxy's 502 page; network errors or timeouts) and a short pause (6 too many requests per second): a
  bounded number of retries with doubling backoff, each with the same random_id, so a send VK did take
  is not repeated.
- Anything else, a pause longer than a person should wait (29, method quota) or retries used up: logged
  with the event id (never a text or a name) and the person gets a calm apology, once.

Contract with the caller: ``send`` returns a ``bot.sent.Sent``. ``Sent.FAILED`` means the reply, or its
tail, did not reach the person (the apology attempt does not change that): the caller keeps it to send
again, and the same random_ids make a resend of the part that did go a no-op at VK. ``Sent.BLOCKED``:
nothing to send again. ``answer_press`` never raises: an expired or refused press answer is logged and
the replies still go.

Every message of a reply gets a random_id derived from (community, event id, position): an event handled
twice (never, with receipts) or a reply re-sent after a timeout is dropped by VK instead of shown twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from vkbottle import API

from backend_client.ports import Accounts
from bot.sent import Sent
from bot.telegram.delivery import merge_texts
from bot.vk.api import CHANNEL, call, random_id
from bot.vk.errors import ERRORS, Kind, classify
from bot.vk.render import CONTINUATION, chunks, keyboards
from dialogs.texts import t
from dialogs.ui import Outcome

log = logging.getLogger(__name__)

MAX_RETRIES = 3
LONGEST_PAUSE = 5.0  # seconds a reply may wait on VK's "retry after"; longer (29) goes to the apology
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

    async def send(self, peer_id: int, account_id: str, outcome: Outcome, *, event_id: str) -> Sent:
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
            return Sent.BLOCKED
        except ERRORS as error:
            log.error("vk send failed event=%s error=%s", event_id, _code(error))
            await self.apologise(peer_id, account_id, event_id)
            return Sent.FAILED
        return Sent.DELIVERED

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
        except (Blocked, *ERRORS) as error:  # an expired press: the replies still go
            log.warning("vk press answer failed error=%s", _code(error.__cause__ or error))

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
        except ERRORS:
            log.error("vk apology failed event=%s", event_id)

    async def call(self, method: str, **params: object) -> Any:
        """One API call with the policy above."""
        delay = self._backoff
        for attempt in range(MAX_RETRIES + 1):
            last = attempt == MAX_RETRIES
            try:
                return await call(self._api, method, **params)
            except ERRORS as error:
                failure = classify(error)
                if failure.kind is Kind.BLOCKED:
                    raise Blocked from error
                if last or not _worth_waiting(failure.kind, failure.retry_after):
                    raise
            await self._sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover


def _worth_waiting(kind: Kind, retry_after: float) -> bool:
    return kind is Kind.TRANSIENT or (kind is Kind.RETRY_AFTER and retry_after <= LONGEST_PAUSE)


def _code(error: BaseException) -> object:
    """What a log line may say of a failure: VK's code, or the exception's class (never its text)."""
    return getattr(error, "code", None) or type(error).__name__


def _document_text(content: bytes) -> str:
    """The export as readable text: JSON pretty-printed, anything else decoded as it is."""
    try:
        return json.dumps(json.loads(content), ensure_ascii=False, indent=1)
    except ValueError:
        return content.decode("utf-8", errors="replace")
