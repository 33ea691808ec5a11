"""A whole career test through the real aiogram bot and the Bot API emulator: buttons, typed answers,
a pause, and the result with professions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dialogs.career.instruments import ChoiceItem, instruments
from tests.telegram.conftest import answered
from tests.telegram.test_e2e import onboard_adult

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def test_klimov_test_end_to_end(polling, clock):
    user = polling.emulator.user(1501, "Аня")
    await onboard_adult(user)
    user.send("/tests")
    await answered(user, "Тесты помогут понять")
    user.tap("Быстрый тест")
    await answered(user, "Вопрос 1 из 20")
    klimov = instruments()["klimov"]
    for index, item in enumerate(klimov.items):
        assert isinstance(item, ChoiceItem)
        clock.advance(timedelta(seconds=4))  # reading the question: answers faster than that are flagged
        key = (
            next(n for n, c in enumerate(item.choices, 1) if c.scale == "signs")
            if any(c.scale == "signs" for c in item.choices)
            else 1
        )
        if index == 0:
            user.tap(item.choices[key - 1].text)
        else:
            user.send(str(key))
        if index == 9:
            await answered(user, "Вопрос 11 из 20")
            user.tap("Пауза")
            await answered(user, "Ответы сохранены (10 из 20)")
            user.tap("Продолжить")
            await answered(user, "Вопрос 11 из 20")
        elif index < klimov.count - 1:
            await answered(user, f"Вопрос {index + 2} из 20")
    result = await answered(user, "Человек — знаковая система — 8 из 8")
    assert "Почему: из пар вы выбрали" in result
    professions = await answered(user, "Профессии, на которые стоит посмотреть")
    assert "Программист" in professions
    assert "самоисследование, а не диагноз" in professions
