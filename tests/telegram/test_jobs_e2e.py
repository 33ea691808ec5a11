"""«Работа и стажировки» through the real aiogram bot and the Bot API emulator: free text into a search,
the card, applying with a message, and a week later «Работодатель ответил?» sent by the relay and
answered with its button."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from backend_client.vacancies.models import ApplicationStatus
from bot.outreach import reaching_out
from bot.telegram.sender import TelegramSender
from notifications.rules import apply_rule
from notifications.rules.application_follow_up import ApplicationFollowUpRule
from tests.flows.jobs_support import TRUDVSEM_URL, draft, put
from tests.telegram.conftest import answered
from tests.telegram.test_e2e import onboard_adult

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def test_find_apply_and_answer_the_follow_up(polling, clock):
    app, emulator = polling.app, polling.emulator
    await put(
        app.database,
        draft("Сварщик-монтажник", source="trudvsem", source_id="t1", source_url=TRUDVSEM_URL),
        draft("Сварщик 5 разряда", source_id="w5", experience_required=True),
    )
    user = emulator.user(1701, "Олег")
    await onboard_adult(user)
    user.send("/menu")
    await emulator.wait_for(lambda: "💼 Работа и стажировки" in user.buttons)
    user.send("ищу работу сварщиком в тольятти без опыта")
    found = await answered(user, "Нашлось вакансий: 1")
    assert "Сварщик-монтажник" in found
    assert "Сварщик 5 разряда" not in found
    user.tap("1. Сварщик-монтажник")
    card = await answered(user, "Источник: Работа России")
    assert TRUDVSEM_URL in card
    user.tap("Откликнуться")
    await answered(user, "Напишите короткое сообщение работодателю")
    user.send("Окончил колледж по сварке, готов выйти в понедельник.")
    done = await answered(user, "записан")
    assert TRUDVSEM_URL in done

    clock.advance(timedelta(days=7, hours=1))
    async with reaching_out(app, {"telegram": TelegramSender(polling.telegram.bot)}):
        await apply_rule(ApplicationFollowUpRule(app.database.vacancies), app.database.outbox, clock.now())
        async with asyncio.timeout(10):
            while not user.seen("Работодатель ответил?"):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    asked = next(m for m in reversed(user.messages) if "Работодатель ответил?" in m.text)
    labels = [button["text"] for row in asked.keyboard for button in row]
    assert labels == ["✅ Да, ответил", "❌ Нет ответа", "🔕 Не присылать такие"]
    user.tap("Да, ответил", message_id=asked.message_id)
    await answered(user, "Записал, что работодатель ответил")
    person = await app.database.records.identify("telegram", "1701", "1701")
    [application] = await app.database.vacancies.applications_of(person.id)
    assert application.status is ApplicationStatus.ANSWERED
    assert application.message == "Окончил колледж по сварке, готов выйти в понедельник."
