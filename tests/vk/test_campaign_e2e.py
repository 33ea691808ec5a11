"""The relay in the running VK bot: a campaign typed by an operator in VK reaches a VK person with the line
saying why it came and the «Не присылать такие» button, and that button works."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.outreach import reaching_out
from bot.vk.sender import VkSender
from tests.vk.conftest import answered
from tests.vk.test_e2e import onboard_adult

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def test_a_campaign_reaches_vk_with_why_and_a_working_stop_button(polling):
    app, emulator = polling.app, polling.emulator
    reader = emulator.user(1601, "Оля")
    await onboard_adult(reader)
    op = emulator.user(1602, "Оператор")
    await onboard_adult(op)
    await app.database.broadcasts.grant_operator("vk", "1602", by="test")

    op.send("/operator")
    await answered(op, "Пульт оператора")
    op.press("Новая рассылка")
    await answered(op, "Напишите текст рассылки")
    op.send("Ярмарка вакансий в субботу")
    await answered(op, "Получателей сейчас: 2")
    # 12 buttons: VK's inline keyboard holds 10, so the rest come under a second message
    await emulator.wait_for(lambda: "➡️ Далее" in op.buttons)
    op.press("Далее")
    await answered(op, "Когда отправить?")
    op.press("Сейчас")
    await answered(op, "Проверьте рассылку")
    op.press("Отправить")
    await answered(op, "Рассылка №1 создана")

    async with reaching_out(app, {"vk": VkSender(polling.vk.api)}):
        await app.database.broadcasts.start_due_campaigns()  # the sweep, without waiting for its interval
        async with asyncio.timeout(10):
            while not any("Ярмарка" in text for text in reader.texts):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    [message] = [m for m in reader.messages if "Ярмарка" in m.text]
    assert "Настроить: /settings" in message.text
    [[stop]] = message.rows
    assert stop["action"]["label"] == "🔕 Не присылать такие"
    assert json.loads(stop["action"]["payload"]) == {"t": "~stop:news"}
    assert message.random_id != 0

    reader.press("Не присылать такие")
    await answered(reader, "Больше не пришлю")
    assert reader.event_answers[-1] == {"type": "show_snackbar", "text": "Отключено"}
