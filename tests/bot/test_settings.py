"""Settings are validated once at start-up, with messages that say which key to fix."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no stray .env
    for key in (
        "DATABASE_URL",
        "STATE_BACKEND",
        "REDIS_URL",
        "TELEGRAM_TOKEN",
        "TIMEZONE",
        "LOG_LEVEL",
        "TELEGRAM_WEBHOOK_URL",
        "TELEGRAM_WEBHOOK_SECRET",
    ):
        monkeypatch.delenv(f"FRONTDOOR_{key}", raising=False)


def test_defaults_need_nothing():
    settings = load_settings()
    assert settings.database.database_url.startswith("sqlite:///")
    assert settings.telegram.telegram_token is None
    assert settings.region.timezone == "Europe/Samara"


@pytest.mark.parametrize("token", ["changeme", "123456:ABC-DEF1234ghIkl", "not a token"])
def test_placeholder_or_malformed_tokens_are_refused(monkeypatch, token):
    monkeypatch.setenv("FRONTDOOR_TELEGRAM_TOKEN", token)
    with pytest.raises(ValidationError, match="TOKEN"):
        load_settings()


def test_a_real_looking_token_is_kept_secret(monkeypatch):
    monkeypatch.setenv("FRONTDOOR_TELEGRAM_TOKEN", "7012345678:AAH3x-real_looking_token")
    settings = load_settings()
    assert settings.telegram.telegram_token is not None
    assert "AAH3x" not in repr(settings.telegram)


def test_redis_state_needs_a_redis_url(monkeypatch):
    monkeypatch.setenv("FRONTDOOR_STATE_BACKEND", "redis")
    with pytest.raises(SettingsError, match="FRONTDOOR_REDIS_URL"):
        load_settings()


def test_unknown_timezone_is_refused(monkeypatch):
    monkeypatch.setenv("FRONTDOOR_TIMEZONE", "Europe/Atlantis")
    with pytest.raises(ValidationError, match="time zone"):
        load_settings()


def test_env_file_is_read(tmp_path):
    (tmp_path / ".env").write_text("FRONTDOOR_TIMEZONE=Europe/Moscow\n")
    assert load_settings().region.timezone == "Europe/Moscow"


def test_webhook_needs_a_secret_of_telegrams_alphabet(monkeypatch):
    monkeypatch.setenv("FRONTDOOR_TELEGRAM_WEBHOOK_URL", "https://bot.example.org")
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET"):
        load_settings()
    monkeypatch.setenv("FRONTDOOR_TELEGRAM_WEBHOOK_SECRET", "has spaces!")
    with pytest.raises(ValidationError, match="WEBHOOK_SECRET"):
        load_settings()
    monkeypatch.setenv("FRONTDOOR_TELEGRAM_WEBHOOK_SECRET", "good_secret-1")
    assert load_settings().telegram.telegram_webhook_secret is not None
