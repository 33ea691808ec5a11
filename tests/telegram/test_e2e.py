"""The spine's conversations through the real aiogram bot and the Bot API emulator, polling and webhook."""

from __future__ import annotations

import json
import re

import pytest
from aiohttp import ClientSession

from backend_client.models import ConsentStatus
from tests.telegram.conftest import SECRET, answered

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def onboard_adult(user) -> None:
    user.start()
    await answered(user, "Расскажите, кто вы")
    user.tap("Выпускник")
    await answered(user, "Сколько вам лет")
    user.send("23")
    await answered(user, "Вы согласны?")
    user.tap("Согласен")
    await answered(user, "Как к вам обращаться")


async def test_onboarding_and_profile_edit(running):
    user = running.emulator.user(501, "Олег")
    await onboard_adult(user)
    for answer, next_question in (
        ("Олег", "Где вы живёте"),
        ("Кинель", "Что вы окончили"),
        ("СамГТУ", "Специальность"),
        ("Информатика", "Чем вы увлекаетесь"),
    ):
        user.send(answer)
        await answered(user, next_question)
    user.tap("Пропустить")
    await answered(user, "Когда вам удобнее")
    user.tap("Пропустить")
    summary = await answered(user, "Ваш профиль")
    assert "Кинель" in summary
    user.tap("Имя")
    await answered(user, "Как к вам обращаться")
    user.send("Олег Петрович")
    await answered(user, "Олег Петрович")
    # every button press was answered, and the command menu was registered
    assert len(running.emulator.calls_to("answerCallbackQuery")) == 5
    assert {c["command"] for c in running.emulator.commands} >= {"start", "menu", "mydata", "cancel"}


async def test_child_parent_consent_across_two_chats(running):
    child, parent = running.emulator.user(601, "Ваня"), running.emulator.user(602, "Мама")
    child.start()
    await answered(child, "кто вы")
    child.tap("Школьник")
    await answered(child, "Сколько вам лет")
    child.send("12")
    text = await answered(child, "t.me/frontdoor_test_bot?start=inv_")
    payload = re.search(r"start=(inv_[A-Z0-9]{10})", text).group(1)
    parent.start(payload)
    await answered(parent, "родитель или законный представитель")
    parent.tap("Да, я родитель")
    await answered(parent, "Вы согласны?")
    parent.tap("Согласен")
    await answered(parent, "меньше 14 лет")
    parent.tap("Даю согласие за ребёнка")
    await answered(parent, "Согласие записано")
    child.tap("Проверить")
    await answered(child, "Родитель дал согласие")


async def test_export_and_delete(running, records_of):
    polling = running
    user = polling.emulator.user(701)
    await onboard_adult(user)
    user.send("/mydata")
    await answered(user, "Всё, что я храню")
    user.tap("Выгрузить")
    await polling.emulator.wait_for(lambda: user.documents, 5)
    exported = json.loads(user.documents[0].content)
    assert exported["accounts"][0]["external_id"] == "701"
    user.send("/mydata")  # the export turn consumed the old buttons
    await answered(user, "Всё, что я храню")
    user.tap("Удалить мои данные")
    await answered(user, "безвозвратно")
    user.tap("Да, удалить")
    await answered(user, "данные удалены")
    person = await records_of(polling).identify("telegram", "701", "701")
    assert person.consent is ConsentStatus.NONE


async def test_stale_and_forged_buttons_and_stickers(polling):
    user = polling.emulator.user(801)
    user.start()
    await answered(user, "кто вы")
    first = user.messages[-1]["message_id"]
    user.tap("Выпускник")
    await answered(user, "Сколько вам лет")
    user.tap_data("forged-token", first)
    await answered(user, "неактуальна")
    assert any(a.get("text") == "Кнопка устарела" for a in polling.emulator.callback_answers.values())
    user.send_sticker()
    await answered(user, "только текст")


async def test_duplicate_webhook_delivery_is_handled_once(webhook):
    user = webhook.emulator.user(901)
    update_id = user.start()
    await answered(user, "кто вы")
    before = len(webhook.emulator.calls_to("sendMessage"))
    webhook.emulator.repeat_update(update_id)
    user.send("/help")
    await answered(user, "Команды")
    sent = [c.params["text"] for c in webhook.emulator.calls_to("sendMessage")[before:]]
    assert len(sent) == 1  # only the /help answer: the repeated /start was dropped
    assert "Команды" in sent[0]


async def test_webhook_refuses_a_wrong_secret_and_reports_health(webhook):
    before = len(webhook.emulator.calls)
    async with ClientSession() as session:
        async with session.post(webhook.webhook_url, json={"update_id": 1}) as response:
            assert response.status == 401
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET + "x"}
        async with session.post(webhook.webhook_url, json={"update_id": 1}, headers=headers) as response:
            assert response.status == 401
        health = webhook.webhook_url.replace("/telegram/webhook", "/healthz")
        async with session.get(health) as response:
            assert response.status == 200
    assert len(webhook.emulator.calls) == before  # nothing was processed


async def test_flood_control_is_waited_out(polling):
    user = polling.emulator.user(1001)
    polling.emulator.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 1", retry_after=1
    )
    user.start()
    await answered(user, "кто вы")
    assert [c.status for c in polling.emulator.calls_to("sendMessage")][:2] == [429, 200]


async def test_blocking_mid_conversation_marks_the_account_and_unblocking_clears_it(polling, records_of):
    user = polling.emulator.user(1101)
    user.start()
    await answered(user, "кто вы")
    user.tap("Выпускник")
    await answered(user, "Сколько вам лет")
    records = records_of(polling)
    person = await records.identify("telegram", "1101", "1101")
    polling.emulator.block_by_user(1101)
    await polling.emulator.wait_for(
        lambda: polling.emulator.delivered and "my_chat_member" in polling.emulator.delivered[-1]
    )
    await _eventually(lambda: _blocked(records, person.id), True, polling)
    polling.emulator.unblock_by_user(1101)
    await _eventually(lambda: _blocked(records, person.id), False, polling)


async def test_a_403_on_send_marks_the_account_blocked(polling, records_of):
    user = polling.emulator.user(1201)
    polling.emulator.fail_next(
        "sendMessage", status=403, description="Forbidden: bot was blocked by the user", chat_id=1201
    )
    user.start()
    records = records_of(polling)
    await polling.emulator.wait_for(lambda: polling.emulator.calls_to("sendMessage"), 5)
    person = await records.identify("telegram", "1201", "1201")
    await _eventually(lambda: _blocked(records, person.id), True, polling)


async def _blocked(records, person_id: int) -> bool:
    accounts = await records.accounts_of(person_id)
    return accounts[0].blocked_at is not None


async def _eventually(check, expected, running, seconds: float = 5.0) -> None:
    import asyncio

    async with asyncio.timeout(seconds):
        while await check() != expected:  # noqa: ASYNC110 - the store changes in the bot's task
            await asyncio.sleep(0.02)


@pytest.fixture
def records_of():
    return lambda running: running.app.database.records


async def test_a_429_storm_is_ridden_out_and_a_longer_one_ends_in_an_apology(polling):
    user = polling.emulator.user(1301)
    polling.emulator.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 1", retry_after=1, times=3
    )
    user.start()
    await answered(user, "Здравствуйте", 15)
    statuses = [c.status for c in polling.emulator.calls_to("sendMessage")]
    assert statuses[:4] == [429, 429, 429, 200]


async def test_garbage_and_unknown_updates_are_ignored_safely(webhook):
    user = webhook.emulator.user(1401)
    async with ClientSession() as session:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
        async with session.post(webhook.webhook_url, data=b"{not json", headers=headers) as response:
            assert response.status == 400
        async with session.post(webhook.webhook_url, json={"update_id": "x"}, headers=headers) as response:
            assert response.status == 400
    # a type the bot does not subscribe to, as Telegram may still send after a configuration change
    reactions = {"chat": {"id": 1401, "type": "private"}, "message_id": 1, "date": 0, "reactions": []}
    webhook.emulator.inject_update({"message_reaction_count": reactions})
    webhook.emulator.inject_update(
        {
            "edited_message": {
                "message_id": 1,
                "date": 0,
                "text": "правка",
                "chat": {"id": 1401, "type": "private"},
            }
        }
    )
    group = {"id": -1401, "type": "group", "title": "9 «Б»"}
    sender = {"id": 1401, "is_bot": False, "first_name": "Тест"}
    webhook.emulator.inject_update(
        {"message": {"message_id": 2, "date": 0, "text": "привет", "chat": group, "from": sender}}
    )
    user.send("/help")
    await answered(user, "кто вы")  # help, then the greeting and "who are you?" for a newcomer
    assert not webhook.emulator.webhook.last_error_message  # nothing made the bot answer non-2xx
    sent = [c.params["text"] for c in webhook.emulator.calls_to("sendMessage")]
    # help, greeting and question joined; the ignored updates (a group chat's message too) added nothing
    assert len(sent) == 1
    assert "Команды" in sent[0]


async def test_a_restart_mid_conversation_loses_nothing(emulator, database, database_url, clock):
    from tests.telegram.conftest import _polling

    user = emulator.user(1501)
    async with _polling(emulator, database_url, clock):
        user.start()
        await answered(user, "кто вы")
        user.tap("Выпускник")
        await answered(user, "Сколько вам лет")
    user.send("23")  # arrives while the bot is down
    async with _polling(emulator, database_url, clock):
        await answered(user, "Вы согласны?")
