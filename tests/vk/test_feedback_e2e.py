"""A ticket end to end through the VK transport and the VK API emulator: a person writes to the centre in
VK, an operator answers from the desk in VK, the relay delivers the answer signed by the centre (its
buttons as VK callback buttons), and the person rates it and adds a comment."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from backend_client.broadcasts import CLI
from bot.outreach import reaching_out
from bot.vk.sender import VkSender
from tests.vk.conftest import answered
from tests.vk.test_e2e import onboard_adult

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def test_a_ticket_written_answered_and_rated_in_vk(polling):
    app, emulator = polling.app, polling.emulator
    person = emulator.user(1971, "Пётр")
    await onboard_adult(person)
    person.send("/feedback")
    await answered(person, "прочитает сотрудник")
    person.send("Экскурсия на завод отменилась без предупреждения")
    await answered(person, "Записал (1)")
    person.send("Мы приехали, а там закрыто")
    await answered(person, "Записал (2)")
    person.press("Жалоба")
    await answered(person, "Показать сотруднику центра")
    person.press("Да, показать")
    opened = await answered(person, "принято")
    number = opened.split("№")[1].split(" ")[0]

    await app.database.broadcasts.grant_operator("vk", "1972", by="test")
    operator = emulator.user(1972, "Оператор")
    operator.send("/operator")
    await answered(operator, "Пульт оператора")
    operator.press("Обращения")
    await answered(operator, "Открытые обращения (1)")
    operator.press(f"Обращение №{number}")
    await answered(operator, "там закрыто")
    operator.press("Ответить")
    await answered(operator, "Напишите ответ")
    operator.send("Приносим извинения: перенесли на пятницу, пришлём приглашение.")
    await answered(operator, "отправлен")

    async with reaching_out(app, {"vk": VkSender(polling.vk.api)}):
        async with asyncio.timeout(10):
            while not person.seen("Ответ на ваше обращение"):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    answer = next(m for m in reversed(person.messages) if "Ответ на ваше обращение" in m.text)
    assert "перенесли на пятницу" in answer.text
    assert "Оператор" not in answer.text
    assert "1972" not in answer.text
    assert {"👍 Помогло", "👎 Не помогло", "✍️ Ответить центру"} <= set(answer.buttons)
    person.press("Не помогло")
    await answered(person, "Жаль, что не помогло")
    person.send("Хотелось бы узнать заранее")
    await answered(person, "передал")
    report = await app.database.feedback.feedback_report(CLI, timedelta(hours=24))
    assert (report.answered, report.not_useful, report.by_topic) == (1, 1, {"complaint": 1})
