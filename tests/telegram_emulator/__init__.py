"""A Telegram Bot API emulator for end-to-end tests: the real aiogram client talks to it over loopback."""

from tests.telegram_emulator.emulator import ApiCall, SentDocument, TelegramEmulator, WebhookInfo
from tests.telegram_emulator.limits import ManualSeconds
from tests.telegram_emulator.user import EmulatedUser

__all__ = ["ApiCall", "EmulatedUser", "ManualSeconds", "SentDocument", "TelegramEmulator", "WebhookInfo"]
