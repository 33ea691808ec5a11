"""The spine's conversations through the VK transport and the VK API emulator, Long Poll and Callback API."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

from tests.vk.conftest import answered  # noqa: E402


async def onboard_adult(user) -> None:
    user.send("Начать")
    await answered(user, "Расскажите, кто вы")
    user.press("Выпускник")
    await answered(user, "Сколько вам лет")
    user.send("23")
    await answered(user, "Вы согласны?")
    user.press("Согласен")
    await answered(user, "Как к вам обращаться")


async def test_onboarding_and_profile_edit(running):
    user = running.emulator.user(501, "Олег")
    await onboard_adult(user)
    for answer, next_question in (
        ("Олег", "Где вы живёте"),
        ("Кинель", "Что вы окончили"),
        ("СамГТУ", "Специальность"),
        ("Информатика", "Чем вы увлекаетесь"),
    ):
        user.send(answer)
        await answered(user, next_question)
    user.press("Пропустить")
    await answered(user, "Когда вам удобнее")
    user.press("Пропустить")
    summary = await answered(user, "Ваш профиль")
    assert "Кинель" in summary
    user.press("Имя")
    await answered(user, "Как к вам обращаться")
    user.send("Олег Петрович")
    await answered(user, "Олег Петрович")
    # every button press was answered
    assert len(user.event_answers) == 5
    assert all(answer is not None for answer in user.event_answers)
