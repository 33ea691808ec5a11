"""The composition root: SQL conversation state by default, Redis when configured, clean shutdown."""

from __future__ import annotations

import pytest

from backend_client.clock import ManualClock
from backend_client.kv.redis_store import RedisConversationStore
from bot.app import StartupError, build_app, migrate_database, redacted, summary
from bot.settings import load_settings
from dialogs.ui import Incoming
from tests.conftest import free_port

pytestmark = pytest.mark.usefixtures("clean_settings")


@pytest.fixture
async def database_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    await migrate_database(url)
    return url


async def test_sql_state_by_default(database_url):
    settings = load_settings().with_database(database_url)
    async with build_app(settings, clock=ManualClock()) as app:
        assert app.states is app.database.conversations
        outcome = await app.engine.handle(Incoming.message("console", "local", "/start"))
        assert outcome.replies
        assert await app.states.load(Incoming.key_of("console", "local")) is not None


@pytest.mark.redis
async def test_redis_state_when_configured(monkeypatch, database_url, redis_url, redis_client):
    monkeypatch.setenv("FRONTDOOR_STATE_BACKEND", "redis")
    monkeypatch.setenv("FRONTDOOR_REDIS_URL", redis_url)
    async with build_app(load_settings().with_database(database_url)) as app:
        assert isinstance(app.states, RedisConversationStore)
        await app.engine.handle(Incoming.message("console", "local", "/start"))
        assert await app.states.load(Incoming.key_of("console", "local")) is not None
        assert await app.database.conversations.load(Incoming.key_of("console", "local")) is None
    assert await redis_client.dbsize() == 1


async def test_an_unreachable_redis_fails_at_start_without_the_password(monkeypatch, database_url):
    monkeypatch.setenv("FRONTDOOR_STATE_BACKEND", "redis")
    monkeypatch.setenv("FRONTDOOR_REDIS_URL", f"redis://:hunter2@127.0.0.1:{free_port()}/0")
    with pytest.raises(StartupError, match="cannot reach Redis") as caught:
        async with build_app(load_settings().with_database(database_url)):
            pass
    assert "hunter2" not in str(caught.value)


async def test_an_unusable_database_is_a_startup_error(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(StartupError, match="cannot migrate the database"):
        await migrate_database(f"sqlite:///{tmp_path / 'file' / 'under-a-file.db'}")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql+asyncpg://bot:s3cret@db:5432/x", "postgresql+asyncpg://bot:***@db:5432/x"),
        ("redis://:s3cret@cache:6379/0", "redis://:***@cache:6379/0"),
        ("sqlite:///var/frontdoor.db", "sqlite:///var/frontdoor.db"),
    ],
)
def test_redacted_hides_passwords(url, shown):
    assert redacted(url) == shown


def test_summary_is_one_line():
    assert summary(ValueError("first\n[SQL: SELECT secret]")) == "ValueError: first"
    assert summary(ValueError()) == "ValueError"
