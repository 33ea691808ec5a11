"""The operator's desk and the relay in the running bot: a campaign typed in Telegram reaches people."""

from __future__ import annotations

import asyncio

import pytest
from aiogram.types import BotCommandScopeChat

from bot.outreach import reaching_out
from bot.telegram.runner import register_commands, telegram_operators
from bot.telegram.sender import TelegramSender
from tests.telegram.conftest import answered
from tests.telegram.test_e2e import onboard_adult

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def test_a_campaign_from_the_desk_is_delivered_with_why_and_stop(polling):
    app = polling.app
    reader = polling.emulator.user(1601, "Оля")
    await onboard_adult(reader)
    op = polling.emulator.user(1602, "Оператор")
    await onboard_adult(op)
    await app.database.broadcasts.grant_operator("telegram", "1602", by="test")
    stranger = polling.emulator.user(1603, "Гость")
    await onboard_adult(stranger)
    stranger.send("/operator")
    await answered(stranger, "Такой команды я не знаю")

    op.send("/operator")
    await answered(op, "Пульт оператора")
    op.tap("Новая рассылка")
    await answered(op, "Напишите текст рассылки")
    op.send("Ярмарка вакансий в субботу")
    await answered(op, "Получателей сейчас: 3")
    op.tap("Далее")
    await answered(op, "Когда отправить?")
    op.tap("Сейчас")
    await answered(op, "Проверьте рассылку")
    op.tap("Отправить")
    await answered(op, "Рассылка №1 создана")

    async with reaching_out(app, {"telegram": TelegramSender(polling.telegram.bot)}):
        await app.database.broadcasts.start_due_campaigns()  # the sweep, without waiting for its interval
        for _ in range(200):
            if any("Ярмарка" in m.get("text", "") for m in polling.emulator.transcript(1601)):
                break
            await asyncio.sleep(0.05)
    [message] = [m for m in polling.emulator.transcript(1601) if "Ярмарка" in m.get("text", "")]
    assert "Настроить: /settings" in message["text"]
    assert message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "~stop:news"


async def test_operators_see_the_desk_in_their_own_command_menu(polling):
    app, bot = polling.app, polling.telegram.bot
    await app.database.broadcasts.grant_operator("telegram", "1701", by="test")
    await app.database.broadcasts.grant_operator("vk", "1702", by="test")  # another messenger's account
    await register_commands(bot, await telegram_operators(app))

    everyone = [c.command for c in await bot.get_my_commands()]
    operator = [c.command for c in await bot.get_my_commands(scope=BotCommandScopeChat(chat_id=1701))]
    stranger = await bot.get_my_commands(scope=BotCommandScopeChat(chat_id=1702))
    assert "operator" not in everyone
    assert "start" in everyone
    assert operator == [*everyone, "invite_graduates", "plan", "operator"]
    assert stranger == []  # no menu of its own: Telegram shows the default one
