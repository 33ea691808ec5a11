"""The supervisor of background loops and the heartbeats, on a manual clock: no real waiting."""

from __future__ import annotations

import asyncio
import logging

import pytest

from notifications.health import Heartbeats
from notifications.supervisor import Backoff, Retry, Supervisor


class ManualTime:
    """Monotonic seconds that move only when the supervisor waits; every wait is recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def wait(self, stop: asyncio.Event, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def supervised(time: ManualTime, **backoff: float) -> Supervisor:
    return Supervisor(Heartbeats(time), backoff=Backoff(**backoff), wait=time.wait)


async def test_a_failing_pass_is_logged_and_retried_with_a_capped_doubling_pause(caplog):
    time = ManualTime()
    supervisor = supervised(time, first=1.0, cap=8.0)
    stop = asyncio.Event()
    results = iter([ValueError("db away")] * 6 + [5.0, ValueError("again"), 0.5])

    async def step() -> float:
        result = next(results)
        if isinstance(result, Exception):
            raise result
        if result == 0.5:
            stop.set()
        return result

    with caplog.at_level(logging.ERROR, logger="notifications.supervisor"):
        await supervisor.loop("relay", step, stop)
    # 1, 2, 4, 8, then capped; after a good pass the idle pause, and the backoff starts over
    assert time.waits == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 5.0, 1.0, 0.5]
    failures = [r for r in caplog.records if r.name == "notifications.supervisor"]
    assert len(failures) == 7
    assert all(r.exc_info and "db away" in str(r.exc_info[1]) for r in failures[:6])  # with traceback


async def test_only_completed_passes_beat_and_a_loop_that_keeps_failing_goes_stale():
    time = ManualTime()
    supervisor = supervised(time, first=10.0, cap=60.0)
    beats = supervisor.heartbeats
    beats.watch("relay")
    assert await supervisor.attempt("relay", _ok) == "done"
    time.now = 100.0
    assert beats.stale(after=90.0) == ["relay"]
    assert await supervisor.attempt("relay", _broken) == Retry(10.0)
    assert supervisor.failures("relay") == 1
    assert beats.stale(after=90.0) == ["relay"]  # a failed pass is not a beat
    assert await supervisor.attempt("relay", _ok) == "done"
    assert beats.stale(after=90.0) == []
    assert supervisor.failures("relay") == 0


def test_a_loop_with_a_long_period_gets_it_on_top_of_the_allowance():
    time = ManualTime()
    beats = Heartbeats(time)
    beats.watch("sweep prune_journal", period=3600.0)
    beats.watch("scheduler", period=10.0)
    time.now = 400.0
    assert beats.stale(after=300.0) == ["scheduler"]
    beats.forget("scheduler")
    assert beats.stale(after=300.0) == []


async def test_a_stopped_loop_is_forgotten_and_a_cancelled_one_is_not_swallowed():
    time = ManualTime()
    supervisor = supervised(time)
    stop = asyncio.Event()

    async def last_pass() -> float:
        stop.set()
        return 0.0

    await supervisor.loop("relay", last_pass, stop)
    assert supervisor.heartbeats.ages() == {}  # stopped on purpose: nothing expected of it

    started = asyncio.Event()

    async def hangs() -> float:
        started.set()
        await asyncio.Event().wait()
        return 0.0

    task = asyncio.create_task(supervisor.loop("relay", hangs, asyncio.Event()))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert "relay" in supervisor.heartbeats.ages()  # ended without being stopped: it will go stale


async def _ok() -> str:
    return "done"


async def _broken() -> str:
    raise ConnectionError("gone")
