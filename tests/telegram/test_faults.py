"""Bot API failures and hostile input through the real aiogram bot and the emulator: a refused callback
answer, transient send failures, presses from group chats, and webhook bodies too deep or too large."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import pytest
from aiohttp import ClientSession

from bot.sent import Sent
from bot.telegram.delivery import TelegramDelivery
from dialogs.texts import t
from dialogs.ui import Outcome, Reply
from tests.telegram.conftest import SECRET, answered
from tests.telegram_emulator import errors

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
APOLOGY = t("engine.apology")


@pytest.mark.parametrize(
    ("status", "description", "times"),
    [(400, errors.QUERY_TOO_OLD, 1), (502, "Bad Gateway", 4)],
    ids=["query-too-old", "502-until-given-up"],
)
async def test_a_refused_callback_answer_never_stops_the_next_screen(running, status, description, times):
    emulator = running.emulator
    user = emulator.user(2101)
    user.start()
    await answered(user, "кто вы")
    emulator.fail_next("answerCallbackQuery", status=status, description=description, times=times)
    user.tap("Выпускник")  # handled late, e.g. after a restart: Telegram no longer takes the answer
    await answered(user, "Сколько вам лет")
    assert [c.status for c in emulator.calls_to("answerCallbackQuery")] == [status] * times
    assert emulator.webhook is None or not emulator.webhook.last_error_message  # no 500 to the webhook


async def test_a_single_502_on_send_is_retried_and_the_real_reply_arrives(running):
    emulator = running.emulator
    user = emulator.user(2201)
    emulator.fail_next("sendMessage", status=502, description="Bad Gateway")
    user.start()
    await answered(user, "кто вы")
    assert [c.status for c in emulator.calls_to("sendMessage")] == [502, 200]
    assert APOLOGY not in user.texts


async def test_a_dropped_connection_on_send_is_retried(polling):
    emulator = polling.emulator
    user = emulator.user(2301)
    emulator.disconnect_next("sendMessage")
    user.start()
    await answered(user, "кто вы")
    assert [c.status for c in emulator.calls_to("sendMessage")] == [0, 200]
    assert APOLOGY not in user.texts


async def test_send_reports_a_reply_it_could_not_deliver(polling):
    emulator, bot = polling.emulator, polling.telegram.bot
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    delivery = TelegramDelivery(bot, polling.app.database.records, sleep=sleep)
    user = emulator.user(2401, started=True)
    outcome = Outcome((Reply("Вопрос дня"),))

    async def send() -> Sent:
        return await delivery.send(2401, "2401", outcome, update_id=1, pressed_message_id=None)

    assert await send() is Sent.DELIVERED
    emulator.fail_next("sendMessage", status=502, description="Bad Gateway", times=4)
    assert await send() is Sent.FAILED  # retries used up: the caller keeps the reply to send again
    assert slept == [0.5, 1.0, 2.0]  # short doubling backoff, bounded
    assert user.texts == ["Вопрос дня", APOLOGY]  # the apology is still tried
    emulator.fail_next("sendMessage", status=403, description=errors.BLOCKED)
    assert await send() is Sent.BLOCKED


async def test_a_press_in_a_group_chat_is_answered_and_otherwise_ignored(running):
    emulator = running.emulator
    user = emulator.user(2501)
    user.start()
    await answered(user, "кто вы")
    # The person's keyboard ends up in a group the bot is in; someone presses a button there.
    emulator.group(-2501, "9 «Б»")
    group = emulator.state.chats[-2501]
    markup = user.messages[-1].reply_markup
    posted = group.add(emulator.state.bot, {"text": "кто вы?", "reply_markup": markup}, from_bot=True)
    data = next(
        b["callback_data"] for row in markup["inline_keyboard"] for b in row if "Выпускник" in b["text"]
    )
    user.tap_data(data, posted["message_id"], chat_id=-2501)
    await emulator.wait_for(lambda: len(user.callback_answers) == 1)  # answered, so it stops spinning
    user.tap("Выпускник")  # the engine never saw the group press: the button still works in private
    await answered(user, "Сколько вам лет")
    assert [m.raw for m in emulator.transcript(-2501)] == [posted]  # nothing shown in the group
    assert all(c.params.get("chat_id") != -2501 for c in emulator.calls)


DEEP = b"[" * 100_000 + b"]" * 100_000
NESTED_UPDATE = b'{"update_id": 1, "message": ' + b'{"a": ' * 150 + b"1" + b"}" * 151
LARGE = json.dumps({"update_id": 1, "padding": "x" * 600_000}).encode()


async def _chunked(size: int) -> AsyncIterator[bytes]:
    """A body sent without Content-Length."""
    for _ in range(size // 65_536):
        yield b" " * 65_536


async def test_the_webhook_refuses_deep_large_and_broken_bodies_without_a_traceback(webhook, caplog):
    caplog.set_level(logging.INFO)
    before = len(webhook.emulator.calls)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    async with ClientSession() as session:
        for body, status in (
            (DEEP, 400),
            (NESTED_UPDATE, 400),
            (LARGE, 413),
            (_chunked(1_000_000), 413),
            (b"{not json", 400),
            (b'{"update_id": "\xff"}', 400),
        ):
            async with session.post(webhook.webhook_url, data=body, headers=headers) as response:
                assert response.status == status
        # The secret is checked before the body is read or parsed.
        async with session.post(
            webhook.webhook_url, data=DEEP, headers={"Content-Type": "application/json"}
        ) as r:
            assert r.status == 401
    assert len(webhook.emulator.calls) == before  # nothing was handled
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
