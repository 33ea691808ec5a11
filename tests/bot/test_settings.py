"""Settings are validated once at start-up, with one-line messages that name the key to fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import (
    DEFAULT_DATABASE_URL,
    DatabaseSettings,
    LoggingSettings,
    RedisSettings,
    RegionSettings,
    SettingsError,
    StateSettings,
    TelegramSettings,
    describe_problem,
    load_settings,
)

pytestmark = pytest.mark.usefixtures("clean_settings")


def problem_with(monkeypatch: pytest.MonkeyPatch, **env: str) -> str:
    for key, value in env.items():
        monkeypatch.setenv(f"FRONTDOOR_{key}", value)
    with pytest.raises((ValidationError, SettingsError)) as caught:
        load_settings()
    assert isinstance(caught.value, ValidationError | SettingsError)
    return describe_problem(caught.value)


def test_defaults_need_nothing():
    settings = load_settings()
    assert settings.database.database_url == DEFAULT_DATABASE_URL == "sqlite:///var/frontdoor.db"
    assert settings.state.state_backend == "sql"
    assert settings.redis.redis_url is None
    assert settings.telegram.telegram_token is None
    assert settings.region.timezone == "Europe/Samara"
    assert settings.logging.log_level == "INFO"
    assert not settings.logging.chosen


@pytest.mark.parametrize(
    "token",
    ["changeme", "your-token-here", "<token>", "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11", "123456:abc"],
)
def test_placeholder_tokens_are_refused(monkeypatch, token):
    assert problem_with(monkeypatch, TELEGRAM_TOKEN=token).startswith(
        "FRONTDOOR_TELEGRAM_TOKEN: this is a placeholder"
    )


@pytest.mark.parametrize("token", ["not a token", "abc:def123456", "7012345678", "7012345678:"])
def test_malformed_tokens_are_refused(monkeypatch, token):
    assert "does not look like a bot token" in problem_with(monkeypatch, TELEGRAM_TOKEN=token)


def test_a_real_looking_token_is_kept_secret(monkeypatch):
    monkeypatch.setenv("FRONTDOOR_TELEGRAM_TOKEN", " 7012345678:AAH3x-real_looking_token ")
    token = load_settings().telegram.telegram_token
    assert token is not None
    assert token.get_secret_value() == "7012345678:AAH3x-real_looking_token"
    assert "AAH3x" not in repr(load_settings())


def test_a_problem_never_repeats_the_value(monkeypatch):
    line = problem_with(monkeypatch, TELEGRAM_TOKEN="7012345678:short!")
    assert "short" not in line
    assert "\n" not in line


def test_empty_values_mean_not_set(monkeypatch, clean_settings):
    # A copied .env.example is full of "KEY=" lines.
    (clean_settings / ".env").write_text("FRONTDOOR_TELEGRAM_TOKEN=\nFRONTDOOR_REDIS_URL=\n")
    monkeypatch.setenv("FRONTDOOR_DATABASE_URL", "")
    settings = load_settings()
    assert settings.telegram.telegram_token is None
    assert settings.redis.redis_url is None
    assert settings.database.database_url == DEFAULT_DATABASE_URL


def test_redis_state_needs_a_redis_url(monkeypatch):
    line = problem_with(monkeypatch, STATE_BACKEND="redis")
    assert line == "FRONTDOOR_STATE_BACKEND=redis needs FRONTDOOR_REDIS_URL"


def test_redis_state_with_a_url(monkeypatch):
    monkeypatch.setenv("FRONTDOOR_STATE_BACKEND", "Redis")
    monkeypatch.setenv("FRONTDOOR_REDIS_URL", "redis://127.0.0.1:6379/0")
    settings = load_settings()
    assert settings.state.state_backend == "redis"
    assert settings.redis.redis_url == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize(("key", "value"), [("REDIS_URL", "http://cache:6379"), ("STATE_BACKEND", "mongo")])
def test_unknown_redis_urls_and_backends_are_refused(monkeypatch, key, value):
    assert problem_with(monkeypatch, **{key: value}).startswith(f"FRONTDOOR_{key}: ")


def test_unknown_timezone_is_refused(monkeypatch):
    line = problem_with(monkeypatch, TIMEZONE="Europe/Atlantis")
    assert line.startswith("FRONTDOOR_TIMEZONE: unknown time zone")


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///var/frontdoor.db",
        "sqlite+aiosqlite:///var/frontdoor.db",
        "postgresql://u:p@db/frontdoor",
        "postgresql+asyncpg://u:p@db:5432/frontdoor",
    ],
)
def test_supported_database_urls(monkeypatch, url):
    monkeypatch.setenv("FRONTDOOR_DATABASE_URL", url)
    assert load_settings().database.database_url == url


@pytest.mark.parametrize("url", ["nonsense", "mysql://u:secret@db/x", "postgresql+psycopg2://u:secret@db/x"])
def test_unsupported_database_urls_are_refused_without_echoing_them(monkeypatch, url):
    line = problem_with(monkeypatch, DATABASE_URL=url)
    assert line.startswith("FRONTDOOR_DATABASE_URL: ")
    assert "secret" not in line


def test_with_database_validates_too():
    settings = load_settings()
    assert settings.with_database("sqlite:///other.db").database.database_url == "sqlite:///other.db"
    with pytest.raises(ValidationError):
        settings.with_database("nonsense")


def test_log_level_is_case_insensitive_and_remembered_as_chosen(monkeypatch):
    monkeypatch.setenv("FRONTDOOR_LOG_LEVEL", "debug")
    logging = load_settings().logging
    assert logging.log_level == "DEBUG"
    assert logging.chosen


def test_env_file_is_read(clean_settings):
    (clean_settings / ".env").write_text("FRONTDOOR_TIMEZONE=Europe/Moscow\n", encoding="utf-8")
    assert load_settings().region.timezone == "Europe/Moscow"


def test_environment_overrides_env_file(monkeypatch, clean_settings):
    (clean_settings / ".env").write_text("FRONTDOOR_TIMEZONE=Europe/Moscow\n", encoding="utf-8")
    monkeypatch.setenv("FRONTDOOR_TIMEZONE", "Asia/Yekaterinburg")
    assert load_settings().region.timezone == "Asia/Yekaterinburg"


def test_webhook_needs_a_secret_of_telegrams_alphabet(monkeypatch):
    monkeypatch.setenv("FRONTDOOR_TELEGRAM_WEBHOOK_URL", "https://bot.example.org")
    assert "needs FRONTDOOR_TELEGRAM_WEBHOOK_SECRET" in problem_with(monkeypatch)
    line = problem_with(monkeypatch, TELEGRAM_WEBHOOK_SECRET="has spaces!")
    assert line.startswith("FRONTDOOR_TELEGRAM_WEBHOOK_SECRET: ")
    monkeypatch.setenv("FRONTDOOR_TELEGRAM_WEBHOOK_SECRET", "good_secret-1")
    assert load_settings().telegram.telegram_webhook_secret is not None


def test_several_problems_are_counted_on_one_line(monkeypatch):
    line = problem_with(monkeypatch, TIMEZONE="Nowhere/Land", LOG_LEVEL="loud", DATABASE_URL="nonsense")
    assert line.startswith("FRONTDOOR_")
    assert "\n" not in line


ROOT = Path(__file__).resolve().parents[2]
SECTIONS = (DatabaseSettings, StateSettings, RedisSettings, TelegramSettings, RegionSettings, LoggingSettings)


def test_env_example_names_every_setting_with_a_comment():
    example = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    keys = {line.partition("=")[0]: index for index, line in enumerate(example) if "=" in line[:60]}
    for section in SECTIONS:
        for field in section.model_fields:
            key = f"FRONTDOOR_{field.upper()}"
            assert key in keys, f"{key} is missing from .env.example"
            above = example[: keys[key]]
            assert any(line.startswith("#") for line in above[-4:]), f"{key} has no comment above it"


def test_a_copied_env_example_loads_as_the_defaults(clean_settings):
    shutil.copyfile(ROOT / ".env.example", clean_settings / ".env")
    settings = load_settings()
    assert settings.database.database_url == DEFAULT_DATABASE_URL
    assert settings.telegram.telegram_token is None
    assert settings.redis.redis_url is None
    assert settings.region.timezone == "Europe/Samara"
