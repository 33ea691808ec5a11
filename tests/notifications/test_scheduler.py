"""The scheduler: one leader among several processes, sweeps that start campaigns and apply reminder rules."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from backend_client.broadcasts import CLI, Audience, CampaignDraft, CampaignKind, CampaignStatus
from backend_client.models import AgeBand, Role
from notifications.rules import apply_rule
from notifications.rules.unfinished_start import UnfinishedStartRule
from notifications.scheduler import Scheduler, Sweep
from notifications.supervisor import Backoff, Supervisor
from notifications.sweeps import SweepContext, sweep_pass


def context(database, clock, *rules) -> SweepContext:
    return SweepContext(
        clock, database.outbox, database.broadcasts, rules=tuple(rules), journal=database.journal
    )


async def test_one_leader_at_a_time_and_a_successor_after_the_lease_runs_out(database, clock):
    first = Scheduler(context(database, clock), database.leases, holder="a")
    second = Scheduler(context(database, clock), database.leases, holder="b")
    assert await first.keep_lead()
    assert not await second.keep_lead()
    assert await first.keep_lead()  # renewing
    clock.advance(timedelta(seconds=31))  # the leader died and stopped renewing
    assert await second.keep_lead()
    assert not await first.keep_lead()
    await second.stop()  # a clean stop hands over at once
    assert await first.keep_lead()


# Fanned out; with nobody in the audience there is nothing left to deliver, so it reads finished at once.
FANNED_OUT = {CampaignStatus.SENT, CampaignStatus.FINISHED}


async def test_only_the_leader_sweeps(database, clock):
    campaign = await database.broadcasts.create_campaign(
        CLI, CampaignDraft(CampaignKind.NEWS, "Новость", Audience(), clock.now())
    )
    leader = Scheduler(context(database, clock), database.leases, holder="a")
    standby = Scheduler(context(database, clock), database.leases, holder="b")
    await leader.keep_lead()
    await standby.run_pending()
    stats = await database.broadcasts.campaign(CLI, campaign.id)
    assert stats is not None
    assert stats.campaign.status is CampaignStatus.SCHEDULED
    await leader.run_pending()
    stats = await database.broadcasts.campaign(CLI, campaign.id)
    assert stats is not None
    assert stats.campaign.status in FANNED_OUT


async def test_apscheduler_runs_the_sweeps_by_reference(database, clock):
    campaign = await database.broadcasts.create_campaign(
        CLI, CampaignDraft(CampaignKind.NEWS, "Новость", Audience(), clock.now())
    )
    fast = (Sweep("notifications.sweeps:start_campaigns", timedelta(seconds=0.05)),)
    scheduler = Scheduler(context(database, clock), database.leases, sweeps_=fast)
    await scheduler.start()
    try:
        for _ in range(200):  # waits for the job, never asserts how long it took
            stats = await database.broadcasts.campaign(CLI, campaign.id)
            if stats is not None and stats.campaign.status in FANNED_OUT:
                break
            await asyncio.sleep(0.05)
        assert stats is not None
        assert stats.campaign.status in FANNED_OUT
    finally:
        await scheduler.stop()


async def started(records, account: str):
    return await records.identify("telegram", account, account)


async def test_a_nudge_goes_once_after_the_delay_to_those_who_stopped_half_way(database, clock):
    records = database.records
    rule = UnfinishedStartRule(database.reminder_sources, delay=timedelta(hours=24))
    halfway = await started(records, "1")
    declined = await started(records, "2")
    await records.choose_role(declined.id, Role.GRADUATE, AgeBand.ADULT)
    await records.decline(declined.id)
    no_profile = await started(records, "3")
    await records.choose_role(no_profile.id, Role.GRADUATE, AgeBand.ADULT)
    await records.give_own_consent(no_profile.id, version="v1", channel="telegram")
    done = await started(records, "4")
    await records.choose_role(done.id, Role.GRADUATE, AgeBand.ADULT)
    await records.give_own_consent(done.id, version="v1", channel="telegram")
    await records.save_profile(done.id, {"display_name": "Аня"})

    assert (await apply_rule(rule, database.outbox, clock.now())).enqueued == 0  # too early
    clock.advance(timedelta(hours=25))
    assert (await apply_rule(rule, database.outbox, clock.now())).enqueued == 2
    assert await database.outbox.pending_keys("nudge:") == {f"nudge:{halfway.id}", f"nudge:{no_profile.id}"}
    assert (await apply_rule(rule, database.outbox, clock.now())).enqueued == 0  # once

    await records.save_profile(no_profile.id, {"display_name": "Петя"})  # finished before it went
    run = await apply_rule(rule, database.outbox, clock.now())
    assert run.withdrawn == 1
    assert await database.outbox.pending_keys("nudge:") == {f"nudge:{halfway.id}"}


async def test_people_who_left_long_ago_are_not_chased(database, clock):
    await started(database.records, "1")
    clock.advance(timedelta(days=15))
    rule = UnfinishedStartRule(
        database.reminder_sources, delay=timedelta(hours=24), horizon=timedelta(days=14)
    )
    assert (await apply_rule(rule, database.outbox, clock.now())).enqueued == 0


FLAKY = "tests.notifications.test_scheduler:flaky"
FLAKY_FAILURES: list[int] = [2]  # failures left before the sweep works


async def flaky(name: str) -> None:
    """A sweep that fails twice (its database away, say), then works."""

    async def body(context: SweepContext) -> None:
        if FLAKY_FAILURES[0] > 0:
            FLAKY_FAILURES[0] -= 1
            raise ConnectionError("database away")

    await sweep_pass(name, FLAKY, body)


async def test_a_failing_sweep_is_retried_soon_not_at_its_next_interval_and_then_beats(database, clock):
    FLAKY_FAILURES[0] = 2
    supervisor = Supervisor(backoff=Backoff(first=0.01, cap=0.02))
    hourly = (Sweep(FLAKY, timedelta(hours=1)),)
    scheduler = Scheduler(context(database, clock), database.leases, sweeps_=hourly, supervisor=supervisor)
    await scheduler.start()
    try:
        # its first run now; the next by its interval would come in an hour
        scheduler._scheduler.modify_job(FLAKY, next_run_time=datetime.now(UTC))
        for _ in range(500):  # waits for the retries, never asserts how long they took
            if scheduler._context.runs.get("flaky"):
                break
            await asyncio.sleep(0.01)
        assert scheduler._context.runs.get("flaky") == 1  # two failures, retried, then a pass
        assert supervisor.failures("sweep flaky") == 0
        assert supervisor.heartbeats.stale(after=60) == []
    finally:
        await scheduler.stop()
