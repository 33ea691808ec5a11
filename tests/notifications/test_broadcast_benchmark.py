"""The broadcast benchmark's core on a few hundred people, so the script cannot rot: correctness only."""

from __future__ import annotations

from benchmarks.broadcast import Instant, broadcast
from notifications.relay import RelayPolicy


async def test_a_limited_broadcast_reaches_everyone_once_at_the_allowed_pace(tmp_path):
    figures = await broadcast(300, database_url=None, workdir=tmp_path, limits=True)
    assert (figures.delivered, figures.duplicates, figures.lost) == (300, 0, 0)
    assert figures.virtual_seconds > 0  # virtual time, not wall time: the limits were in force
    assert figures.virtual_rate <= 30  # never above what Telegram allows


async def test_a_killed_relay_loses_nothing_and_repeats_at_most_the_calls_in_flight(tmp_path):
    # an odd size and share: the kill falls anywhere, not on a convenient boundary
    figures = await broadcast(301, database_url=None, workdir=tmp_path, limits=True, kill_at=0.37)
    assert figures.lost == 0
    assert figures.duplicates <= RelayPolicy().concurrency


async def test_the_relay_alone(tmp_path):
    figures = await broadcast(200, database_url=None, workdir=tmp_path, limits=False, instant=Instant())
    assert (figures.delivered, figures.duplicates, figures.lost) == (200, 0, 0)
