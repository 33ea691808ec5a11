"""``frontdoor run`` with a VK token: migrate, serve VK (and Telegram when its token is set too), and turn
start-up problems into the CLI's one-line errors (a refused token names the setting, never its value)."""

from __future__ import annotations

from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError
from aiohttp import ClientError
from vkbottle import VKAPIError

from bot.app import StartupError, migrate_database
from bot.settings import Settings, SettingsError
from bot.vk.runner import serve

AUTH_FAILED = 5


async def run_with_vk(settings: Settings) -> int:
    await migrate_database(settings.database.database_url)
    try:
        await serve(settings)
    except VKAPIError as error:
        if error.code == AUTH_FAILED:
            raise SettingsError("FRONTDOOR_VK_TOKEN was refused by VK (error 5)") from None
        raise StartupError(f"VK refused to start the bot: error {error.code}") from None
    except (ClientError, TimeoutError) as error:
        api = settings.vk.vk_api_url
        raise StartupError(f"cannot reach the VK API at {api}: {type(error).__name__}") from None
    except TelegramUnauthorizedError:
        raise SettingsError("FRONTDOOR_TELEGRAM_TOKEN was refused by Telegram (401 Unauthorized)") from None
    except TelegramNetworkError as error:
        api = settings.telegram.telegram_api_url
        raise StartupError(f"cannot reach the Telegram Bot API at {api}: {error.message}") from None
    return 0
