"""VK settings: validated once at start-up, documented in .env.example, one-line problems without values."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import SettingsError, VkSettings, describe_problem, load_settings

pytestmark = pytest.mark.usefixtures("clean_settings")
ROOT = Path(__file__).resolve().parents[2]
TOKEN = "vk1.a.abcdefghijklmnopqrstuvwxyz0123456789"


def problem_with(monkeypatch: pytest.MonkeyPatch, **env: str) -> str:
    for key, value in env.items():
        monkeypatch.setenv(f"FRONTDOOR_{key}", value)
    with pytest.raises((ValidationError, SettingsError)) as caught:
        load_settings()
    assert isinstance(caught.value, ValidationError | SettingsError)
    return describe_problem(caught.value)


def test_vk_is_off_by_default():
    vk = load_settings().vk
    assert vk.vk_token is None
    assert vk.vk_api_url == "https://api.vk.com/method"
    assert vk.vk_callback_url is None


def test_a_token_is_kept_secret_and_a_group_id_read(monkeypatch):
    monkeypatch.setenv("FRONTDOOR_VK_TOKEN", TOKEN)
    monkeypatch.setenv("FRONTDOOR_VK_GROUP_ID", "229876")
    vk = load_settings().vk
    assert vk.vk_token is not None
    assert vk.vk_token.get_secret_value() == TOKEN
    assert TOKEN not in repr(vk)
    assert vk.vk_group_id == 229876


@pytest.mark.parametrize("token", ["changeme", "short", "has spaces in it, really"])
def test_placeholder_and_malformed_tokens_are_refused_without_echoing_them(monkeypatch, token):
    problem = problem_with(monkeypatch, VK_TOKEN=token)
    assert problem.startswith("FRONTDOOR_VK_TOKEN: ")
    assert token not in problem


def test_callback_mode_needs_a_secret(monkeypatch):
    problem = problem_with(monkeypatch, VK_TOKEN=TOKEN, VK_CALLBACK_URL="https://bot.example.org/vk/callback")
    assert problem == "FRONTDOOR_VK_CALLBACK_URL needs FRONTDOOR_VK_CALLBACK_SECRET"


@pytest.mark.parametrize(("key", "value"), [("VK_API_URL", "ftp://x"), ("VK_POLLING_WAIT", "91")])
def test_bad_urls_and_waits_are_refused(monkeypatch, key, value):
    assert problem_with(monkeypatch, **{key: value}).startswith(f"FRONTDOOR_{key}: ")


def test_env_example_names_every_vk_setting_with_a_comment_and_loads_as_the_defaults(clean_settings):
    example = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    keys = {line.partition("=")[0]: index for index, line in enumerate(example) if "=" in line[:60]}
    for field in VkSettings.model_fields:
        key = f"FRONTDOOR_{field.upper()}"
        assert key in keys, f"{key} is missing from .env.example"
        assert any(line.startswith("#") for line in example[: keys[key]][-4:]), f"{key} has no comment"
    shutil.copyfile(ROOT / ".env.example", clean_settings / ".env")
    assert load_settings().vk == VkSettings()
