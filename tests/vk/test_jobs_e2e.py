"""«Подработка» through the VK transport and the VK API emulator: a 15-year-old finds only lawful work, reads
the limits of their age on the card, applies without a message, and a week later answers «Нет ответа»
under the relay's «Работодатель ответил?»."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest

from backend_client.vacancies.models import ApplicationStatus
from bot.outreach import reaching_out
from bot.vk.sender import VkSender
from notifications.rules import apply_rule
from notifications.rules.application_follow_up import ApplicationFollowUpRule
from tests.flows.jobs_support import ADULT_ONLY_NIGHT, SAMARA, draft, put, teen_job
from tests.vk.conftest import answered

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def onboard_pupil(user, age: str) -> None:
    user.send("Начать")
    await answered(user, "Расскажите, кто вы")
    user.press("Школьник")
    await answered(user, "Сколько вам лет")
    user.send(age)
    await answered(user, "Вы согласны?")
    user.press("Согласен")
    await answered(user, "Как к вам обращаться")
    user.send("/menu")


async def test_a_teen_finds_lawful_work_applies_and_answers_the_follow_up(polling, clock):
    app, emulator = polling.app, polling.emulator
    await put(
        app.database,
        draft("Ночной продавец", municipality=SAMARA, **ADULT_ONLY_NIGHT),
        teen_job("Помощник вожатого"),
    )
    user = emulator.user(1801, "Ира")
    await onboard_pupil(user, "15")
    await emulator.wait_for(lambda: "💼 Подработка" in user.buttons)
    assert "💼 Работа и стажировки" not in user.buttons
    user.press("Подработка")
    await answered(user, "только вакансии, которые по закону можно")
    user.press("Все вакансии")
    found = await answered(user, "Нашлось вакансий: 1")
    assert "Помощник вожатого" in found
    assert "Ночной продавец" not in found
    user.press("1. Помощник вожатого")
    card = await answered(user, "Для вашего возраста по закону")
    assert "не больше 2,5 ч в день и 12 ч в неделю" in card  # 15, school year (ст. 92, 94)
    user.press("Откликнуться")
    await answered(user, "Напишите короткое сообщение")
    user.press("Пропустить")
    done = await answered(user, "записан")
    assert "медосмотр" in done

    clock.advance(timedelta(days=7, hours=1))
    async with reaching_out(app, {"vk": VkSender(polling.vk.api)}):
        await apply_rule(ApplicationFollowUpRule(app.database.vacancies), app.database.outbox, clock.now())
        async with asyncio.timeout(10):
            while not user.seen("Работодатель ответил?"):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    asked = next(m for m in reversed(user.messages) if m.buttons)
    assert asked.buttons == ["✅ Да, ответил", "❌ Нет ответа", "🔕 Не присылать такие"]
    no = next(b for row in asked.rows for b in row if b["action"]["label"] == "❌ Нет ответа")
    assert json.loads(no["action"]["payload"])["t"].startswith("~followup:")
    user.press("Нет ответа")
    await answered(user, "работодатели отвечают не всем")
    person = await app.database.records.identify("vk", "1801", "1801")
    [application] = await app.database.vacancies.applications_of(person.id)
    assert application.status is ApplicationStatus.NO_ANSWER
