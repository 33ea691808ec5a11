"""The running bot pulls «Работа России» by itself: the scheduler's hourly sweep asks for changes, the pass
in the nightly hour pulls the whole region and closes what the source stopped listing; an unreachable
source fails the pass (retried sooner) and writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from backend_client.sql.vacancies.tables import vacancies
from bot.settings import TrudvsemSettings
from bot.vacancy_pull import ScheduledPull
from notifications.scheduler import Scheduler, Sweep
from notifications.supervisor import Supervisor
from notifications.sweeps import SweepContext
from tests.trudvsem_emulator import Fault, TrudvsemEmulator, record
from tests.trudvsem_emulator.records import vacancy_id

SAMARA = ZoneInfo("Europe/Samara")  # UTC+4
PULL = Sweep("notifications.sweeps:pull_sources", timedelta(hours=1))


@pytest.fixture
async def api():
    async with TrudvsemEmulator([record(n) for n in range(120)]) as emulator:
        yield emulator


def scheduler(api, database, clock) -> Scheduler:
    options = TrudvsemSettings(trudvsem_url=api.base_url, trudvsem_delay=0, trudvsem_attempts=1)
    pull = ScheduledPull(options, database.vacancy_catalogue, clock, SAMARA)
    context = SweepContext(
        clock, database.outbox, database.broadcasts, pulls=(pull,), supervisor=Supervisor()
    )
    return Scheduler(context, database.leases, sweeps_=(PULL,))


async def statuses(database) -> dict[str, str]:
    query = select(vacancies.c.source_id, vacancies.c.status).where(vacancies.c.source == "trudvsem")
    async with database.engine.connect() as connection:
        return {source_id: str(status) for source_id, status in await connection.execute(query)}


async def test_hourly_changes_and_a_nightly_full_pull_that_closes_what_is_gone(api, database, clock):
    clock.set(datetime(2026, 9, 1, 22, tzinfo=UTC))  # 02:00 in Samara
    sweeps = scheduler(api, database, clock)
    await sweeps.run_pending()  # no cursor yet: the first pull is the whole region
    assert list((await statuses(database)).values()).count("open") == 120
    assert api.requests[-1].modified_from is None

    api.remove(vacancy_id(7))
    api.put(record(8, clock.now(), name="Сварщик (обновлено)"))
    clock.advance(timedelta(minutes=30))  # 02:30: changes only
    await sweeps.run_pending()
    assert api.requests[-1].modified_from is not None
    found = await statuses(database)
    assert found[vacancy_id(7)] == "open"  # a delta cannot tell what is gone

    clock.advance(timedelta(minutes=45))  # 03:15: the nightly full pull
    await sweeps.run_pending()
    assert api.requests[-1].modified_from is None
    found = await statuses(database)
    assert found[vacancy_id(7)] == "closed"
    assert list(found.values()).count("open") == 119


async def test_an_unreachable_source_fails_the_pass_and_the_next_one_catches_up(api, database, clock):
    clock.set(datetime(2026, 9, 1, 12, tzinfo=UTC))  # 16:00 in Samara
    sweeps = scheduler(api, database, clock)
    api.fail(page=None, fault=Fault.ERROR, times=1)
    await sweeps.run_pending()
    assert await statuses(database) == {}  # nothing written, the sweep is asked to run again sooner
    assert sweeps.leading

    clock.advance(timedelta(minutes=5))
    await sweeps.run_pending()
    assert len(await statuses(database)) == 120


def test_the_nightly_hour_is_local():
    pull = ScheduledPull(TrudvsemSettings(trudvsem_full_hour=3), None, None, SAMARA)  # type: ignore[arg-type]
    assert pull.is_full(datetime(2026, 9, 1, 23, 10, tzinfo=UTC))  # 03:10 in Samara
    assert not pull.is_full(datetime(2026, 9, 1, 3, 10, tzinfo=UTC))  # 07:10 in Samara
