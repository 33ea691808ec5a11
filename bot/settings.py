"""Typed settings, one model per concern, read from the environment (prefix FRONTDOOR_) and ``.env``.

``load_settings()`` is called once by the entry point and the result is passed down; nothing here is
built at import time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_PLACEHOLDER_TOKENS = {"changeme", "change-me", "your-token-here", "token", "123456:abc", "<token>"}
_TOKEN_SHAPE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{5,}$")
_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class _Section(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FRONTDOOR_", env_file=".env", extra="ignore")


class DatabaseSettings(_Section):
    database_url: str = "sqlite:///var/frontdoor.db"


class StateSettings(_Section):
    state_backend: Literal["sql", "redis"] = "sql"
    redis_url: str | None = None


class TelegramSettings(_Section):
    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_webhook_url: str | None = None  # public https base URL; empty: long polling
    telegram_webhook_secret: SecretStr | None = None
    telegram_webhook_path: str = "/telegram/webhook"
    telegram_listen_host: str = "0.0.0.0"
    telegram_listen_port: int = 8080
    telegram_polling_timeout: int = 10  # seconds a getUpdates call waits; a graceful stop waits this long

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _secret_alphabet(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _SECRET_SHAPE.match(value.get_secret_value()):
            raise ValueError("FRONTDOOR_TELEGRAM_WEBHOOK_SECRET: 1-256 characters of A-Z a-z 0-9 _ -")
        return value

    @field_validator("telegram_token")
    @classmethod
    def _real_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        token = value.get_secret_value().strip()
        if token.lower() in _PLACEHOLDER_TOKENS or token.lower().startswith("123456:abc"):
            raise ValueError("FRONTDOOR_TELEGRAM_TOKEN is a placeholder: put the token from @BotFather")
        if not _TOKEN_SHAPE.match(token):
            raise ValueError("FRONTDOOR_TELEGRAM_TOKEN does not look like a bot token (digits:letters)")
        return SecretStr(token)


class RegionSettings(_Section):
    timezone: str = "Europe/Samara"
    operator_name: str = "Региональный центр профориентации и содействия занятости молодёжи Самарской области"
    operator_contact: str = "pd@frontdoor.example"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}, e.g. Europe/Samara") from None
        return value


class LoggingSettings(_Section):
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


@dataclass(frozen=True, slots=True)
class Settings:
    database: DatabaseSettings
    state: StateSettings
    telegram: TelegramSettings
    region: RegionSettings
    logging: LoggingSettings

    def with_database(self, url: str) -> Settings:
        """The same settings against another database (``--database``, tests, benchmarks)."""
        return replace(self, database=self.database.model_copy(update={"database_url": url}))


class SettingsError(ValueError):
    """The configuration cannot work; the message says which key to fix."""


def load_settings() -> Settings:
    settings = Settings(
        database=DatabaseSettings(),
        state=StateSettings(),
        telegram=TelegramSettings(),
        region=RegionSettings(),
        logging=LoggingSettings(),
    )
    if settings.state.state_backend == "redis" and not settings.state.redis_url:
        raise SettingsError("FRONTDOOR_STATE_BACKEND=redis needs FRONTDOOR_REDIS_URL")
    if settings.telegram.telegram_webhook_url and settings.telegram.telegram_webhook_secret is None:
        raise SettingsError("FRONTDOOR_TELEGRAM_WEBHOOK_URL needs FRONTDOOR_TELEGRAM_WEBHOOK_SECRET")
    return settings
