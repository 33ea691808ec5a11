"""A Telegram Bot API emulator for tests: the real aiogram client talks to it over loopback HTTP.

Modules: ``emulator`` (the facade tests use), ``server`` (routes, envelopes, call log), ``methods`` (the
emulated Bot API methods), ``state`` (chats, transcripts, update queue), ``spec`` (parameter decoding and
the check against the Bot API spec), ``webhook`` (delivery), ``limits`` (rate limits), ``faults`` (scripted
errors), ``user`` (a person's side of a chat), ``errors`` (Telegram's wording).
"""

from tests.telegram_emulator.emulator import TelegramEmulator
from tests.telegram_emulator.errors import ApiError
from tests.telegram_emulator.limits import ManualSeconds
from tests.telegram_emulator.server import ApiCall
from tests.telegram_emulator.spec import DEFAULT_SPEC, BotApiSpec, Upload
from tests.telegram_emulator.state import SentDocument, SentMessage, WebhookInfo
from tests.telegram_emulator.user import EmulatedUser

__all__ = [
    "DEFAULT_SPEC",
    "ApiCall",
    "ApiError",
    "BotApiSpec",
    "EmulatedUser",
    "ManualSeconds",
    "SentDocument",
    "SentMessage",
    "TelegramEmulator",
    "Upload",
    "WebhookInfo",
]
