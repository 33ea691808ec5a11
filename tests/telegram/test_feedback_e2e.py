"""A ticket end to end through the real aiogram bot and the Bot API emulator: a person writes to the
centre, an operator in another chat takes and answers it from the desk, the relay delivers the answer
signed by the centre, and the person rates it with the button under it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from backend_client.broadcasts import CLI
from bot.outreach import reaching_out
from bot.telegram.sender import TelegramSender
from tests.telegram.conftest import answered
from tests.telegram.test_e2e import onboard_adult

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def test_a_ticket_written_answered_and_rated(polling):
    app, emulator = polling.app, polling.emulator
    person = emulator.user(1961, "Оля")
    await onboard_adult(person)
    person.send("/feedback")
    await answered(person, "прочитает сотрудник")
    person.send("Не приходят напоминания о профтуре")
    await answered(person, "Записал (1)")
    person.tap("🐞 Ошибка в боте")
    await answered(person, "Показать сотруднику центра")
    person.tap("🙅 Нет, только текст")
    opened = await answered(person, "принято")
    number = opened.split("№")[1].split(" ")[0]

    await app.database.broadcasts.grant_operator("telegram", "1962", by="test")
    operator = emulator.user(1962, "Оператор")
    operator.send("/operator")
    await answered(operator, "Пульт оператора")
    operator.tap("📨 Обращения")
    await answered(operator, "Открытые обращения (1)")
    operator.tap(next(label for label in operator.buttons if f"№{number}" in label))
    await answered(operator, "Не приходят напоминания")
    operator.tap("🙋 Взять")
    await answered(operator, "теперь ваше")
    operator.tap("✍️ Ответить")
    await answered(operator, "Напишите ответ")
    operator.send("Проверили: напоминания снова приходят.")
    await answered(operator, "отправлен")

    async with reaching_out(app, {"telegram": TelegramSender(polling.telegram.bot)}):
        async with asyncio.timeout(10):
            while not person.seen("Ответ на ваше обращение"):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    answer = next(m for m in reversed(person.messages) if "Ответ на ваше обращение" in m.text)
    assert "Проверили: напоминания снова приходят." in answer.text
    assert "Оператор" not in answer.text
    assert "1962" not in answer.text
    labels = [button["text"] for row in answer.keyboard for button in row]
    assert labels[:3] == ["👍 Помогло", "👎 Не помогло", "✍️ Ответить центру"]
    person.tap("👍 Помогло", message_id=answer.message_id)
    await answered(person, "Спасибо за оценку")
    report = await app.database.feedback.feedback_report(CLI, timedelta(hours=24))
    assert (report.answered, report.useful, report.by_topic) == (1, 1, {"bot_error": 1})
