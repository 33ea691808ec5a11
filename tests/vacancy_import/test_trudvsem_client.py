"""The «Работа России» client against the emulator on loopback: paging, faults, retries, timeouts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from backend_client.http.trudvsem import TrudvsemClient, TrudvsemRefused, TrudvsemUnavailable
from tests.trudvsem_emulator import Fault, TrudvsemEmulator, record
from tests.trudvsem_emulator.records import BASE_MODIFIED, vacancy_id


def client(api: TrudvsemEmulator, **options) -> TrudvsemClient:
    settings = {"delay": 0.0, "backoff": 0.0, "timeout": 5.0, "attempts": 3} | options
    return TrudvsemClient(api.base_url, **settings)


async def every_record(source: TrudvsemClient, region: str = "63", **options) -> list[Any]:
    found: list[Any] = []
    async for page in source.pages(region, **options):
        found.extend(page.records)
    return found


@pytest.fixture
async def api():
    async with TrudvsemEmulator([record(n) for n in range(250)]) as emulator:
        yield emulator


async def test_pages_until_the_source_has_no_more(api):
    async with client(api) as source:
        found = await every_record(source)
    assert sorted(item["id"] for item in found) == sorted(vacancy_id(n) for n in range(250))
    assert [(r.page, r.limit, r.count) for r in api.requests] == [(0, 100, 100), (1, 100, 100), (2, 100, 50)]


async def test_a_full_last_page_ends_the_pull_at_the_total():
    async with TrudvsemEmulator([record(n) for n in range(300)]) as api, client(api) as source:
        assert len(await every_record(source, region="6300000000000")) == 300
    assert [(r.region, r.page, r.count) for r in api.requests] == [
        ("6300000000000", 0, 100),
        ("6300000000000", 1, 100),
        ("6300000000000", 2, 100),
    ]


async def test_an_exact_multiple_of_the_limit_needs_no_empty_page():
    async with TrudvsemEmulator([record(n) for n in range(200)]) as api, client(api) as source:
        assert len(await every_record(source)) == 200
    assert [r.page for r in api.requests] == [0, 1]


async def test_an_empty_region_is_an_empty_results_object():
    async with TrudvsemEmulator([]) as api, client(api) as source:
        pages = [page async for page in source.pages("63")]
    assert [(page.records, page.total) for page in pages] == [((), 0)]


async def test_a_string_total_is_read(api):
    api.fail(page=None, fault=Fault.STRING_TOTAL, times=10)
    async with client(api) as source:
        assert len(await every_record(source)) == 250


async def test_a_failing_page_is_asked_again(api):
    api.fail(page=1, fault=Fault.ERROR)
    async with client(api) as source:
        assert len(await every_record(source)) == 250
        assert source.retries == 1
    assert [(r.page, r.status) for r in api.requests] == [(0, 200), (1, 500), (1, 200), (2, 200)]


async def test_a_spurious_empty_page_is_asked_again(api):
    api.fail(page=1, fault=Fault.EMPTY)
    async with client(api) as source:
        assert len(await every_record(source)) == 250
    assert [r.page for r in api.requests] == [0, 1, 1, 2]


async def test_a_malformed_page_is_asked_again(api):
    api.fail(page=2, fault=Fault.MALFORMED)
    async with client(api) as source:
        assert len(await every_record(source)) == 250
    assert [r.page for r in api.requests] == [0, 1, 2, 2]


async def test_a_slow_page_times_out_and_is_asked_again(api):
    api.fail(page=0, fault=Fault.SLOW, delay=3.0)
    async with client(api, timeout=0.3) as source:
        assert len(await every_record(source)) == 250
        assert source.retries == 1


async def test_a_page_that_keeps_failing_is_a_clear_error(api):
    api.fail(page=1, fault=Fault.ERROR, times=5)
    async with client(api) as source:
        with pytest.raises(TrudvsemUnavailable, match=r"page 1: HTTP 500 \(after 3 attempts\)"):
            await every_record(source)
    assert [r.page for r in api.requests] == [0, 1, 1, 1]


async def test_a_page_that_keeps_timing_out_says_so(api):
    api.fail(page=0, fault=Fault.SLOW, delay=2.0, times=2)
    async with client(api, timeout=0.2, attempts=2) as source:
        with pytest.raises(TrudvsemUnavailable, match=r"page 0: no answer in 0.2 s"):
            await every_record(source)


async def test_a_refused_request_is_not_asked_again(api):
    api.fail(page=0, fault=Fault.NOT_FOUND)
    async with client(api) as source:
        with pytest.raises(TrudvsemRefused, match="HTTP 404"):
            await every_record(source)
    assert len(api.requests) == 1


async def test_an_unreachable_server_is_unavailable():
    async with TrudvsemEmulator() as api:
        url = api.base_url
    async with TrudvsemClient(url, delay=0, backoff=0, attempts=2) as source:
        with pytest.raises(TrudvsemUnavailable, match="page 0: ClientConnectorError"):
            await every_record(source)


async def test_modified_from_keeps_the_recent_records(api):
    since = BASE_MODIFIED + timedelta(minutes=900)
    async with client(api) as source:
        found = await every_record(source, modified_from=since)
    assert found
    assert all(datetime.fromisoformat(item["date_modify"]) >= since for item in found)
    assert len(found) == sum(1 for n in range(250) if n * 37 % 997 >= 900)
    assert api.requests[0].modified_from == "2026-02-01T21:00:00Z"  # midnight in Moscow, sent in UTC


async def test_requests_are_spaced_politely(api):
    async with client(api, delay=0.05) as source:
        await every_record(source)
    assert source.requests == 3


def test_the_limit_is_at_most_a_hundred():
    with pytest.raises(ValueError, match="limit is 1 to 100"):
        TrudvsemClient(limit=101)


async def test_a_server_ignoring_offset_is_stopped():
    async with TrudvsemEmulator([record(n) for n in range(250)]) as api, client(api, max_pages=2) as source:
        with pytest.raises(TrudvsemUnavailable, match="more than 2 pages"):
            await every_record(source)
