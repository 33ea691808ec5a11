"""VK API failures and hostile input through the VK transport and the emulator: refused or dropped press
answers, dropped connections on send, presses and messages from group chats, and Callback API bodies too
deep or too large."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import pytest
from aiohttp import ClientSession

from bot.sent import Sent
from bot.vk.delivery import VkDelivery
from dialogs.texts import t
from dialogs.ui import Outcome, Reply
from tests.vk.conftest import SECRET, answered

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
APOLOGY = t("engine.apology")
GROUP_CHAT = 2_000_000_007


@pytest.mark.parametrize("disconnect", [False, True], ids=["refused", "dropped-until-given-up"])
async def test_a_failed_press_answer_never_stops_the_next_screen(running, disconnect):
    emulator = running.emulator
    user = emulator.user(2101)
    user.send("Начать")
    await answered(user, "кто вы")
    if disconnect:
        emulator.disconnect_next("messages.sendMessageEventAnswer", times=4)
    else:
        emulator.fail_next("messages.sendMessageEventAnswer", code=100)  # expired: handled late
    user.press("Выпускник")
    await answered(user, "Сколько вам лет")
    codes = [c.error_code for c in emulator.calls_to("messages.sendMessageEventAnswer")]
    assert codes == ([0] * 4 if disconnect else [100])
    assert all(p.body == "ok" for p in (emulator.callback.posted if emulator.callback else []))


async def test_a_dropped_connection_on_send_is_retried_and_the_real_reply_arrives(running):
    emulator = running.emulator
    user = emulator.user(2201)
    emulator.disconnect_next("messages.send")
    user.send("Начать")
    await answered(user, "кто вы")
    assert [c.error_code for c in emulator.calls_to("messages.send")] == [0, None]
    assert APOLOGY not in user.texts


async def test_send_reports_a_reply_it_could_not_deliver(polling):
    emulator = polling.emulator
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    delivery = VkDelivery(polling.vk.api, polling.app.database.records, "vk:1", backoff=0.5, sleep=sleep)
    user = emulator.user(2401)
    user.send("Привет")  # lets the community write
    await answered(user, "кто вы")
    outcome = Outcome((Reply("Вопрос дня"),))
    assert await delivery.send(2401, "2401", outcome, event_id="e1") is Sent.DELIVERED
    emulator.disconnect_next("messages.send", times=4)
    assert await delivery.send(2401, "2401", outcome, event_id="e2") is Sent.FAILED
    assert slept == [0.5, 1.0, 2.0]  # short doubling backoff, bounded
    assert user.texts[-2:] == ["Вопрос дня", APOLOGY]  # the apology is still tried
    emulator.fail_next("messages.send", code=901)
    assert await delivery.send(2401, "2401", outcome, event_id="e3") is Sent.BLOCKED


async def test_group_chats_get_nothing_and_their_presses_are_answered(running):
    emulator = running.emulator
    user = emulator.user(2501)
    user.send("Начать")
    await answered(user, "кто вы")
    payload = next(
        b["action"]["payload"]
        for row in user.messages[-1].rows
        for b in row
        if "Выпускник" in b["action"]["label"]
    )
    message = {"from_id": 2501, "peer_id": GROUP_CHAT, "text": "/mydata", "id": 0, "out": 0}
    emulator.inject_event("message_new", {"message": message, "client_info": {}})
    press = user.press_payload(json.loads(payload), peer_id=GROUP_CHAT)
    answer = emulator.state.events[press["object"]["event_id"]]
    await emulator.wait_for(lambda: answer.answer is not None)  # answered, so it stops spinning
    user.press("Выпускник")  # the engine never saw the group press: the button still works in private
    await answered(user, "Сколько вам лет")
    assert all(c.params.get("peer_id") != GROUP_CHAT for c in emulator.calls_to("messages.send"))


DEEP = b"[" * 100_000 + b"]" * 100_000
NESTED_EVENT = (
    (b'{"type": "message_new", "group_id": 1, "secret": "' + SECRET.encode() + b'", "object": ')
    + b'{"a": ' * 150
    + b"1"
    + b"}" * 151
)
LARGE = json.dumps(
    {"type": "message_new", "group_id": 1, "secret": SECRET, "padding": "x" * 600_000}
).encode()


async def _chunked(size: int) -> AsyncIterator[bytes]:
    """A body sent without Content-Length."""
    for _ in range(size // 65_536):
        yield b" " * 65_536


async def test_the_callback_refuses_deep_large_and_broken_bodies_without_a_traceback(callback, caplog):
    caplog.set_level(logging.INFO)
    before = len(callback.emulator.calls)
    headers = {"Content-Type": "application/json"}
    async with ClientSession() as session:
        for body, status in (
            (DEEP, 400),
            (NESTED_EVENT, 400),
            (LARGE, 413),
            (_chunked(1_000_000), 413),
            (b"{not json", 400),
            (b'{"type": "\xff"}', 400),
        ):
            async with session.post(callback.callback_url, data=body, headers=headers) as response:
                assert response.status == status
    assert len(callback.emulator.calls) == before  # nothing was handled
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
