"""Vacancy alerts through the VK transport and the VK API emulator: «Подписаться на такие вакансии» under
a search, six vacancies arriving, and the relay's alert whose buttons do not fit one VK keyboard — the
rest, «Не присылать такие» included, come under a «…» message — then «показать все» and «Изменить»."""

from __future__ import annotations

import asyncio

import pytest

from bot.outreach import reaching_out
from bot.vk.sender import VkSender
from tests.flows.jobs_support import draft, put
from tests.vk.conftest import answered
from tests.vk.test_e2e import onboard_adult

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def test_subscribe_under_a_search_and_use_the_alert(polling, clock):
    app, emulator = polling.app, polling.emulator
    await put(app.database, draft("Сварщик", source_id="w0"))
    user = emulator.user(1902, "Пётр")
    await onboard_adult(user)
    user.send("/menu")
    await emulator.wait_for(lambda: "💼 Работа и стажировки" in user.buttons)
    user.press("Работа и стажировки")
    await answered(user, "Напишите, что ищете")
    user.send("сварщик")
    await answered(user, "Нашлось вакансий: 1")
    user.press("Подписаться на такие вакансии")
    await answered(user, "Что присылать: «сварщик»")
    user.press("Раз в день")
    await answered(user, "Присылаю раз в день, в 18:00")

    await put(app.database, *(draft(f"Сварщик {n}", source_id=f"w{n}") for n in range(1, 7)))
    clock.set(clock.now().replace(hour=14, minute=0))  # 18:00 in Samara: the daily alert is due
    async with reaching_out(app, {"vk": VkSender(polling.vk.api)}):
        async with asyncio.timeout(10):
            while not user.seen("Новые вакансии по подписке"):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            while not any("🔕 Не присылать такие" in m.buttons for m in user.messages):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    alert = next(m for m in reversed(user.messages) if "Новые вакансии по подписке" in m.text)
    assert "…и ещё 1" in alert.text
    assert alert.buttons[5:] == ["📋 И ещё 1 — показать все"]  # six rows: VK's most for one keyboard
    rest = next(m for m in reversed(user.messages) if "🔕 Не присылать такие" in m.buttons)
    assert rest.text == "…"
    assert rest.buttons == [
        "👍 Подходит",
        "👎 Не то",
        "✏️ Изменить подписку",
        "🔕 Отписаться",
        "🔕 Не присылать такие",
    ]
    user.press("показать все")
    await answered(user, "Вакансии из подборки")
    user.press("Изменить подписку")
    await answered(user, "Присылаю: раз в день, в 18:00.")
