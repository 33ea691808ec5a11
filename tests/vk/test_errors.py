"""``bot.vk.errors``: one verdict per VK error code, shared by the delivery and the relay's sender
(PLATFORMS.md §3.3, §7.3); and the delivery acting on the shared verdicts."""

from __future__ import annotations

import pytest
from aiohttp import ClientConnectionError
from vkbottle import VKAPIError

from bot.sent import Sent
from bot.vk.delivery import VkDelivery
from bot.vk.errors import Kind, classify
from bot.vk.sender import VkSender
from dialogs.ui import Outcome, Reply
from notifications.sender import Blocked, Message
from tests.vk.conftest import answered

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

VERDICTS = {
    Kind.BLOCKED: (7, 18, 113, 900, 901, 902, 917, 936, 945, 946),
    Kind.RETRY_AFTER: (6, 29),
    Kind.TRANSIENT: (1, 9, 10),
    Kind.REFUSED: (5, 15, 100, 911, 912, 914),
}


@pytest.mark.parametrize(
    ("code", "kind"), [(code, kind) for kind, codes in VERDICTS.items() for code in codes]
)
def test_every_code_has_one_verdict(code, kind):
    failure = classify(VKAPIError[code](error_msg="why"))
    assert failure.kind is kind
    assert failure.reason == f"{code}: why"


def test_pauses_and_network_failures():
    assert classify(VKAPIError[6](error_msg="")).retry_after == 1.0
    assert classify(VKAPIError[29](error_msg="")).retry_after == 600.0
    assert classify(ClientConnectionError()).kind is Kind.TRANSIENT
    assert classify(TimeoutError()).reason == "TimeoutError"


@pytest.mark.parametrize("code", [113, 936, 945, 946, 917])
async def test_a_gone_chat_is_blocked_for_the_delivery_as_for_the_sender(polling, code):
    emulator = polling.emulator
    delivery = VkDelivery(polling.vk.api, polling.app.database.records, "vk:1", backoff=0)
    user = emulator.user(2601)
    user.send("Привет")
    await answered(user, "кто вы")
    emulator.fail_next("messages.send", code=code)
    outcome = Outcome((Reply("Вопрос дня"),))
    assert await delivery.send(2601, "2601", outcome, event_id="e1") is Sent.BLOCKED
    emulator.fail_next("messages.send", code=code)
    assert isinstance(await VkSender(polling.vk.api).send(Message("2601", "Напоминание")), Blocked)


async def test_the_delivery_retries_a_short_pause_and_gives_up_on_a_long_one(polling):
    emulator = polling.emulator
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    delivery = VkDelivery(polling.vk.api, polling.app.database.records, "vk:1", backoff=0.5, sleep=sleep)
    user = emulator.user(2602)
    user.send("Привет")
    await answered(user, "кто вы")
    outcome = Outcome((Reply("Вопрос дня"),))
    for code in (6, 1):  # too many requests per second; unknown error
        emulator.fail_next("messages.send", code=code)
        assert await delivery.send(2602, "2602", outcome, event_id=f"e{code}") is Sent.DELIVERED
    assert slept == [0.5, 0.5]
    emulator.fail_next("messages.send", code=29)  # the method's quota: hours, not seconds
    assert await delivery.send(2602, "2602", outcome, event_id="e29") is Sent.FAILED
    assert slept == [0.5, 0.5]
