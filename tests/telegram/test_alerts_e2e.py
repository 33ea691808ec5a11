"""Vacancy alerts through the real aiogram bot and the Bot API emulator: a subscription from free text,
vacancies imported (one closing before the alert goes), the relay's alert with its buttons, a vacancy
opened from it, and «Отписаться» with its reason."""

from __future__ import annotations

import asyncio

import pytest

from bot.outreach import reaching_out
from bot.telegram.sender import TelegramSender
from tests.flows.jobs_support import SAMARA, close, draft, put
from tests.telegram.conftest import answered
from tests.telegram.test_e2e import onboard_adult

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def test_subscribe_receive_open_and_unsubscribe(polling, clock):
    app, emulator = polling.app, polling.emulator
    user = emulator.user(1901, "Оля")
    await onboard_adult(user)
    user.send("/menu")
    await emulator.wait_for(lambda: "💼 Работа и стажировки" in user.buttons)
    user.send("пиши мне, если появится работа поваром в самаре")
    await answered(user, "Что присылать: «повар» · Самара")
    user.tap("Сразу, как появятся")
    await answered(user, "Подписка сохранена")

    hot = draft("Повар горячего цеха", source_id="c1", municipality=SAMARA)
    pastry = draft("Повар-кондитер", source_id="c2", municipality=SAMARA)
    await put(app.database, hot, pastry, draft("Повар", source_id="c3"))  # the last one is in Тольятти
    await close(app.database, pastry)  # closed before the alert went out: dropped from it
    async with reaching_out(app, {"telegram": TelegramSender(polling.telegram.bot)}):
        async with asyncio.timeout(10):
            while not user.seen("Новые вакансии по подписке"):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    alert = next(m for m in reversed(user.messages) if "Новые вакансии по подписке" in m.text)
    assert "1. Повар горячего цеха — ООО «Волга-Металл»" in alert.text
    assert "Повар-кондитер" not in alert.text
    assert "Тольятти" not in alert.text
    labels = [button["text"] for row in alert.keyboard for button in row]
    assert labels == [
        "1. Повар горячего цеха",
        "👍 Подходит",
        "👎 Не то",
        "✏️ Изменить подписку",
        "🔕 Отписаться",
        "🔕 Не присылать такие",
    ]
    user.tap("1. Повар горячего цеха", message_id=alert.message_id)
    card = await answered(user, "Источник")
    assert card.startswith("💼 Повар горячего цеха")
    user.tap("👍 Подходит", message_id=alert.message_id)
    await answered(user, "Буду чаще присылать похожие")
    user.tap("🔕 Отписаться", message_id=alert.message_id)
    await answered(user, "Вы отписались")
    user.tap("Присылали не то")
    await answered(user, "Спасибо, что рассказали")
    person = await app.database.records.identify("telegram", "1901", "1901")
    assert await app.database.vacancy_alerts.saved_searches(person.id) == []
