"""``bot.telegram.errors``: one verdict per Bot API failure, shared by the delivery and the relay's sender
(PLATFORMS.md §1.2, §7.3); and the delivery acting on a gone chat as on a block."""

from __future__ import annotations

import pytest
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import SendMessage

from bot.sent import Sent
from bot.telegram.delivery import TelegramDelivery
from bot.telegram.errors import Kind, classify, not_modified
from bot.telegram.sender import TelegramSender
from dialogs.ui import Outcome, Reply
from notifications.sender import Blocked, Message, Rejected
from tests.telegram_emulator import errors

SEND = SendMessage(chat_id=1, text="x")


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (TelegramForbiddenError(SEND, errors.BLOCKED), Kind.BLOCKED),
        (TelegramForbiddenError(SEND, errors.CANT_INITIATE), Kind.BLOCKED),
        (TelegramForbiddenError(SEND, "Forbidden: user is deactivated"), Kind.BLOCKED),
        (TelegramBadRequest(SEND, errors.CHAT_NOT_FOUND), Kind.BLOCKED),
        (TelegramBadRequest(SEND, "Bad Request: user is deactivated"), Kind.BLOCKED),
        (TelegramBadRequest(SEND, "Bad Request: PEER_ID_INVALID"), Kind.BLOCKED),
        (TelegramRetryAfter(SEND, "Too Many Requests: retry after 7", 7), Kind.RETRY_AFTER),
        (TelegramServerError(SEND, "Internal Server Error"), Kind.TRANSIENT),
        (TelegramServerError(SEND, "Bad Gateway"), Kind.TRANSIENT),
        (TelegramNetworkError(SEND, "connection reset"), Kind.TRANSIENT),
        (ClientDecodeError("not JSON", ValueError("<html>"), "<html>502</html>"), Kind.TRANSIENT),
        (TimeoutError(), Kind.TRANSIENT),
        (TelegramEntityTooLarge(SEND, "Request Entity Too Large"), Kind.REFUSED),
        (TelegramBadRequest(SEND, errors.TEXT_TOO_LONG), Kind.REFUSED),
        (TelegramBadRequest(SEND, errors.MARKUP_TOO_LONG), Kind.REFUSED),
        (TelegramBadRequest(SEND, "Bad Request: message is not modified"), Kind.REFUSED),
        (TelegramMigrateToChat(SEND, "Bad Request: group chat was upgraded", 2), Kind.REFUSED),
        (TelegramNotFound(SEND, errors.METHOD_NOT_FOUND), Kind.REFUSED),
        (TelegramUnauthorizedError(SEND, errors.UNAUTHORIZED), Kind.REFUSED),
        (TelegramConflictError(SEND, "Conflict: terminated by other getUpdates request"), Kind.REFUSED),
    ],
    ids=lambda value: value.name if isinstance(value, Kind) else type(value).__name__,
)
def test_every_failure_has_one_verdict(error, kind):
    assert classify(error).kind is kind


def test_retry_after_carries_its_pause_and_a_timeout_is_named():
    assert classify(TelegramRetryAfter(SEND, "Too Many Requests: retry after 7", 7)).retry_after == 7.0
    assert classify(TimeoutError()).reason == "timeout"


def test_not_modified_is_no_failure():
    assert not_modified(TelegramBadRequest(SEND, "Bad Request: message is not modified: same"))
    assert not not_modified(TelegramBadRequest(SEND, errors.CHAT_NOT_FOUND))


async def test_a_gone_chat_is_blocked_for_the_delivery_as_for_the_sender(polling):
    emulator, bot = polling.emulator, polling.telegram.bot
    delivery = TelegramDelivery(bot, polling.app.database.records)
    emulator.user(2501, started=True)
    emulator.fail_next("sendMessage", status=400, description=errors.CHAT_NOT_FOUND)
    outcome = Outcome((Reply("Вопрос дня"),))
    assert await delivery.send(2501, "2501", outcome, update_id=1, pressed_message_id=None) is Sent.BLOCKED
    emulator.fail_next("sendMessage", status=400, description=errors.CHAT_NOT_FOUND)
    assert isinstance(await TelegramSender(bot).send(Message("2501", "Напоминание")), Blocked)


async def test_a_request_too_large_is_refused_by_the_sender_not_retried(polling):
    emulator = polling.emulator
    emulator.user(2502, started=True)
    emulator.fail_next("sendMessage", status=413, description="Request Entity Too Large")
    assert isinstance(await TelegramSender(polling.telegram.bot).send(Message("2502", "x")), Rejected)
