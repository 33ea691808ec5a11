"""VkSender against the emulator: VK's answers mapped to the relay's outcomes, never a retry of its own."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.vk.api import close_api, open_api
from bot.vk.sender import VkSender
from notifications.sender import Blocked, Delivered, Message, Rejected, Throttled, Transient
from tests.vk.conftest import TOKEN

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
STOP = (("🔕 Не присылать такие", "~stop:news"),)


@pytest.fixture
async def sender(emulator):
    api = open_api(TOKEN, emulator.api_url)
    yield VkSender(api, today=lambda: date(2026, 11, 23))
    await close_api(api)


async def test_a_message_is_delivered_with_its_stop_button_and_repeats_are_deduplicated(emulator, sender):
    user = emulator.user(11)
    user.send("привет")  # the community may write back
    message = Message("11", "Ярмарка вакансий\n\nВы получили это, потому что…", STOP)
    first = await sender.send(message)
    again = await sender.send(message)  # a relay re-sending after a crash, the same day
    assert isinstance(first, Delivered)
    assert first == again
    [sent] = user.messages
    assert json.loads(sent.rows[0][0]["action"]["payload"]) == {"t": "~stop:news"}


async def test_a_long_message_goes_in_parts_with_the_button_under_the_last(emulator, sender):
    user = emulator.user(12)
    user.send("привет")
    outcome = await sender.send(Message("12", "\n\n".join(["абв " * 400] * 4), STOP))
    assert isinstance(outcome, Delivered)
    assert len(user.messages) > 1
    assert [bool(m.rows) for m in user.messages] == [False] * (len(user.messages) - 1) + [True]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (901, Blocked),
        (902, Blocked),
        (18, Blocked),
        (7, Blocked),
        (6, Throttled),
        (29, Throttled),
        (9, Transient),
        (10, Transient),
        (911, Rejected),
        (100, Rejected),
    ],
)
async def test_errors_map_to_outcomes_and_nothing_is_retried(emulator, sender, code, expected):
    emulator.user(13).send("привет")
    emulator.fail_next("messages.send", code=code)
    outcome = await sender.send(Message("13", "Напоминание"))
    assert isinstance(outcome, expected)
    assert len(emulator.calls_to("messages.send")) == 1
    if expected is Throttled:
        assert outcome.retry_after == (1.0 if code == 6 else 600.0)


async def test_someone_who_never_wrote_is_blocked_and_a_dead_api_is_transient(emulator, sender):
    emulator.user(14)
    assert isinstance(await sender.send(Message("14", "Напоминание")), Blocked)
    await emulator.stop()
    assert isinstance(await sender.send(Message("14", "Напоминание")), Transient)
