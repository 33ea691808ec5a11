"""``bot.serve``: one serve loop for every transport, driven here with two fake messengers around the
real App (``build_app`` on SQLite): both start and share the relay, both stop on SIGTERM, and a start-up
error reads as the command line's one line and exit status."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Mapping

import pytest

from bot.__main__ import _execute
from bot.app import App
from bot.resend import Resend
from bot.serve import configured, serve
from bot.settings import Settings, load_settings
from bot.transport import DeepLink, Problem
from notifications.sender import Delivered, Message, Outcome, Sender


class Refused(Exception):
    """The fake messenger's "your token is wrong"."""


class Away(Exception):
    """The fake messenger's "cannot connect"."""


class Quiet:
    async def send(self, message: Message) -> Outcome:
        return Delivered(None)


class FakeTransport:
    """A messenger that records the steps ``serve`` takes it through; ``fail`` raises in that step."""

    def __init__(self, name: str, *, fail: str = "", error: Exception | None = None) -> None:
        self.name = name
        self.steps: list[str] = []
        self.running = asyncio.Event()
        self.app: App | None = None
        self._fail, self._error = fail, error
        self.problems = (
            Problem(Refused, lambda _: f"FRONTDOOR_{name.upper()}_TOKEN was refused", config=True),
            Problem(Away, lambda error: f"cannot reach {name}: {error}"),
        )

    def _step(self, step: str) -> None:
        self.steps.append(step)
        if step == self._fail:
            raise self._error or Refused()

    async def open(self) -> DeepLink:
        self._step("open")
        return lambda payload: f"https://{self.name}.example/{payload}"

    def wire(self, app: App) -> tuple[Sender, Mapping[str, Resend]]:
        self._step("wire")
        self.app = app
        return Quiet(), {}

    async def start(self) -> None:
        self._step("start")

    async def run(self, stop: asyncio.Event) -> None:
        self._step("run")
        self.running.set()
        await stop.wait()
        self.steps.append("stopped")

    async def close(self) -> None:
        self.steps.append("close")


@pytest.fixture
def settings(clean_settings) -> Settings:
    return load_settings().with_database(f"sqlite:///{clean_settings / 'bot.db'}")


async def test_both_transports_start_on_one_app_and_stop_on_sigterm(settings):
    one, two = FakeTransport("one"), FakeTransport("two")
    serving = asyncio.create_task(serve(settings, [one, two]))
    await asyncio.wait_for(asyncio.gather(one.running.wait(), two.running.wait()), 60)
    assert one.app is two.app is not None
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(serving, 60)
    for transport in (one, two):
        assert transport.steps == ["open", "wire", "start", "run", "stopped", "close"]


@pytest.mark.parametrize(
    ("step", "error", "status", "line"),
    [
        ("open", Refused(), 2, "frontdoor: configuration problem: FRONTDOOR_TWO_TOKEN was refused"),
        ("open", Away("timeout"), 1, "frontdoor: cannot reach two: timeout"),
        ("run", Away("reset"), 1, "frontdoor: cannot reach two: reset"),  # raised inside the task group
    ],
)
async def test_a_start_up_error_is_one_line_and_every_transport_is_closed(
    settings, capsys, step, error, status, line
):
    one, two = FakeTransport("one"), FakeTransport("two", fail=step, error=error)
    assert await _execute(lambda s, _: _serve(s, [one, two]), settings, None) == status  # type: ignore[arg-type]
    assert capsys.readouterr().err.strip() == line
    assert one.steps[-1] == two.steps[-1] == "close"


async def _serve(settings: Settings, transports: list[FakeTransport]) -> int:
    await serve(settings, transports)
    return 0


async def test_an_error_no_table_reads_is_not_hidden(settings):
    one = FakeTransport("one", fail="start", error=KeyError("bug"))
    with pytest.raises(KeyError):
        await serve(settings, [one])
    assert one.steps == ["open", "wire", "start", "close"]


async def test_the_messengers_follow_the_tokens(clean_settings, monkeypatch):
    assert configured(load_settings()) == []
    monkeypatch.setenv("FRONTDOOR_VK_TOKEN", "vk1.a.test-community-token-value-" + "x" * 40)
    monkeypatch.setenv("FRONTDOOR_TELEGRAM_TOKEN", "123456:TEST-token")
    transports = configured(load_settings())
    assert [transport.name for transport in transports] == ["vk", "telegram"]
    for transport in transports:
        await transport.close()
