"""The emulator's own contract: real aiogram calls get Telegram's envelopes, statuses and limits."""

from __future__ import annotations

import asyncio

import pytest
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiohttp import ClientSession

from bot.telegram.runner import open_bot
from tests.telegram_emulator import ManualSeconds, TelegramEmulator
from tests.telegram_emulator.spec import DEFAULT_SPEC

TOKEN = "123456:TEST-token"


@pytest.fixture(params=["with-spec", "without-spec"])
async def emulator(request):
    spec = DEFAULT_SPEC if request.param == "with-spec" else None
    async with TelegramEmulator(TOKEN, spec_path=spec) as running:
        yield running


@pytest.fixture
async def bot(emulator):
    bot = open_bot(TOKEN, emulator.base_url)
    try:
        yield bot
    finally:
        await bot.session.close()


async def test_get_me_and_send(bot, emulator):
    me = await bot.get_me()
    assert me.is_bot
    emulator.user(10)
    sent = await bot.send_message(10, "привет")
    assert sent.message_id == 1
    assert emulator.transcript(10)[0]["text"] == "привет"


async def test_get_updates_offsets_and_long_poll(bot, emulator):
    user = emulator.user(11)
    first = user.send("one")
    updates = await bot.get_updates(offset=0, timeout=0)
    assert [u.update_id for u in updates] == [first]
    assert await bot.get_updates(offset=first + 1, timeout=0) == []

    async def later():
        await asyncio.sleep(0.05)
        user.send("two")

    task = asyncio.create_task(later())
    woken = await bot.get_updates(offset=first + 1, timeout=5)
    await task
    assert woken[0].message.text == "two"


async def test_limits_are_enforced(bot, emulator):
    emulator.user(12)
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(12, "я" * 4097)
    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="й" * 33)]])
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(12, "ok", reply_markup=markup)
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(999, "кто здесь?")


async def test_not_modified_edit(bot, emulator):
    emulator.user(13)
    sent = await bot.send_message(13, "текст")
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("текст", chat_id=13, message_id=sent.message_id)
    await bot.edit_message_text("новый", chat_id=13, message_id=sent.message_id)
    assert emulator.transcript(13)[0]["text"] == "новый"


async def test_faults_map_to_aiogram_exceptions(bot, emulator):
    emulator.user(14)
    emulator.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 7", retry_after=7
    )
    with pytest.raises(TelegramRetryAfter) as flood:
        await bot.send_message(14, "a")
    assert flood.value.retry_after == 7
    emulator.block_by_user(14)
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(14, "b")
    updates = await bot.get_updates(timeout=0)
    assert updates[-1].my_chat_member.new_chat_member.status == "kicked"


async def test_webhook_excludes_polling(bot, emulator):
    await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="s3cret")
    with pytest.raises(TelegramConflictError):
        await bot.get_updates(timeout=0)
    info = await bot.get_webhook_info()
    assert info.url == "http://127.0.0.1:9/hook"
    await bot.delete_webhook()
    assert await bot.get_updates(timeout=0) == []


async def test_callback_queries_are_answered_once(bot, emulator):
    user = emulator.user(15)
    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Да", callback_data="yes")]])
    await bot.send_message(15, "вопрос", reply_markup=markup)
    user.tap("Да")
    [update] = await bot.get_updates(timeout=0)
    assert update.callback_query.data == "yes"
    await bot.answer_callback_query(update.callback_query.id, text="ок")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(update.callback_query.id)


@pytest.mark.skipif(
    not DEFAULT_SPEC.exists(), reason="needs ../shared/specs/telegram/api.json (present in CI)"
)
async def test_raw_requests_are_checked_against_the_spec():
    async with TelegramEmulator(TOKEN) as emulator, ClientSession() as session:
        emulator.user(16)
        url = f"{emulator.base_url}/bot{TOKEN}/sendMessage"
        async with session.post(url, json={"chat_id": 16, "text": "x", "colour": "red"}) as response:
            body = await response.json()
            assert response.status == 400
            assert "unknown parameter colour" in body["description"]
        async with session.post(url, json={"chat_id": 16}) as response:
            assert "text is required" in (await response.json())["description"]
        async with session.post(f"{emulator.base_url}/bot{TOKEN}/sendTelepathy", json={}) as response:
            assert response.status == 404


async def test_rate_limits_on_a_manual_clock():
    clock = ManualSeconds()
    async with TelegramEmulator(TOKEN, clock=clock, rate_limits=True) as emulator:
        bot = open_bot(TOKEN, emulator.base_url)
        try:
            for user_id in range(100, 131):
                emulator.user(user_id)
            for user_id in range(100, 130):
                await bot.send_message(user_id, "рассылка")
            with pytest.raises(TelegramRetryAfter):
                await bot.send_message(130, "31-е за секунду")
            clock.advance(1.0)
            await bot.send_message(130, "после паузы")
            for _ in range(3):
                await bot.send_message(100, "ещё")  # the per-chat burst was used once already
                clock.advance(1.0)
            await bot.send_message(100, "раз в секунду можно")
            await bot.send_message(100, "второе в ту же секунду")  # what is left of the burst
            await bot.send_message(100, "третье")
            with pytest.raises(TelegramRetryAfter):
                await bot.send_message(100, "слишком часто")
        finally:
            await bot.session.close()
