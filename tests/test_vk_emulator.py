"""The VK API emulator's own contract: VK's envelopes and error codes, the schema check, random_id
deduplication, keyboard and text limits, Long Poll ``failed`` answers, Callback API retries, rate limits."""

from __future__ import annotations

import json

import pytest
from aiohttp import ClientError, ClientSession, web
from vkbottle import VKAPIError

from bot.vk.api import call, close_api, open_api
from tests.vk_emulator import DEFAULT_SPEC, ManualSeconds, VkEmulator
from tests.vk_emulator import errors as vk_errors

TOKEN = "vk1.a.emulator-contract-token"


@pytest.fixture
async def vk():
    async with VkEmulator(TOKEN) as running:
        yield running


@pytest.fixture
async def api(vk):
    client = open_api(TOKEN, vk.api_url)
    yield client
    await close_api(client)


async def raw(vk, method: str, **params) -> dict:
    async with ClientSession() as session:
        query = {"access_token": params.pop("access_token", TOKEN), "v": "5.199"}
        async with session.post(f"{vk.api_url}{method}", params=query, data=params) as response:
            assert response.status == 200  # VK answers errors with HTTP 200 too
            return await response.json()


async def test_envelopes_for_success_a_wrong_token_and_an_unknown_method(vk):
    assert (await raw(vk, "groups.getById"))["response"]["groups"][0]["id"] == 1
    error = (await raw(vk, "groups.getById", access_token="wrong"))["error"]
    assert error["error_code"] == 5
    assert {"key": "method", "value": "groups.getById"} in error["request_params"]
    assert (await raw(vk, "messages.fly"))["error"]["error_code"] == 3


async def test_vkbottle_raises_vk_errors_by_code(vk, api):
    with pytest.raises(VKAPIError[901]):
        await call(api, "messages.send", peer_id=5, random_id=1, message="привет")


@pytest.mark.skipif(not DEFAULT_SPEC.exists(), reason="the VK schema is not beside the repository")
async def test_the_schema_refuses_unknown_missing_and_mistyped_parameters(vk):
    assert vk.spec.source == "schema"
    unknown = await raw(vk, "messages.send", peer_id="5", random_id="1", message="x", colour="red")
    assert unknown["error"]["error_code"] == 100
    assert "colour" in unknown["error"]["error_msg"]
    missing = await raw(vk, "groups.getLongPollServer")
    assert "group_id is a required parameter" in missing["error"]["error_msg"]
    mistyped = await raw(vk, "groups.getLongPollServer", group_id="one")
    assert mistyped["error"]["error_code"] == 100
    implemented_elsewhere = await raw(vk, "messages.pin", peer_id="5")
    assert implemented_elsewhere["error"]["error_code"] == 3


async def test_without_the_schema_the_builtin_table_still_checks():
    async with VkEmulator(TOKEN, spec_path=None) as vk:
        assert vk.spec.source == "builtin"
        assert (await raw(vk, "groups.getLongPollServer"))["error"]["error_code"] == 100
        unknown = await raw(vk, "messages.send", peer_id="5", random_id="1", message="x", colour="red")
        assert unknown["error"]["error_code"] == 100


async def test_random_id_deduplicates_and_who_may_be_written_to(vk, api):
    user = vk.user(5)
    with pytest.raises(VKAPIError[901]):  # never wrote: no permission
        await call(api, "messages.send", peer_id=5, random_id=7, message="привет")
    user.send("Начать")
    first = await call(api, "messages.send", peer_id=5, random_id=7, message="привет")
    again = await call(api, "messages.send", peer_id=5, random_id=7, message="привет")
    other = await call(api, "messages.send", peer_id=5, random_id=0, message="привет")
    assert first == again != other
    assert user.texts == ["привет", "привет"]
    with pytest.raises(VKAPIError[100]):  # random_id is required since 5.90
        await call(api, "messages.send", peer_id=5, message="привет")
    user.deny()
    with pytest.raises(VKAPIError[901]):
        await call(api, "messages.send", peer_id=5, random_id=8, message="привет")


def keyboard(rows: int, per_row: int, *, label: str = "Да", payload: str = '{"t":"x"}') -> str:
    button = {"action": {"type": "callback", "label": label, "payload": payload}}
    return json.dumps({"inline": True, "buttons": [[button] * per_row for _ in range(rows)]})


@pytest.mark.parametrize(
    ("markup", "code"),
    [
        (keyboard(2, 5), None),
        (keyboard(7, 1), 911),
        (keyboard(3, 4), 911),
        (keyboard(1, 6), 911),
        (keyboard(1, 1, label="x" * 41), 911),
        (keyboard(1, 1, payload=json.dumps("x" * 254)), 911),
        (keyboard(1, 1, payload="not json"), 911),
        ("{broken", 911),
    ],
)
async def test_keyboard_limits(vk, api, markup, code):
    vk.user(6).send("Начать")
    sent = call(api, "messages.send", peer_id=6, random_id=1, message="?", keyboard=markup)
    if code is None:
        assert await sent
    else:
        with pytest.raises(VKAPIError[code]):
            await sent


async def test_text_limit(vk, api):
    vk.user(7).send("Начать")
    await call(api, "messages.send", peer_id=7, random_id=1, message="я" * 4096)
    with pytest.raises(VKAPIError[914]):
        await call(api, "messages.send", peer_id=7, random_id=2, message="я" * 4097)


async def test_a_press_is_answered_once(vk, api):
    user = vk.user(8)
    event = user.press_payload({"t": "x"})
    press = event["object"]["event_id"]
    data = json.dumps({"type": "show_snackbar", "text": "Готово"})
    await call(api, "messages.sendMessageEventAnswer", event_id=press, user_id=8, peer_id=8, event_data=data)
    with pytest.raises(VKAPIError[100]):
        await call(api, "messages.sendMessageEventAnswer", event_id=press, user_id=8, peer_id=8)
    assert user.event_answers == [{"type": "show_snackbar", "text": "Готово"}]


async def test_a_press_in_a_group_chat_is_answered_with_the_chats_peer(vk, api):
    user = vk.user(10)
    press = user.press_payload({"t": "x"}, peer_id=2_000_000_001)["object"]["event_id"]
    with pytest.raises(VKAPIError[100]):  # not the person's dialog
        await call(api, "messages.sendMessageEventAnswer", event_id=press, user_id=10, peer_id=10)
    await call(api, "messages.sendMessageEventAnswer", event_id=press, user_id=10, peer_id=2_000_000_001)
    assert user.event_answers == [{}]


async def test_a_scripted_disconnect_drops_the_call_without_its_effect(vk, api):
    user = vk.user(11)
    user.send("Начать")
    vk.disconnect_next("messages.send")
    with pytest.raises(ClientError):
        await call(api, "messages.send", peer_id=11, random_id=1, message="потеряно")
    await call(api, "messages.send", peer_id=11, random_id=2, message="дошло")
    assert user.texts == ["дошло"]
    assert [c.error_code for c in vk.calls_to("messages.send")] == [0, None]


async def test_long_poll_key_ts_and_failures(vk, api):
    server = await call(api, "groups.getLongPollServer", group_id=1)
    user = vk.user(9)
    user.send("раз")

    async def check(**params):
        query = {"act": "a_check", "key": server["key"], "ts": server["ts"], "wait": "0"} | params
        async with ClientSession() as session, session.get(server["server"], params=query) as response:
            return await response.json()

    answer = await check()
    assert [e["type"] for e in answer["updates"]] == ["message_new"]
    assert answer["updates"][0]["object"]["message"]["text"] == "раз"
    assert (await check(ts=answer["ts"]))["updates"] == []
    assert await check(key="stale") == {"failed": 2}
    vk.forget_history()
    assert (await check())["failed"] == 1
    vk.fail_long_poll(3)
    assert await check(ts=answer["ts"]) == {"failed": 3}
    assert await check(ts=answer["ts"]) == {"failed": 2}  # the key changed


async def test_rate_limit_on_a_manual_clock():
    clock = ManualSeconds()
    async with VkEmulator(TOKEN, clock=clock, rate_limits=True) as vk:
        answers = [await raw(vk, "groups.getById") for _ in range(21)]
        assert [a.get("error", {}).get("error_code") for a in answers][-2:] == [None, 6]
        clock.advance(1.0)
        assert "response" in await raw(vk, "groups.getById")


async def test_the_callback_api_confirms_retries_and_gives_up(vk):
    seen: list[tuple[str | None, dict]] = []
    answers = iter(["not ok", "ok"])

    async def endpoint(request: web.Request) -> web.Response:
        body = await request.json()
        if body["type"] == "confirmation":
            return web.Response(text=vk.confirmation if body.get("secret") == "s" else "nope")
        seen.append((request.headers.get("X-Retry-Counter"), body))
        return web.Response(text=next(answers, "ok"))

    app = web.Application()
    app.router.add_post("/cb", endpoint)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/cb"
    try:
        assert not await vk.use_callback(url, "wrong")
        assert await vk.use_callback(url, "s")
        event = vk.user(10).send("привет")
        await vk.wait_for(lambda: len(seen) == 2)
        assert [counter for counter, _ in seen] == [None, "1"]
        assert all(body["secret"] == "s" and body["event_id"] == event["event_id"] for _, body in seen)
        assert vk.callback is not None
        assert [p.body for p in vk.callback.posted] == ["not ok", "ok"]
    finally:
        await runner.cleanup()


async def test_peer_ids_answer_per_person_with_errors_inside_a_success(vk, api):
    vk.user(11).send("Начать")
    vk.user(12)  # never wrote
    answer = await call(api, "messages.send", peer_ids="11,12", random_id=0, message="Всем привет")
    assert answer[0]["peer_id"] == 11
    assert "message_id" in answer[0]
    assert answer[1] == {"peer_id": 12, "error": {"code": 901, "description": vk_errors.MESSAGES[901]}}
