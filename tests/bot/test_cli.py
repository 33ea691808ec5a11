"""The ``frontdoor`` CLI as a user meets it: exit statuses, one-line problems, Ctrl-C, a real terminal."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time

import pytest

from tests.bot.conftest import product_env
from tests.conftest import free_port

pytest.importorskip("dialogs.engine", reason="the CLI chats with the real dialog engine")


def one_line_problem(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("frontdoor: ")
    return lines[0]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"FRONTDOOR_TELEGRAM_TOKEN": "changeme"}, "FRONTDOOR_TELEGRAM_TOKEN: this is a placeholder"),
        ({"FRONTDOOR_TIMEZONE": "Mars/Olympus"}, "FRONTDOOR_TIMEZONE: unknown time zone"),
        ({"FRONTDOOR_STATE_BACKEND": "redis"}, "needs FRONTDOOR_REDIS_URL"),
        ({"FRONTDOOR_DATABASE_URL": "mysql://u:secret@db/x"}, "FRONTDOOR_DATABASE_URL: unsupported"),
    ],
)
def test_configuration_problems_exit_2_with_one_line(frontdoor, env, expected):
    result = frontdoor("chat", env=env)
    assert result.returncode == 2
    line = one_line_problem(result)
    assert line.startswith("frontdoor: configuration problem: ")
    assert expected in line
    assert "secret" not in line


def test_a_bad_database_option_exits_2(frontdoor):
    result = frontdoor("migrate", "--database", "not-a-url")
    assert result.returncode == 2
    assert one_line_problem(result).startswith("frontdoor: --database: not a database URL")


@pytest.mark.parametrize("args", [["bogus"], ["chat", "--account", " "], ["migrate", "--nope"], []])
def test_usage_errors_exit_2(frontdoor, args):
    result = frontdoor(*args)
    assert result.returncode == 2
    assert "usage: frontdoor" in result.stderr


def test_an_unreachable_server_exits_1_with_one_line(frontdoor):
    url = f"postgresql+asyncpg://frontdoor:hunter2@127.0.0.1:{free_port()}/frontdoor"
    result = frontdoor("migrate", env={"FRONTDOOR_DATABASE_URL": url})
    assert result.returncode == 1
    line = one_line_problem(result)
    assert "cannot migrate the database at postgresql+asyncpg://frontdoor:***@127.0.0.1" in line
    assert "hunter2" not in result.stderr


@pytest.mark.redis
def test_a_redis_without_an_append_only_file_exits_1_naming_the_setting(frontdoor, redis_url):
    env = {"FRONTDOOR_STATE_BACKEND": "redis", "FRONTDOOR_REDIS_URL": redis_url}  # --appendonly no
    result = frontdoor("chat", stdin="/start\n", env=env)
    assert result.returncode == 1
    assert "FRONTDOOR_REDIS_ALLOW_VOLATILE=true" in one_line_problem(result)
    allowed = frontdoor("chat", stdin="/start\n", env={**env, "FRONTDOOR_REDIS_ALLOW_VOLATILE": "true"})
    assert allowed.returncode == 0, allowed.stderr


def test_run_with_an_unreachable_bot_api_exits_1_without_the_token(frontdoor):
    token = "7012345678:AAH3x-never-printed"
    env = {
        "FRONTDOOR_TELEGRAM_TOKEN": token,
        "FRONTDOOR_TELEGRAM_API_URL": f"http://127.0.0.1:{free_port()}",
    }
    result = frontdoor("run", env=env)
    assert result.returncode == 1
    assert "cannot reach the Telegram Bot API" in one_line_problem(result)
    assert "never-printed" not in result.stderr + result.stdout


def test_migrate_creates_the_default_database_under_var(frontdoor, tmp_path):
    result = frontdoor("migrate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "database is up to date: sqlite:///var/frontdoor.db"
    assert (tmp_path / "var" / "frontdoor.db").is_file()
    assert frontdoor("migrate").returncode == 0  # idempotent


def test_run_without_a_token_opens_the_terminal_chat(frontdoor, tmp_path):
    result = frontdoor("run", "--export-dir", "out", stdin="/start\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("> /start\n")
    assert "  1) " in result.stdout
    assert result.stderr == ""  # chat mode logs only warnings, and there are none
    assert (tmp_path / "var" / "frontdoor.db").is_file()


def test_ctrl_c_while_waiting_for_input_exits_130(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=product_env(),
    )
    assert process.stdin is not None
    assert process.stdout is not None
    try:
        process.stdin.write(b"/start\n")
        process.stdin.flush()
        read_until(process.stdout.fileno(), b"  1) ", seconds=60)  # answered; now waiting for input
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 130  # stdin is still open: no end of input to lean on
    finally:
        process.kill()
        process.communicate()


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_terminal_gets_a_prompt_and_ctrl_d_ends_the_chat(tmp_path):
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat"],
        stdin=terminal,
        stdout=terminal,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=product_env(),
    )
    os.close(terminal)
    try:
        assert read_until(controller, b"> ", seconds=60).startswith(b"Frontdoor")
        os.write(controller, b"/start\n")
        answer = read_until(controller, b"\n> ", seconds=60).decode()
        assert "  1) " in answer
        os.write(controller, b"\x04")  # Ctrl-D at the start of a line: end of input
        assert process.wait(timeout=15) == 0
    finally:
        process.kill()
        process.communicate()
        os.close(controller)


def read_until(fd: int, marker: bytes, *, seconds: float) -> bytes:
    """Bytes from ``fd`` until ``marker`` arrives (or fail after ``seconds``)."""
    received = b""
    deadline = time.monotonic() + seconds
    while marker not in received:
        left = deadline - time.monotonic()
        assert left > 0, f"no {marker!r} in {received[-300:]!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the terminal closed
                chunk = b""
            assert chunk, f"output ended before {marker!r}: {received[-300:]!r}"
            received += chunk
    return received
