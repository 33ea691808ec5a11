"""FRONTDOOR_RATE_LIMIT_*: defaults, validation with one-line problems, .env.example, and the engine built
with (or, at 0 or for the terminal chat, without) the limit."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from backend_client.clock import ManualClock
from bot.app import build_app, migrate_database
from bot.settings import RateLimitSettings, describe_problem, load_settings
from dialogs.texts import t
from dialogs.ui import Incoming

pytestmark = pytest.mark.usefixtures("clean_settings")
ROOT = Path(__file__).resolve().parents[2]


def test_defaults():
    limit = load_settings().rate_limit
    assert (limit.rate_limit_burst, limit.rate_limit_per_second) == (20, 2.0)


@pytest.mark.parametrize(
    ("key", "value"), [("BURST", "-1"), ("BURST", "lots"), ("PER_SECOND", "0"), ("PER_SECOND", "5000")]
)
def test_bad_values_name_the_key(monkeypatch, key, value):
    monkeypatch.setenv(f"FRONTDOOR_RATE_LIMIT_{key}", value)
    with pytest.raises(ValidationError) as caught:
        load_settings()
    line = describe_problem(caught.value)
    assert line.startswith(f"FRONTDOOR_RATE_LIMIT_{key}:")


def test_env_example_names_them_with_a_comment():
    example = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    for field in RateLimitSettings.model_fields:
        key = f"FRONTDOOR_{field.upper()}"
        index = next(i for i, line in enumerate(example) if line.startswith(f"{key}="))
        assert example[index - 1].startswith("#")


async def flooded(settings, **options) -> list[str]:
    await migrate_database(settings.database.database_url)
    async with build_app(settings, clock=ManualClock(), **options) as app:
        texts: list[str] = []
        for _ in range(4):
            texts += (await app.engine.handle(Incoming.message("test", "1", "/help"))).texts
        return texts


async def test_the_engine_is_built_with_the_configured_limit(monkeypatch, tmp_path):
    monkeypatch.setenv("FRONTDOOR_RATE_LIMIT_BURST", "2")
    settings = load_settings().with_database(f"sqlite:///{tmp_path / 'a.db'}")
    texts = await flooded(settings)
    assert texts.count(t("engine.flood")) == 1
    assert texts[-1] == t("engine.flood")  # the fourth was ignored: nothing after the calm answer


@pytest.mark.parametrize("off", ["env", "chat"])
async def test_no_limit_at_zero_or_for_the_terminal_chat(monkeypatch, tmp_path, off):
    monkeypatch.setenv("FRONTDOOR_RATE_LIMIT_BURST", "0" if off == "env" else "2")
    settings = load_settings().with_database(f"sqlite:///{tmp_path / 'b.db'}")
    texts = await flooded(settings, **({"rate_limited": False} if off == "chat" else {}))
    assert t("engine.flood") not in texts
