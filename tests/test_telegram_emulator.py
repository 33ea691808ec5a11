"""The Bot API emulator's own contract: the real aiogram client gets Telegram's envelopes, statuses,
limits and update delivery from it. Most tests run twice: with the spec file (strict) and with the
built-in checks only."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.filters import CommandStart
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    CallbackQuery,
    InaccessibleMessage,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import ClientSession, web

from tests.telegram_emulator import DEFAULT_SPEC, ManualSeconds, TelegramEmulator, Upload

TOKEN = "123456:TEST-token"
needs_spec = pytest.mark.skipif(not DEFAULT_SPEC.exists(), reason="needs ../shared/specs/telegram/api.json")


def open_bot(telegram: TelegramEmulator) -> Bot:
    return Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(telegram.base_url)))


def keyboard(*labels: str, data: str | None = None) -> InlineKeyboardMarkup:
    row = [InlineKeyboardButton(text=label, callback_data=data or label) for label in labels]
    return InlineKeyboardMarkup(inline_keyboard=[row])


@pytest.fixture(params=["spec", "builtin"])
async def telegram(request) -> AsyncIterator[TelegramEmulator]:
    if request.param == "spec" and not DEFAULT_SPEC.exists():
        pytest.skip("needs ../shared/specs/telegram/api.json (present in CI)")
    async with TelegramEmulator(
        TOKEN, spec_path=DEFAULT_SPEC if request.param == "spec" else None
    ) as running:
        yield running


@pytest.fixture
async def bot(telegram) -> AsyncIterator[Bot]:
    bot = open_bot(telegram)
    try:
        yield bot
    finally:
        await bot.session.close()


@pytest.fixture
async def http() -> AsyncIterator[ClientSession]:
    async with ClientSession() as session:
        yield session


@contextlib.asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def polling(dispatcher: Dispatcher, bot: Bot) -> AsyncIterator[None]:
    task = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, close_bot_session=False, polling_timeout=1)
    )
    try:
        yield
    finally:
        await dispatcher.stop_polling()
        await asyncio.wait_for(task, 5)


# -- envelopes and the basics -------------------------------------------------------------------------
async def test_get_me_and_the_envelopes_for_a_wrong_token_and_an_unknown_method(telegram, bot, http):
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456, True, "frontdoor_test_bot")

    async with http.get(f"{telegram.base_url}/bot{TOKEN}/GETME") as response:  # case-insensitive
        assert (await response.json())["result"]["id"] == 123456
    async with http.post(f"{telegram.base_url}/bot{TOKEN}/sendTelepathy", data={"x": "1"}) as response:
        assert response.status == 404
        assert await response.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found: method not found",
        }
    async with http.get(f"{telegram.base_url}/bot123456:wrong/getMe") as response:
        assert response.status == 401
        assert await response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    stranger = Bot("123456:wrong", session=AiohttpSession(api=TelegramAPIServer.from_base(telegram.base_url)))
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await stranger.get_me()
    finally:
        await stranger.session.close()
    assert [(c.method, c.status) for c in telegram.calls] == [
        ("getMe", 200),
        ("getMe", 200),
        ("sendTelepathy", 404),
        ("getMe", 401),
        ("getMe", 401),
    ]


async def test_send_message_round_trip_and_who_the_bot_may_write_to(telegram, bot):
    user = telegram.user(10, "Оля")
    with pytest.raises(TelegramForbiddenError, match="bot can't initiate conversation with a user"):
        await bot.send_message(10, "рассылка до /start")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(999, "кто здесь?")

    user.send("привет")
    sent = await bot.send_message(10, "Здравствуйте!", reply_markup=keyboard("Да", "Нет"))
    assert sent.message_id == 2  # one counter per chat for both sides: the user's message was 1
    assert sent.chat.first_name == "Оля"
    assert sent.from_user.is_bot
    assert sent.reply_markup.inline_keyboard[0][1].callback_data == "Нет"
    [shown] = telegram.transcript(10)
    assert (shown.text, shown["text"], shown.buttons) == ("Здравствуйте!", "Здравствуйте!", ["Да", "Нет"])
    assert [m.text for m in telegram.transcript(10, include_user=True)] == ["привет", "Здравствуйте!"]
    assert user.last_text == "Здравствуйте!"
    assert user.replies == ["Здравствуйте!"]
    assert telegram.calls_to("SENDMESSAGE")[-1].params == {
        "chat_id": 10,
        "text": "Здравствуйте!",
        "reply_markup": {
            "inline_keyboard": [
                [{"text": "Да", "callback_data": "Да"}, {"text": "Нет", "callback_data": "Нет"}]
            ]
        },
    }
    telegram.user(11, started=True)  # as if Start was pressed long ago
    await bot.send_message(11, "можно")


async def test_a_tap_reaches_the_dispatcher_and_the_answer_is_recorded(telegram, bot):
    dispatcher = Dispatcher()

    @dispatcher.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("Продолжим?", reply_markup=keyboard("Да", "Нет"))

    @dispatcher.callback_query(F.data == "Да")
    async def yes(callback: CallbackQuery) -> None:
        await callback.answer("Принято")
        await callback.message.edit_text("Выбрано: да")

    user = telegram.user(20)
    async with polling(dispatcher, bot):
        user.start()
        await telegram.wait_for(lambda: user.buttons == ["Да", "Нет"])
        user.tap("да")  # no exact match: the label containing it, ignoring case
        await telegram.wait_for(lambda: user.seen("Выбрано: да"))
    assert [answer["text"] for answer in user.callback_answers] == ["Принято"]
    assert [c.status for c in telegram.calls_to("answerCallbackQuery")] == [200]
    [message] = user.messages
    assert message.edited
    assert message.buttons == []


async def test_get_updates_offsets_limit_negative_offset_and_allowed_updates(telegram, bot):
    user = telegram.user(30)
    ids = [user.send(text) for text in ("один", "два", "три")]
    assert [u.update_id for u in await bot.get_updates()] == ids  # nothing confirmed yet
    assert [u.message.text for u in await bot.get_updates(limit=1)] == ["один"]
    assert [u.update_id for u in await bot.get_updates(offset=ids[1])] == ids[1:]  # confirms "один"
    assert [u.update_id for u in await bot.get_updates(offset=-1)] == ids[2:]  # the tail; the rest forgotten
    assert [u.update_id for u in await bot.get_updates()] == ids[2:]
    assert await bot.get_updates(offset=ids[2] + 1) == []

    # Telegram drops what the bot did not ask for, and remembers the choice until it changes.
    await bot.get_updates(offset=ids[2] + 1, allowed_updates=["callback_query"])
    user.send("не нужно")
    assert telegram.pending == []
    await bot.get_updates(allowed_updates=[])  # an empty list: the default again
    telegram.inject_update({"message_reaction": {"chat": {"id": 30, "type": "private"}, "message_id": 1}})
    assert telegram.pending == []  # reactions are not in the default
    last = user.send("нужно")
    assert [u.update_id for u in await bot.get_updates()] == [last]


async def test_a_long_poll_wakes_up_when_an_update_arrives_and_a_second_poller_conflicts(telegram, bot):
    user = telegram.user(31)
    loop = asyncio.get_running_loop()
    started = loop.time()
    waiting = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.05)
    user.send("пора")
    [update] = await waiting
    assert update.message.text == "пора"
    assert loop.time() - started < 2

    first = asyncio.create_task(bot.get_updates(offset=update.update_id + 1, timeout=10))
    await asyncio.sleep(0.05)
    assert await bot.get_updates(offset=update.update_id + 1) == []
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates request"):
        await first


# -- webhooks -------------------------------------------------------------------------------------------
async def test_webhook_delivery_secret_order_per_chat_retries_and_conflict(telegram, bot):
    """Chat 40's first update gets a 500 and is retried; chat 41 is not held up meanwhile, and chat 40's
    second update waits for its first."""
    seen: list[tuple[str, str | None, int]] = []  # (text, secret header, status answered)
    other_chat_arrived = asyncio.Event()
    failed_once = False

    async def receive(request: web.Request) -> web.Response:
        nonlocal failed_once
        update = await request.json()
        text = update["message"]["text"]
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        status = 200
        if text == "A1" and not failed_once:
            failed_once = True
            await asyncio.wait_for(other_chat_arrived.wait(), 5)  # B1 arrives while A1 is in flight
            status = 500
        if text == "B1":
            other_chat_arrived.set()
        seen.append((text, secret, status))
        return web.Response(status=status)

    app = web.Application()
    app.router.add_post("/hook", receive)
    a, b = telegram.user(40), telegram.user(41)
    async with serving(app) as base:
        with pytest.raises(TelegramBadRequest, match="secret token contains unallowed characters"):
            await bot.set_webhook(f"{base}/hook", secret_token="не секрет")
        with pytest.raises(TelegramBadRequest, match="secret token is too long"):
            await bot.set_webhook(f"{base}/hook", secret_token="s" * 257)
        assert await bot.set_webhook(f"{base}/hook", secret_token="s3cret_-Token", max_connections=5)
        with pytest.raises(
            TelegramConflictError, match="can't use getUpdates method while webhook is active"
        ):
            await bot.get_updates()
        a.send("A1")
        a.send("A2")
        b.send("B1")
        await telegram.wait_for(lambda: len(seen) == 4)
        info = await bot.get_webhook_info()

    assert seen == [
        ("B1", "s3cret_-Token", 200),
        ("A1", "s3cret_-Token", 500),
        ("A1", "s3cret_-Token", 200),
        ("A2", "s3cret_-Token", 200),
    ]
    assert (info.url, info.pending_update_count, info.max_connections) == (f"{base}/hook", 0, 5)
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    assert info.last_error_date is not None
    await bot.delete_webhook()
    assert await bot.get_updates() == []  # everything was delivered


async def test_webhook_gives_up_after_the_last_attempt_and_keeps_updates_for_polling_when_deleted():
    async with TelegramEmulator(TOKEN, webhook_backoff=0.2, webhook_attempts=2) as telegram:
        bot = open_bot(telegram)
        try:
            user = telegram.user(42)
            await bot.set_webhook("http://127.0.0.1:9/nobody-listens")
            lost = user.send("в пустоту")
            await telegram.wait_for(lambda: telegram.dropped_updates)
            assert telegram.dropped_updates[0]["update_id"] == lost
            assert telegram.webhook.last_error_message == "Connection refused"

            kept = user.send("дождусь")
            await telegram.wait_for(lambda: telegram.delivered[-1]["update_id"] == kept)  # tried once
            await bot.delete_webhook()  # before the second attempt: the update stays queued
            assert [u.update_id for u in await bot.get_updates()] == [kept]

            user.send("лишнее")
            await bot.set_webhook("http://127.0.0.1:9/nobody-listens", drop_pending_updates=True)
            assert telegram.pending == []
            assert (await bot.get_webhook_info()).pending_update_count == 0
            await bot.delete_webhook()
        finally:
            await bot.session.close()


async def test_aiogram_webhook_handler_receives_updates_and_the_bot_answers(telegram, bot):
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(f"эхо: {message.text}")

    app = web.Application()
    SimpleRequestHandler(dispatcher, bot, handle_in_background=False, secret_token="hook-secret").register(
        app, path="/tg"
    )
    user = telegram.user(43)
    async with serving(app) as base:
        await bot.set_webhook(f"{base}/tg", secret_token="hook-secret", allowed_updates=["message"])
        user.send("привет")
        await telegram.wait_for(lambda: user.seen("эхо: привет"))
        assert (await bot.get_webhook_info()).allowed_updates == ["message"]
        await bot.delete_webhook()


# -- faults ---------------------------------------------------------------------------------------------
async def test_scripted_faults_map_to_aiogram_exceptions(telegram, bot, http):
    telegram.user(50).send("привет")
    telegram.user(51).send("привет")
    telegram.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 7", retry_after=7
    )
    with pytest.raises(TelegramRetryAfter) as flood:
        await bot.send_message(50, "a")
    assert flood.value.retry_after == 7

    telegram.fail_next("sendMessage", status=502, description="Bad Gateway", chat_id=51)
    await bot.send_message(50, "другому чату можно")
    with pytest.raises(TelegramServerError):
        await bot.send_message(51, "b")
    telegram.fail_next(
        "sendMessage", status=403, description="Forbidden: bot was blocked by the user", times=2
    )
    for _ in range(2):
        with pytest.raises(TelegramForbiddenError):
            await bot.send_message(50, "c")
    await bot.send_message(50, "снова можно")  # a fault is only an answer: nothing got blocked

    telegram.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 3", retry_after=3
    )
    async with http.post(
        f"{telegram.base_url}/bot{TOKEN}/sendMessage", json={"chat_id": 50, "text": "d"}
    ) as r:
        assert (r.status, r.headers["Retry-After"]) == (429, "3")
        assert await r.json() == {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 3",
            "parameters": {"retry_after": 3},
        }


async def test_a_scripted_disconnect_drops_the_call_without_its_effect(telegram, bot):
    user = telegram.user(52)
    user.send("привет")
    telegram.disconnect_next("sendMessage", chat_id=52)
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(52, "потеряно")
    await bot.send_message(52, "дошло")
    assert user.texts == ["дошло"]
    assert [c.status for c in telegram.calls_to("sendMessage")] == [0, 200]


async def test_a_tap_in_a_group_chat_carries_that_chat(telegram, bot):
    user = telegram.user(53)
    telegram.group(-53)
    user.tap_data("x", 7, chat_id=-53)
    updates = await bot.get_updates()
    query = updates[-1].callback_query
    assert (query.message.chat.id, query.message.chat.type, query.from_user.id) == (-53, "group", 53)
    assert await bot.answer_callback_query(query.id)


async def test_blocking_refuses_sends_and_queues_my_chat_member_updates(telegram, bot):
    user = telegram.user(60)
    user.send("привет")
    await bot.get_updates(offset=-1)
    telegram.block_by_user(60)
    with pytest.raises(TelegramForbiddenError, match="Forbidden: bot was blocked by the user"):
        await bot.send_message(60, "вы тут?")
    updates = await bot.get_updates(offset=telegram.delivered[-1]["update_id"] + 1)
    [kicked] = [u.my_chat_member for u in updates]
    assert (kicked.old_chat_member.status, kicked.new_chat_member.status) == ("member", "kicked")
    assert kicked.from_user.id == 60
    assert kicked.new_chat_member.user.id == 123456

    user.send("я вернулся")  # writing again unblocks first, as the app does
    kinds = [u.event_type for u in await bot.get_updates(offset=updates[-1].update_id + 1)]
    assert kinds == ["my_chat_member", "message"]
    await bot.send_message(60, "с возвращением")


# -- limits and edits -------------------------------------------------------------------------------------
async def test_message_and_keyboard_limits(telegram, bot):
    telegram.user(70).send("привет")
    await bot.send_message(70, "я" * 4096)
    with pytest.raises(TelegramBadRequest, match="Bad Request: message is too long"):
        await bot.send_message(70, "я" * 4097)
    with pytest.raises(TelegramBadRequest, match="Bad Request: message text is empty"):
        await bot.send_message(70, "  ")
    await bot.send_message(70, "ok", reply_markup=keyboard("x", data="d" * 64))
    for data in ("d" * 65, "й" * 33):  # 64 bytes, not characters
        with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
            await bot.send_message(70, "ok", reply_markup=keyboard("x", data=data))
    with pytest.raises(TelegramBadRequest, match="reply markup is too long"):
        await bot.send_message(70, "ok", reply_markup=keyboard(*"abcdefghi"))  # 9 in a row
    rows = [
        [InlineKeyboardButton(text=f"{r}{c}", callback_data=f"{r}{c}") for c in range(8)] for r in range(13)
    ]
    with pytest.raises(TelegramBadRequest, match="reply markup is too long"):  # 104 buttons
        await bot.send_message(70, "ok", reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))
    bare = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="просто текст")]])
    with pytest.raises(TelegramBadRequest, match="text buttons are unallowed"):
        await bot.send_message(70, "ok", reply_markup=bare)


async def test_edits_deletes_and_message_is_not_modified(telegram, bot):
    telegram.user(71).send("привет")
    sent = await bot.send_message(71, "текст", reply_markup=keyboard("a"))
    with pytest.raises(TelegramBadRequest, match="message is not modified: specified new message content"):
        await bot.edit_message_text(
            "текст", chat_id=71, message_id=sent.message_id, reply_markup=keyboard("a")
        )
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=71, message_id=sent.message_id, reply_markup=keyboard("a")
        )
    edited = await bot.edit_message_reply_markup(
        chat_id=71, message_id=sent.message_id, reply_markup=keyboard("b")
    )
    assert edited.edit_date is not None
    assert telegram.transcript(71)[0].buttons == ["b"]
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=71, message_id=99)
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await bot.edit_message_text("x", chat_id=71, message_id=1)  # the user's own message
    assert await bot.delete_message(71, sent.message_id)
    assert telegram.transcript(71) == []
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(71, sent.message_id)


async def test_send_document_upload_is_readable_in_the_transcript(telegram, bot):
    user = telegram.user(72)
    user.send("выгрузи")
    export = BufferedInputFile(json.dumps({"name": "Оля"}).encode(), filename="export.json")
    sent = await bot.send_document(72, export, caption="Ваши данные")
    assert (sent.document.file_name, sent.document.mime_type, sent.caption) == (
        "export.json",
        "application/json",
        "Ваши данные",
    )
    [document] = user.documents
    assert json.loads(document.content) == {"name": "Оля"}
    # aiogram uploads the file as a multipart part under a random name, referred to as attach://<name>
    assert isinstance(telegram.calls_to("sendDocument")[0].params["document"], Upload)
    again = await bot.send_document(72, sent.document.file_id)  # re-sending by file_id
    assert again.document.file_id == sent.document.file_id
    assert user.texts == ["Ваши данные", ""]


async def test_commands_menu(telegram, bot):
    await bot.set_my_commands([BotCommand(command="start", description="Начать")])
    await bot.set_my_commands([BotCommand(command="help", description="Помощь")], language_code="en")
    assert telegram.commands == [{"command": "start", "description": "Начать"}]
    assert [c.command for c in await bot.get_my_commands(language_code="en")] == ["help"]
    assert await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats()) == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Start", description="x")])
    with pytest.raises(TelegramBadRequest, match="BOT_COMMANDS_TOO_MUCH"):
        await bot.set_my_commands([BotCommand(command=f"c{i}", description="x") for i in range(101)])


# -- the user driver ---------------------------------------------------------------------------------------
async def test_the_user_driver_taps_forges_and_reads_replies(telegram, bot):
    user = telegram.user(80)
    user.start("inv_ABC-123")
    with pytest.raises(ValueError, match="deep-link"):
        user.start("не payload")
    first = await bot.send_message(80, "Выберите", reply_markup=keyboard("Да, удалить", "Да"))
    await bot.send_message(80, "Ещё", reply_markup=keyboard("Нет"))
    with pytest.raises(AssertionError, match=r"no button 'Может быть'; visible: message \d+: \['Нет'\]"):
        user.tap("Может быть")
    user.tap("Да")  # exact text wins over "Да, удалить"; found on the older message
    user.tap_data("forged", 404)
    user.send_sticker()
    updates = await bot.get_updates()
    start, tap, forged, sticker = updates
    assert start.message.text == "/start inv_ABC-123"
    assert start.message.entities[0].type == "bot_command"
    assert (tap.callback_query.data, tap.callback_query.message.message_id) == ("Да", first.message_id)
    assert isinstance(forged.callback_query.message, InaccessibleMessage)
    assert sticker.message.sticker is not None
    await bot.answer_callback_query(tap.callback_query.id, text="ок")
    with pytest.raises(TelegramBadRequest, match="query is too old and response timeout expired"):
        await bot.answer_callback_query(tap.callback_query.id)
    with pytest.raises(TelegramBadRequest, match="MESSAGE_TOO_LONG"):
        await bot.answer_callback_query(forged.callback_query.id, text="я" * 201)

    user.send("ну?")
    assert user.replies == []
    await bot.edit_message_text("Изменено", chat_id=80, message_id=first.message_id)
    assert user.replies == ["Изменено"]  # an edit after the last action counts as a reply
    assert user.seen("Изменено")
    assert user.buttons == ["Нет"]


# -- the spec -----------------------------------------------------------------------------------------------
@needs_spec
async def test_the_spec_refuses_unknown_missing_and_mistyped_parameters(http):
    async with TelegramEmulator(TOKEN) as telegram:  # "auto" finds the spec beside the repository
        telegram.user(90).send("привет")
        url = f"{telegram.base_url}/bot{TOKEN}"

        async def refusal(method: str, body: dict) -> str:
            async with http.post(f"{url}/{method}", json=body) as response:
                assert response.status == 400
                return (await response.json())["description"]

        assert await refusal("sendMessage", {"chat_id": 90, "text": "x", "colour": "red"}) == (
            "Bad Request: unknown parameter colour"
        )
        assert await refusal("sendMessage", {"chat_id": 90}) == "Bad Request: parameter text is required"
        assert await refusal("sendMessage", {"chat_id": True, "text": "x"}) == (
            "Bad Request: invalid parameter chat_id: expected Integer or String"
        )
        markup = {"inline_keyboard": [[{"text": "a", "callback_data": "a", "colour": "red"}]]}
        assert await refusal("sendMessage", {"chat_id": 90, "text": "x", "reply_markup": markup}) == (
            "Bad Request: invalid parameter reply_markup.inline_keyboard[0][0].colour: unknown field"
        )
        form = {
            "chat_id": "90",
            "text": "123",
            "reply_markup": json.dumps({"inline_keyboard": [[{"text": "a", "url": "https://t.me"}]]}),
        }
        async with http.post(f"{url}/sendMessage", data=form) as response:  # a form, as aiogram sends
            assert (await response.json())["result"]["text"] == "123"  # a String stays a string
        async with http.post(f"{url}/getChat", json={"chat_id": 90}) as response:
            assert response.status == 404
            assert "does not implement getChat" in (await response.json())["description"]


async def test_without_the_spec_the_builtin_checks_still_apply(http):
    async with TelegramEmulator(TOKEN, spec_path=None) as telegram:
        telegram.user(91).send("привет")
        url = f"{telegram.base_url}/bot{TOKEN}/sendMessage"
        async with http.post(url, json={"chat_id": 91, "text": "x", "colour": "red"}) as response:
            assert response.status == 200  # unknown parameters pass, as with Telegram
        async with http.post(url, json={"chat_id": 91}) as response:
            assert (await response.json())["description"] == "Bad Request: parameter text is required"
        async with http.post(f"{telegram.base_url}/bot{TOKEN}/getChat", json={"chat_id": 91}) as response:
            assert (await response.json())["description"] == "Not Found: method not found"


@needs_spec
async def test_what_the_emulator_sends_conforms_to_the_spec():
    async with TelegramEmulator(TOKEN, spec_path=DEFAULT_SPEC) as telegram:
        bot = open_bot(telegram)
        try:
            user = telegram.user(92)
            user.start()
            sent = await bot.send_message(92, "Вопрос", reply_markup=keyboard("Да"))
            user.tap("Да")
            user.tap_data("stale", 999)
            user.send_sticker()
            telegram.block_by_user(92)
            telegram.unblock_by_user(92)
            await bot.send_document(92, BufferedInputFile(b"x", filename="a.txt"))
            await bot.edit_message_text("Ответ", chat_id=92, message_id=sent.message_id)
            await bot.set_my_commands([BotCommand(command="start", description="Начать")])
            await bot.get_my_commands()
            await bot.get_me()
            updates = await bot.get_updates()
            await bot.get_updates(offset=updates[-1].update_id + 1)  # confirmed: not for the webhook
            await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="s")
            user.send("недоставляемое")
            await telegram.wait_for(lambda: telegram.webhook.last_error_message)
            await bot.get_webhook_info()
            await bot.delete_webhook()
        finally:
            await bot.session.close()
    assert len(telegram.delivered) == 7  # /start, two taps, a sticker, kicked, member, the last message
    for update in telegram.delivered:  # raw, as they went out
        assert telegram.spec.check(update, ("Update",)) is None
    returns = {
        "getMe": "User",
        "sendMessage": "Message",
        "sendDocument": "Message",
        "editMessageText": "Message",
        "getMyCommands": "Array of BotCommand",
        "getWebhookInfo": "WebhookInfo",
        "getUpdates": "Array of Update",
    }
    assert {c.method for c in telegram.calls} >= set(returns)
    for call in telegram.calls:
        assert telegram.spec.check(call.response["result"], (returns.get(call.method, "Boolean"),)) is None
    assert telegram.spec.check({"message_id": 1, "chat": {}}, ("Message",)) == "value.date: is required"


# -- rate limits -------------------------------------------------------------------------------------------
async def test_rate_limits_on_a_manual_clock():
    clock = ManualSeconds()
    async with TelegramEmulator(TOKEN, clock=clock, rate_limits=True) as telegram:
        bot = open_bot(telegram)
        try:
            for chat_id in range(100, 131):
                telegram.user(chat_id, started=True)
            for chat_id in range(100, 130):
                await bot.send_message(chat_id, "рассылка")
            with pytest.raises(TelegramRetryAfter) as flood:
                await bot.send_message(130, "31-е за секунду")
            assert flood.value.retry_after == 1
            assert "Too Many Requests: retry after 1" in str(flood.value)
            clock.advance(1.0)
            await bot.send_message(130, "после паузы")

            clock.advance(10.0)  # everything refilled; chat 100 has its burst of 3 again
            for _ in range(3):
                await bot.send_message(100, "подряд")
            with pytest.raises(TelegramRetryAfter):
                await bot.send_message(100, "слишком часто")
            telegram.advance(1.0)  # works with any clock
            await bot.send_message(100, "раз в секунду можно")
            with pytest.raises(TelegramRetryAfter):
                await bot.send_message(100, "а два нельзя")

            telegram.group(-500)
            for _ in range(20):
                clock.advance(0.1)  # below 30/s overall
                await bot.send_message(-500, "в группу")
            with pytest.raises(TelegramRetryAfter) as group_flood:
                await bot.send_message(-500, "21-е за минуту")
            wait = group_flood.value.retry_after
            assert 1 <= wait <= 3  # one message per 3 s once the 20 are used up
            clock.advance(wait)
            await bot.send_message(-500, "после паузы")
            assert [c.status for c in telegram.calls_to("sendMessage")].count(429) == 4
        finally:
            await bot.session.close()
