"""The composition root: SQL conversation state by default, Redis when configured, clean shutdown."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator

import pytest

from backend_client.clock import ManualClock
from backend_client.kv.redis_store import RedisConversationStore
from bot.app import StartupError, build_app, migrate_database, redacted, summary
from bot.settings import load_settings
from dialogs.ui import Incoming
from tests.conftest import free_port, unavailable, wait_for_port

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
    monkeypatch.setenv("FRONTDOOR_REDIS_ALLOW_VOLATILE", "true")  # the test server keeps no AOF
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


@pytest.fixture
def own_redis(tmp_path) -> Iterator[Callable[..., str]]:
    """Start a throwaway redis-server with the given options (files in tmp_path); its URL."""
    servers: list[subprocess.Popen[bytes]] = []
    binary = shutil.which("redis-server")

    def start(*options: str) -> str:
        if binary is None:
            unavailable("Redis not reachable: no redis-server on PATH")
        port = free_port()
        command = [str(binary), "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path)]
        servers.append(subprocess.Popen([*command, "--save", "", *options], stdout=subprocess.DEVNULL))
        if not wait_for_port(port, 10):
            unavailable("Redis not reachable: the throwaway redis-server did not start")
        return f"redis://127.0.0.1:{port}/0"

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


async def _start_on(monkeypatch, database_url: str, redis_url: str, allow: str | None = None) -> None:
    monkeypatch.setenv("FRONTDOOR_STATE_BACKEND", "redis")
    monkeypatch.setenv("FRONTDOOR_REDIS_URL", redis_url)
    if allow is not None:
        monkeypatch.setenv("FRONTDOOR_REDIS_ALLOW_VOLATILE", allow)
    async with build_app(load_settings().with_database(database_url)) as app:
        assert isinstance(app.states, RedisConversationStore)


NO_CONFIG = ("--rename-command", "CONFIG", "")  # as managed services do: INFO must answer instead


@pytest.mark.redis
@pytest.mark.parametrize("options", [(), NO_CONFIG], ids=["config", "info"])
async def test_a_redis_that_forgets_on_restart_is_refused_unless_allowed(
    monkeypatch, database_url, own_redis, options
):
    url = own_redis("--appendonly", "no", *options)
    with pytest.raises(StartupError) as caught:
        await _start_on(monkeypatch, database_url, url)
    message = str(caught.value)
    assert "append-only file" in message
    assert "FRONTDOOR_REDIS_ALLOW_VOLATILE=true" in message
    assert "\n" not in message
    await _start_on(monkeypatch, database_url, url, allow="true")


@pytest.mark.redis
@pytest.mark.parametrize("options", [(), NO_CONFIG], ids=["config", "info"])
async def test_a_redis_with_an_append_only_file_starts(monkeypatch, database_url, own_redis, options):
    await _start_on(monkeypatch, database_url, own_redis("--appendonly", "yes", *options))


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
