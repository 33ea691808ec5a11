"""The outbox over SQLite and PostgreSQL: idempotent enqueue, leases, outcomes, withdrawal, settings."""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import insert

from backend_client.errors import ConsentRequired
from backend_client.models import AgeBand, Role
from backend_client.outreach import (
    ADULT_QUIET_HOURS,
    MINOR_QUIET_HOURS,
    Category,
    DeliveryMode,
    Notice,
    OutboxStatus,
    Priority,
    QuietHours,
)
from backend_client.sql.tables import channel_accounts

LEASE = timedelta(minutes=2)


async def person(records, account: str, band: AgeBand = AgeBand.ADULT) -> int:
    someone = await records.identify("test", account, f"chat-{account}")
    await records.choose_role(someone.id, Role.GRADUATE if band is AgeBand.ADULT else Role.PUPIL, band)
    await records.give_own_consent(someone.id, version="v1", channel="test")
    return int(someone.id)


def notice(person_id: int, key: str, at: datetime, **extra) -> Notice:
    return Notice(key, person_id, extra.pop("category", Category.NEWS), f"текст {key}", at, **extra)


async def test_a_notice_becomes_one_row_per_account_once(database, clock):
    pid = await person(database.records, "1")
    await database.records.identify("other", "1x", "chat-1x")  # someone else's account: not fanned out
    outbox = database.outbox
    assert await outbox.enqueue([notice(pid, "n1", clock.now())]) == 1
    assert await outbox.enqueue([notice(pid, "n1", clock.now())]) == 0  # same key: nothing new
    assert await outbox.counts() == {"pending": 1}


async def test_blocked_accounts_and_unknown_people_get_no_rows(database, clock):
    pid = await person(database.records, "1")
    await database.records.set_blocked("test", "1", True)
    assert (
        await database.outbox.enqueue([notice(pid, "n1", clock.now()), notice(999_999, "n2", clock.now())])
        == 0
    )


async def test_only_due_rows_are_claimed_most_urgent_first(database, clock):
    pid = await person(database.records, "1")
    now = clock.now()
    await database.outbox.enqueue(
        [
            notice(pid, "later", now + timedelta(hours=1)),
            notice(pid, "bulk", now, priority=Priority.BULK),
            notice(pid, "critical", now - timedelta(minutes=1), priority=Priority.CRITICAL, critical=True),
        ]
    )
    claimed = await database.outbox.claim(owner="r1", limit=10, lease=LEASE)
    assert [m.text for m in claimed] == ["текст critical", "текст bulk"]
    assert claimed[0].chat_id == "chat-1"
    assert claimed[0].critical
    assert await database.outbox.claim(owner="r2", limit=10, lease=LEASE) == []  # leased


async def test_a_dead_relays_rows_come_back_when_its_lease_expires(database, clock):
    pid = await person(database.records, "1")
    await database.outbox.enqueue([notice(pid, "a", clock.now()), notice(pid, "b", clock.now())])
    first = await database.outbox.claim(owner="dead", limit=10, lease=LEASE)
    assert await database.outbox.start_sending(first[0].id, owner="dead")
    clock.advance(LEASE + timedelta(seconds=1))
    again = await database.outbox.claim(owner="alive", limit=10, lease=LEASE)
    assert sorted(m.id for m in again) == sorted(m.id for m in first)
    assert not await database.outbox.start_sending(first[1].id, owner="dead")  # the lease moved on
    assert await database.outbox.start_sending(first[1].id, owner="alive")


async def test_released_rows_are_due_again_at_once_in_their_place(database, clock):
    pid = await person(database.records, "1")
    now = clock.now()
    await database.outbox.enqueue([notice(pid, f"early{n}", now) for n in range(3)])
    claimed = await database.outbox.claim(owner="failing", limit=10, lease=LEASE)
    assert await database.outbox.start_sending(claimed[0].id, owner="failing")  # under way: not released
    clock.advance(timedelta(seconds=5))
    await database.outbox.enqueue([notice(pid, "later", clock.now())])  # a later notice, same priority
    ids = [m.id for m in claimed]
    assert await database.outbox.release(ids, owner="someone else") == 0  # only the holder gives back
    assert await database.outbox.release(ids, owner="failing") == 2
    assert await database.outbox.counts() == {"sending": 1, "pending": 3}
    again = await database.outbox.claim(owner="next", limit=2, lease=LEASE)
    assert [m.text for m in again] == ["текст early1", "текст early2"]  # ahead of the later one


async def test_outcomes_are_final_and_counted(database, clock):
    pid = await person(database.records, "1")
    await database.outbox.enqueue([notice(pid, k, clock.now()) for k in ("ok", "bad", "later")])
    rows = {m.text[-3:]: m for m in await database.outbox.claim(owner="r", limit=10, lease=LEASE)}
    for row in rows.values():
        assert await database.outbox.start_sending(row.id, owner="r")
    await database.outbox.delivered(rows[" ok"].id, owner="r", sent_message_id="77")
    await database.outbox.finish(rows["bad"].id, OutboxStatus.FAILED, owner="r", reason="Bad Request: x" * 50)
    await database.outbox.postpone(rows["ter"].id, owner="r", until=clock.now() + timedelta(hours=1))
    assert await database.outbox.counts() == {"delivered": 1, "failed": 1, "pending": 1}
    [(reason, count)] = (await database.outbox.failures()).items()
    assert count == 1
    assert len(reason) == 200
    assert await database.outbox.next_due() == clock.now() + timedelta(hours=1)
    with pytest.raises(ValueError, match="final"):
        await database.outbox.finish(rows["ter"].id, OutboxStatus.PENDING, owner="r")


async def test_a_blocked_chat_stops_everything_waiting_for_it(database, clock):
    pid = await person(database.records, "1")
    await database.outbox.enqueue([notice(pid, k, clock.now() + timedelta(hours=1)) for k in ("a", "b")])
    assert await database.outbox.stop_account("test", "chat-1", reason="Forbidden: bot was blocked") == 2
    assert await database.outbox.counts() == {"blocked": 2}
    [account] = await database.records.accounts_of(pid)
    assert account.blocked_at == clock.now()


async def test_cancel_by_key_or_campaign_withdraws_unsent_rows_only(database, clock):
    pid = await person(database.records, "1")
    now = clock.now()
    await database.outbox.enqueue(
        [notice(pid, "rem:1:v1", now), notice(pid, "rem:1:v10", now), notice(pid, "c", now, campaign_id=5)]
    )
    [sent] = list(await database.outbox.claim(owner="r", limit=1, lease=LEASE))
    await database.outbox.start_sending(sent.id, owner="r")
    assert await database.outbox.cancel(["rem:1:v1"]) == 0  # the one under way is not withdrawn
    assert await database.outbox.cancel(campaign_id=5) == 1
    assert await database.outbox.cancel(["rem:1:v10"]) == 1
    assert await database.outbox.cancel() == 0


async def test_a_relay_claims_only_the_channels_it_can_send_to(database, clock):
    pid = await person(database.records, "1")
    async with database.engine.begin() as connection:  # the same person also writes from VK
        await connection.execute(
            insert(channel_accounts).values(
                person_id=pid, channel="vk", external_id="1", chat_id="vk-1", created_at=clock.now()
            )
        )
    assert await database.outbox.enqueue([notice(pid, "a", clock.now())]) == 2
    assert await database.outbox.claim(owner="r", limit=10, lease=LEASE, channels=["max"]) == []
    only_vk = await database.outbox.claim(owner="r", limit=10, lease=LEASE, channels={"vk"})
    assert [m.chat_id for m in only_vk] == ["vk-1"]
    rest = await database.outbox.claim(owner="r", limit=10, lease=LEASE)  # no filter: every channel
    assert [m.chat_id for m in rest] == ["chat-1"]


async def test_claims_by_concurrent_relays_never_overlap(database, clock):
    pids = [await person(database.records, str(i)) for i in range(20)]
    await database.outbox.enqueue([notice(p, f"n{p}", clock.now()) for p in pids])
    batches = await asyncio.gather(
        *(database.outbox.claim(owner=f"r{i}", limit=7, lease=LEASE) for i in range(4))
    )
    ids = [m.id for batch in batches for m in batch]
    assert len(ids) == len(set(ids)) == 20


async def test_claimed_rows_carry_the_persons_choices(database, clock):
    adult, minor = await person(database.records, "1"), await person(database.records, "2", AgeBand.MINOR)
    await database.records.set_delivery_mode(adult, Category.NEWS, DeliveryMode.OFF)
    own = QuietHours(time(23, 30), time(7, 0))
    await database.records.set_quiet_hours(adult, own)
    await database.outbox.enqueue([notice(adult, "a", clock.now()), notice(minor, "m", clock.now())])
    by_person = {m.person_id: m for m in await database.outbox.claim(owner="r", limit=10, lease=LEASE)}
    assert by_person[adult].mode is DeliveryMode.OFF
    assert by_person[adult].quiet == own
    assert by_person[minor].mode is DeliveryMode.INSTANT
    assert by_person[minor].quiet == MINOR_QUIET_HOURS


async def test_settings_are_kept_exported_and_reset(database):
    pid = await person(database.records, "1")
    records = database.records
    await records.set_delivery_mode(pid, Category.VACANCIES, DeliveryMode.DIGEST)
    await records.set_quiet_hours(pid, ADULT_QUIET_HOURS)
    settings = await records.notification_settings(pid)
    assert settings.mode(Category.VACANCIES) is DeliveryMode.DIGEST
    assert settings.mode(Category.NEWS) is DeliveryMode.INSTANT
    exported = (await records.export(pid))["notifications"]
    assert exported == {"modes": {"vacancies": "digest"}, "quiet_hours": {"start": "22:00", "end": "08:00"}}
    await records.set_quiet_hours(pid, None)
    assert (await records.notification_settings(pid)).quiet is None


async def test_settings_need_consent(database):
    someone = await database.records.identify("test", "1", "1")
    with pytest.raises(ConsentRequired):
        await database.records.set_delivery_mode(someone.id, Category.NEWS, DeliveryMode.OFF)


async def test_erasing_a_person_removes_their_messages_and_settings(database, clock):
    pid = await person(database.records, "1")
    await database.records.set_delivery_mode(pid, Category.NEWS, DeliveryMode.OFF)
    await database.outbox.enqueue([notice(pid, "a", clock.now())])
    await database.records.erase(pid, reason="user_request")
    assert await database.outbox.counts() == {}


async def test_one_holder_of_a_lease_at_a_time(database, clock):
    leases = database.leases
    assert await leases.hold("scheduler", "a", timedelta(seconds=30))
    assert not await leases.hold("scheduler", "b", timedelta(seconds=30))
    assert await leases.hold("scheduler", "a", timedelta(seconds=30))  # renewal
    clock.advance(timedelta(seconds=31))
    assert await leases.hold("scheduler", "b", timedelta(seconds=30))  # a stopped renewing
    await leases.let_go("scheduler", "a")  # not a's any more: nothing happens
    assert not await leases.hold("scheduler", "a", timedelta(seconds=30))
    await leases.let_go("scheduler", "b")
    assert await leases.hold("scheduler", "a", timedelta(seconds=30))


def test_quiet_hours_need_two_different_times():
    with pytest.raises(ValueError, match="different"):
        QuietHours(time(22, 0), time(22, 0))
