"""Typed settings, one model per concern, read from the environment (prefix FRONTDOOR_) and ``.env``.

``load_settings()`` is called once by the entry point and the result is passed down; nothing here is
built at import time. Empty values (``FRONTDOOR_REDIS_URL=`` in a copied ``.env.example``) mean "not set".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "FRONTDOOR_"
DEFAULT_DATABASE_URL = "sqlite:///var/frontdoor.db"  # relative to the working directory

# Drivers the store can open: plain sqlite runs inline (the fast default), aiosqlite on a worker thread,
# and "postgresql" means asyncpg.
_DATABASE_DRIVERS = {"sqlite", "sqlite+pysqlite", "sqlite+aiosqlite", "postgresql", "postgresql+asyncpg"}
_DATABASE_URL = re.compile(r"^(?P<driver>[A-Za-z0-9_+]+)://")
_REDIS_SCHEMES = {"redis", "rediss", "unix"}

# Values people leave in by mistake: templates, and the example token from Telegram's own docs.
_PLACEHOLDER_TOKENS = {
    "changeme",
    "change-me",
    "change_me",
    "your-token-here",
    "your_token_here",
    "your-bot-token",
    "token",
    "<token>",
    "xxx",
}
_DOCS_EXAMPLE_TOKEN = "123456:abc"
_TOKEN_SHAPE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{5,}$")
_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_VK_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9._-]{16,512}$")


class _Section(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
    )


class DatabaseSettings(_Section):
    database_url: str = DEFAULT_DATABASE_URL

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        # The URL itself is never echoed back: it may carry a password.
        example = "use sqlite:///var/frontdoor.db or postgresql+asyncpg://user:password@host:5432/db"
        shape = _DATABASE_URL.match(value.strip())
        if shape is None:
            raise ValueError(f"not a database URL; {example}")
        driver = shape["driver"].lower()
        if driver not in _DATABASE_DRIVERS:
            raise ValueError(f"unsupported database driver {driver!r}; {example}")
        return value.strip()


class StateSettings(_Section):
    state_backend: Literal["sql", "redis"] = "sql"

    @field_validator("state_backend", mode="before")
    @classmethod
    def _lower_case(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value


class RedisSettings(_Section):
    redis_url: str | None = None
    # A Redis without an append-only file forgets every conversation and receipt when it restarts;
    # start on one only when the operator says so.
    redis_allow_volatile: bool = False

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value.strip()).scheme not in _REDIS_SCHEMES:
            raise ValueError("not a Redis URL; use redis://host:6379/0 (or rediss://, unix://)")
        return value.strip() if value else None


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
            raise ValueError("1-256 characters of A-Z a-z 0-9 _ - (Telegram's alphabet for secret tokens)")
        return value

    @field_validator("telegram_token")
    @classmethod
    def _real_token(cls, value: SecretStr | None) -> SecretStr | None:
        token = value.get_secret_value().strip() if value is not None else ""
        if not token:
            return None
        lowered = token.lower()
        if lowered in _PLACEHOLDER_TOKENS or lowered.startswith(_DOCS_EXAMPLE_TOKEN):
            raise ValueError("this is a placeholder; put the token @BotFather gave you (or leave it empty)")
        if not _TOKEN_SHAPE.match(token):
            raise ValueError("does not look like a bot token (digits, a colon, then letters, digits, _ or -)")
        return SecretStr(token)


class VkSettings(_Section):
    vk_token: SecretStr | None = None  # a community token with the "messages" right
    vk_group_id: int | None = None  # empty: the token's own community (groups.getById)
    vk_api_url: str = "https://api.vk.com/method"
    vk_callback_url: str | None = None  # the public URL set in the community's Callback API settings
    vk_callback_secret: SecretStr | None = None
    vk_callback_confirmation: str | None = None  # empty: asked with groups.getCallbackConfirmationCode
    vk_callback_path: str = "/vk/callback"
    vk_listen_host: str = "0.0.0.0"
    vk_listen_port: int = 8081
    vk_polling_wait: int = 25  # seconds an a_check long poll waits (VK allows up to 90)

    @field_validator("vk_token")
    @classmethod
    def _real_vk_token(cls, value: SecretStr | None) -> SecretStr | None:
        token = value.get_secret_value().strip() if value is not None else ""
        if not token:
            return None
        if token.lower() in _PLACEHOLDER_TOKENS:
            raise ValueError("this is a placeholder; put the community's access token (or leave it empty)")
        if not _VK_TOKEN_SHAPE.match(token):
            raise ValueError("does not look like a VK access token (letters, digits, '.', '_' or '-')")
        return SecretStr(token)

    @field_validator("vk_api_url", "vk_callback_url")
    @classmethod
    def _vk_http_url(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value.strip()).scheme not in ("http", "https"):
            raise ValueError("not an http(s) URL")
        return value.strip() if value is not None else None

    @field_validator("vk_polling_wait")
    @classmethod
    def _vk_wait(cls, value: int) -> int:
        if not 1 <= value <= 90:
            raise ValueError("1-90 seconds (VK's long poll limit)")
        return value


class RegionSettings(_Section):
    timezone: str = "Europe/Samara"
    operator_name: str = "Региональный центр профориентации и содействия занятости молодёжи Самарской области"
    operator_contact: str = "pd@frontdoor.example"
    # Accounts granted the operator role at every start, e.g. "telegram:123456 telegram:654321"
    # (more can be granted with `frontdoor operator grant`; removing one here does not revoke it).
    operators: str = ""
    nudge_after_hours: float = 24.0  # one nudge to people who stopped half-way through onboarding

    @field_validator("operators")
    @classmethod
    def _accounts(cls, value: str) -> str:
        for item in value.replace(",", " ").split():
            channel, _, account = item.partition(":")
            if not channel or not account:
                raise ValueError("operators are CHANNEL:ID separated by spaces or commas, e.g. telegram:123")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/Samara") from None
        return value


class LoggingSettings(_Section):
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @property
    def chosen(self) -> bool:
        """Whether FRONTDOOR_LOG_LEVEL was set, rather than left at its default."""
        return "log_level" in self.model_fields_set


class HealthSettings(_Section):
    # /healthz answers 503 when a background loop (the relay, the scheduler's lease, a sweep) has not
    # completed a pass for this many seconds (plus its own interval).
    health_stale_after: float = 180.0

    @field_validator("health_stale_after")
    @classmethod
    def _sensible(cls, value: float) -> float:
        if not 10 <= value <= 86_400:
            raise ValueError("must be between 10 and 86400 seconds")
        return value


class NluSettings(_Section):
    nlu_backend: Literal["embedded", "rasa", "off"] = "embedded"
    nlu_cache_dir: str = "var/nlu"  # the trained embedded model, relative to the working directory
    nlu_rasa_url: str | None = None  # e.g. http://rasa:5005
    nlu_rasa_token: SecretStr | None = None  # Rasa's --auth-token, sent as ?token=
    nlu_rasa_timeout: float = 2.0  # seconds; a slower answer counts as "not understood"
    nlu_high: float = 0.6  # calibrated confidence at or above which the intent's flow starts
    nlu_low: float = 0.3  # at or above: «Вы имели в виду…?»; below: an honest "I cannot help with that"

    @field_validator("nlu_backend", mode="before")
    @classmethod
    def _lower_backend(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("nlu_rasa_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value.strip()).scheme not in ("http", "https"):
            raise ValueError("not an http(s) URL; use http://host:5005")
        return value.strip().rstrip("/") if value else None

    @field_validator("nlu_high", "nlu_low", "nlu_rasa_timeout")
    @classmethod
    def _positive(cls, value: float) -> float:
        if not 0 < value <= 60:
            raise ValueError("must be above 0 (confidences at most 1, the timeout at most 60 s)")
        return value


class RateLimitSettings(_Section):
    """Per person (conversation), per instance: a token bucket (dialogs.flood explains the defaults)."""

    rate_limit_burst: int = 20  # messages and presses at once; 0 turns the limit off
    rate_limit_per_second: float = 2.0  # sustained

    @field_validator("rate_limit_burst")
    @classmethod
    def _burst(cls, value: int) -> int:
        if not 0 <= value <= 10_000:
            raise ValueError("must be between 0 (no limit) and 10000")
        return value

    @field_validator("rate_limit_per_second")
    @classmethod
    def _rate(cls, value: float) -> float:
        if not 0 < value <= 1000:
            raise ValueError("must be above 0 and at most 1000")
        return value


class TrudvsemSettings(_Section):
    """«Работа России» open data for ``frontdoor vacancies import trudvsem``."""

    trudvsem_url: str = "https://opendata.trudvsem.ru/api/v1"
    trudvsem_region: str = "63"  # 2-digit or 13-digit region code
    trudvsem_delay: float = 1.0  # seconds between requests: the API is slow and public
    trudvsem_timeout: float = 60.0  # seconds for one page; a slower one is asked again
    trudvsem_attempts: int = 4  # per page, with backoff, before the pull stops with an error
    # The running bot's scheduler pulls by itself: changes every hour, the whole region once a night at
    # this local hour (closing what the source no longer lists). Off by default: a demo has no network.
    trudvsem_schedule: bool = False
    trudvsem_full_hour: int = 3

    @field_validator("trudvsem_url")
    @classmethod
    def _trudvsem_http(cls, value: str) -> str:
        if urlsplit(value.strip()).scheme not in ("http", "https"):
            raise ValueError("not an http(s) URL")
        return value.strip().rstrip("/")

    @field_validator("trudvsem_region")
    @classmethod
    def _region_code(cls, value: str) -> str:
        if not (value.strip().isdigit() and len(value.strip()) in (2, 13)):
            raise ValueError("a region code is 2 or 13 digits, e.g. 63 or 6300000000000")
        return value.strip()

    @field_validator("trudvsem_delay", "trudvsem_timeout")
    @classmethod
    def _trudvsem_seconds(cls, value: float) -> float:
        if not 0 <= value <= 600:
            raise ValueError("must be between 0 and 600 seconds")
        return value

    @field_validator("trudvsem_attempts")
    @classmethod
    def _trudvsem_attempts(cls, value: int) -> int:
        if not 1 <= value <= 10:
            raise ValueError("must be between 1 and 10")
        return value

    @field_validator("trudvsem_full_hour")
    @classmethod
    def _trudvsem_hour(cls, value: int) -> int:
        if not 0 <= value <= 23:
            raise ValueError("an hour of the day, 0 to 23")
        return value


class FeedbackSettings(_Section):
    """«Обратная связь»: the centre's contacts (/help lists them) and the target time to a first answer."""

    feedback_phone: str = "+7 (846) 200-00-00"
    feedback_email: str = "centr@frontdoor.example"
    feedback_address: str = "г. Самара, ул. Примерная, 1"
    feedback_hours: str = "пн–пт 9:00–18:00"
    feedback_answer_hours: float = 24.0  # a ticket unanswered for longer is flagged overdue

    @field_validator("feedback_phone", "feedback_email", "feedback_address", "feedback_hours")
    @classmethod
    def _contact(cls, value: str) -> str:
        if not value.strip() or len(value) > 200:
            raise ValueError("must be 1 to 200 characters")
        return value.strip()

    @field_validator("feedback_answer_hours")
    @classmethod
    def _answer_hours(cls, value: float) -> float:
        if not 0 < value <= 24 * 30:
            raise ValueError("must be more than 0 and at most 720 hours")
        return value


class SettingsError(ValueError):
    """The configuration cannot work; the message names the key to fix."""


@dataclass(frozen=True, slots=True)
class Settings:
    database: DatabaseSettings
    state: StateSettings
    redis: RedisSettings
    telegram: TelegramSettings
    region: RegionSettings
    logging: LoggingSettings
    nlu: NluSettings = field(default_factory=NluSettings)
    vk: VkSettings = field(default_factory=VkSettings)
    rate_limit: RateLimitSettings = field(default_factory=RateLimitSettings)
    health: HealthSettings = field(default_factory=HealthSettings)
    trudvsem: TrudvsemSettings = field(default_factory=TrudvsemSettings)
    feedback: FeedbackSettings = field(default_factory=FeedbackSettings)

    def __post_init__(self) -> None:
        # Checks that span two sections; __post_init__ also runs for every ``replace``.
        if self.state.state_backend == "redis" and not self.redis.redis_url:
            raise SettingsError(f"{ENV_PREFIX}STATE_BACKEND=redis needs {ENV_PREFIX}REDIS_URL")
        if self.telegram.telegram_webhook_url and self.telegram.telegram_webhook_secret is None:
            raise SettingsError(f"{ENV_PREFIX}TELEGRAM_WEBHOOK_URL needs {ENV_PREFIX}TELEGRAM_WEBHOOK_SECRET")
        if self.vk.vk_callback_url and self.vk.vk_callback_secret is None:
            raise SettingsError(f"{ENV_PREFIX}VK_CALLBACK_URL needs {ENV_PREFIX}VK_CALLBACK_SECRET")
        if self.nlu.nlu_backend == "rasa" and not self.nlu.nlu_rasa_url:
            raise SettingsError(f"{ENV_PREFIX}NLU_BACKEND=rasa needs {ENV_PREFIX}NLU_RASA_URL")
        if not 0 < self.nlu.nlu_low <= self.nlu.nlu_high <= 1:
            raise SettingsError(
                f"{ENV_PREFIX}NLU_LOW must not exceed {ENV_PREFIX}NLU_HIGH, both within (0, 1]"
            )

    def with_database(self, url: str) -> Settings:
        """The same settings against another database (``--database``, tests, benchmarks); validated."""
        return replace(self, database=DatabaseSettings(database_url=url))


def load_settings() -> Settings:
    """Read and validate everything once. Raises pydantic's ValidationError or SettingsError."""
    return Settings(
        database=DatabaseSettings(),
        state=StateSettings(),
        redis=RedisSettings(),
        telegram=TelegramSettings(),
        region=RegionSettings(),
        logging=LoggingSettings(),
        nlu=NluSettings(),
        vk=VkSettings(),
        rate_limit=RateLimitSettings(),
        health=HealthSettings(),
        feedback=FeedbackSettings(),
    )


def describe_problem(problem: ValidationError | SettingsError) -> str:
    """One line for a person: the environment variable to fix and what is wrong with it (no values)."""
    if isinstance(problem, SettingsError):
        return str(problem)
    errors = problem.errors(include_url=False, include_input=False)
    first = errors[0]
    field = ".".join(str(part) for part in first["loc"])
    key = f"{ENV_PREFIX}{field.upper()}" if field else problem.title
    message = first["msg"].removeprefix("Value error, ")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{key}: {message}{more}"
