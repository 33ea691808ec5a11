"""The spine's conversations through the VK transport and the VK API emulator, Long Poll and Callback API."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from aiohttp import ClientSession

from backend_client.models import ConsentStatus
from tests.vk.conftest import SECRET, _polling, answered

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def onboard_adult(user) -> None:
    user.send("Начать")
    await answered(user, "Расскажите, кто вы")
    user.press("Выпускник")
    await answered(user, "Сколько вам лет")
    user.send("23")
    await answered(user, "Вы согласны?")
    user.press("Согласен")
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
    user.press("Пропустить")
    await answered(user, "Когда вам удобнее")
    user.press("Пропустить")
    summary = await answered(user, "Ваш профиль")
    assert "Кинель" in summary
    user.press("Имя")
    await answered(user, "Как к вам обращаться")
    user.send("Олег Петрович")
    await answered(user, "Олег Петрович")
    # every button press was answered
    assert len(user.event_answers) == 5
    assert all(answer is not None for answer in user.event_answers)


async def test_child_parent_consent_across_two_chats_with_a_vk_me_link(running):
    child, parent = running.emulator.user(601, "Ваня"), running.emulator.user(602, "Мама")
    child.send("Привет")
    await answered(child, "кто вы")
    child.press("Школьник")
    await answered(child, "Сколько вам лет")
    child.send("12")
    text = await answered(child, "vk.me/frontdoor_test?ref=inv_")
    payload = re.search(r"ref=(inv_[A-Z0-9]{10})", text).group(1)
    parent.send("Начать", ref=payload)  # the first message of a dialog opened from the link
    await answered(parent, "родитель или законный представитель")
    parent.press("Да, я родитель")
    await answered(parent, "Вы согласны?")
    parent.press("Согласен")
    await answered(parent, "меньше 14 лет")
    parent.press("Даю согласие за ребёнка")
    await answered(parent, "Согласие записано")
    child.press("Проверить")
    await answered(child, "Родитель дал согласие")


async def test_broken_and_unknown_refs_get_a_clear_answer(polling):
    user = polling.emulator.user(651)
    user.send("Начать", ref="not a payload!")
    await answered(user, "повреждена")
    user.send("Начать", ref="promo2026")
    await answered(user, "незнакома")


async def test_export_as_text_and_delete(running):
    user = running.emulator.user(701)
    await onboard_adult(user)
    user.send("/mydata")
    await answered(user, "Всё, что я храню")
    user.press("Выгрузить")
    await running.emulator.wait_for(lambda: any('"external_id": "701"' in t for t in user.replies))
    exported = "\n".join(user.replies)
    assert '"accounts"' in exported
    assert all(len(text) <= 4096 for text in user.texts)
    user.send("/mydata")  # the export turn consumed the old buttons
    await answered(user, "Всё, что я храню")
    user.press("Удалить мои данные")
    await answered(user, "безвозвратно")
    user.press("Да, удалить")
    await answered(user, "данные удалены")
    person = await running.app.database.records.identify("vk", "701", "701")
    assert person.consent is ConsentStatus.NONE


async def test_stale_forged_and_malformed_presses_and_photos(polling):
    user = polling.emulator.user(801)
    user.send("Начать")
    await answered(user, "кто вы")
    stale = user.messages[-1].rows[0][0]["action"]["payload"]
    user.press("Выпускник")
    await answered(user, "Сколько вам лет")
    user.press_payload(json.loads(stale))  # a button of an older message
    await answered(user, "неактуальна")
    user.press_payload({"t": "forged-token"})
    await answered(user, "неактуальна")
    user.press_payload("not json {")
    await answered(user, "неактуальна")
    assert user.event_answers[-3:] == [{"type": "show_snackbar", "text": "Кнопка устарела"}] * 3
    user.send_photo()
    await answered(user, "только текст")


async def test_duplicate_callback_delivery_is_handled_once(callback):
    user = callback.emulator.user(901)
    event = user.send("Начать")
    await answered(user, "кто вы")
    before = len(callback.emulator.calls_to("messages.send"))
    callback.emulator.redeliver(event)
    user.send("/help")
    await answered(user, "Команды")
    sent = [c.params["message"] for c in callback.emulator.calls_to("messages.send")[before:]]
    assert len(sent) == 1  # only the /help answer: the repeated first message was dropped
    assert "Команды" in sent[0]
    assert [p.body for p in callback.emulator.callback.posted if p.event_id == event["event_id"]] == [
        "ok"
    ] * 2


async def test_the_callback_refuses_wrong_secrets_and_garbage_and_reports_health(callback):
    before = len(callback.emulator.calls)
    event = {"type": "message_new", "group_id": 1, "event_id": "e1", "v": "5.199"}
    message = {"from_id": 5, "peer_id": 5, "text": "Начать", "id": 1}
    event["object"] = {"message": message}
    async with ClientSession() as session:
        for body in (event, event | {"secret": SECRET + "x"}, event | {"secret": 42}):
            async with session.post(callback.callback_url, json=body) as response:
                assert response.status == 403
        other = event | {"secret": SECRET, "group_id": 2}  # another community
        async with session.post(callback.callback_url, json=other) as response:
            assert response.status == 403
        headers = {"Content-Type": "application/json"}
        async with session.post(callback.callback_url, data=b"{not json", headers=headers) as response:
            assert response.status == 400
        async with session.post(callback.callback_url, json=[1, 2]) as response:
            assert response.status == 400
        handshake = {"type": "confirmation", "group_id": 1}
        async with session.post(callback.callback_url, json=handshake) as response:
            assert await response.text() == callback.emulator.confirmation
        health = callback.callback_url.replace("/vk/callback", "/healthz")
        async with session.get(health) as response:
            assert response.status == 200
    assert len(callback.emulator.calls) == before  # nothing was processed


async def test_unknown_and_malformed_events_are_acknowledged_and_ignored(callback):
    emulator = callback.emulator
    user = emulator.user(1401)
    emulator.inject_event("wall_post_new", {"id": 1, "owner_id": -1, "text": "пост"})
    emulator.inject_event("message_new", {"message": "not an object"})
    emulator.inject_event("message_new", {"message": {"from_id": 1401, "peer_id": 2000000001, "text": "чат"}})
    emulator.inject_event("message_event", {"user_id": "x", "peer_id": 1401, "payload": {}})
    emulator.inject_event("message_reply", {"from_id": -1, "peer_id": 1401, "text": "ответ"})
    user.send("/help")
    await answered(user, "кто вы")
    assert all(p.body == "ok" for p in emulator.callback.posted)
    assert len(emulator.calls_to("messages.send")) == 1  # only the answer to /help


@pytest.mark.parametrize("code", [6, 9, 10])  # too many requests per second, flood control, internal
async def test_throttling_and_internal_errors_are_waited_out(polling, code):
    user = polling.emulator.user(1001)
    polling.emulator.fail_next("messages.send", code=code, times=2)
    user.send("Начать")
    await answered(user, "кто вы")
    assert [c.error_code for c in polling.emulator.calls_to("messages.send")] == [code, code, None]


async def test_a_longer_storm_of_internal_errors_ends_in_one_calm_apology(polling):
    user = polling.emulator.user(1301)
    polling.emulator.fail_next("messages.send", code=10, times=4)
    user.send("Начать")
    await answered(user, "пошло не так")
    codes = [c.error_code for c in polling.emulator.calls_to("messages.send")]
    assert codes == [10, 10, 10, 10, None]


async def test_denying_messages_mid_conversation_marks_the_account_and_allowing_clears_it(polling):
    emulator = polling.emulator
    user = emulator.user(1101)
    user.send("Начать")
    await answered(user, "кто вы")
    records = polling.app.database.records
    person = await records.identify("vk", "1101", "1101")
    user.deny()
    user.press("Выпускник")  # a press still arrives; the reply cannot go (901)
    await _eventually(lambda: _blocked(records, person.id), True)
    await emulator.wait_for(lambda: any(c.error_code == 901 for c in emulator.calls_to("messages.send")))
    assert user.event_answers[-1] is not None  # the press itself was answered
    user.allow()
    await _eventually(lambda: _blocked(records, person.id), False)


async def test_a_901_on_send_marks_the_account_blocked(polling):
    user = polling.emulator.user(1201)
    polling.emulator.fail_next("messages.send", code=901, peer_id=1201)
    user.send("Начать")
    records = polling.app.database.records
    await polling.emulator.wait_for(lambda: polling.emulator.calls_to("messages.send"))
    person = await records.identify("vk", "1201", "1201")
    await _eventually(lambda: _blocked(records, person.id), True)


async def test_a_restart_mid_conversation_loses_nothing(emulator, database, database_url, clock):
    user = emulator.user(1501)
    async with _polling(emulator, database_url, clock):
        user.send("Начать")
        await answered(user, "кто вы")
        user.press("Выпускник")
        await answered(user, "Сколько вам лет")
    user.send("23")  # arrives while the bot is down
    async with _polling(emulator, database_url, clock):
        await answered(user, "Вы согласны?")
    assert user.texts.count(user.texts[-1]) == 1


async def test_long_poll_failures_are_followed(polling):
    emulator = polling.emulator
    user = emulator.user(1701)
    servers = len(emulator.calls_to("groups.getLongPollServer"))
    emulator.fail_long_poll(2, 3, 1)  # key expired, information lost (both: a new key), history outdated
    await emulator.wait_for(lambda: not emulator.state.lp_failures)
    user.send("Начать")
    await answered(user, "кто вы")
    user.press("Выпускник")
    await answered(user, "Сколько вам лет")
    assert len(emulator.calls_to("groups.getLongPollServer")) == servers + 2


async def _blocked(records, person_id: int) -> bool:
    accounts = await records.accounts_of(person_id)
    return accounts[0].blocked_at is not None


async def _eventually(check, expected, seconds: float = 5.0) -> None:
    async with asyncio.timeout(seconds):
        while await check() != expected:  # noqa: ASYNC110 - the store changes in the bot's task
            await asyncio.sleep(0.02)
