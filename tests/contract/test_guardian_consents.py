"""A parent's consent for a child over SQLite and PostgreSQL: it ends with its giver, the other side is
told in the same transaction, and an erased person's name leaves other people's outbox rows."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from backend_client.guardianship import GuardianNotices
from backend_client.models import AgeBand, ConsentStatus, InvitePurpose, Role
from backend_client.outreach import Category, Notice, OutboxStatus
from backend_client.sql.tables import outbox
from notifications.sweeps import OUTBOX_TEXT_RETENTION, SweepContext, _forget_outbox_texts

TOLD = GuardianNotices(
    consent_given="given",
    consent_refused="refused",
    confirmed="confirmed",
    confirm_refused="confirm refused",
    consent_ended="ended",
    confirmation_ended="confirmation ended",
    giver_unlinked="unlinked",
)


async def _family(records, *, name: str = "Злата") -> tuple[int, int]:
    """A parent (own consent) who consented for a 12-year-old; the child has a profile."""
    kid = await records.identify("test", "kid", "kid")
    await records.choose_role(kid.id, Role.PUPIL, AgeBand.CHILD)
    await records.await_guardian(kid.id)
    invite = await records.create_invite(kid.id, InvitePurpose.CONSENT, timedelta(days=7))
    mum = await records.identify("test", "mum", "mum")
    await records.choose_role(mum.id, Role.PARENT, AgeBand.ADULT)
    await records.give_own_consent(mum.id, version="v1", channel="test")
    await records.answer_invite(invite.code, mum.id, accept=True, version="v1", channel="test", told=TOLD)
    await records.save_profile(kid.id, {"display_name": name})
    return mum.id, kid.id


async def _rows(database) -> list[tuple[int, str, str, str]]:
    async with database.engine.connect() as connection:
        rows = await connection.execute(
            select(outbox.c.person_id, outbox.c.key, outbox.c.status, outbox.c.text).order_by(outbox.c.id)
        )
        return [(r.person_id, r.key, r.status, r.text) for r in rows]


async def test_the_child_is_told_of_the_consent_in_its_transaction_once(database, records):
    _, kid = await _family(records)
    assert [(p, s, t) for p, _, s, t in await _rows(database)] == [(kid, "pending", "given")]


async def test_the_giver_sees_and_withdraws_the_consent(database, records):
    mum, kid = await _family(records)
    [given] = await records.consents_given(mum)
    assert (given.child_id, given.child_name) == (kid, "Злата")
    assert await records.withdraw_given_consent(mum, kid, told=TOLD)
    assert not await records.withdraw_given_consent(mum, kid, told=TOLD)  # nothing left to withdraw
    child = await records.identify("test", "kid", "kid")
    assert child.consent is ConsentStatus.AWAITING_GUARDIAN
    assert await records.consents_of(kid) == []
    assert (await records.get_profile(kid)).is_empty
    assert await records.children_of(mum) == []
    assert (await records.identify("test", "mum", "mum")).consent is ConsentStatus.GRANTED
    texts = [t for p, _, _, t in await _rows(database) if p == kid]
    assert texts == ["given", "ended"]


async def test_erasing_the_giver_ends_the_consent_rather_than_orphaning_it(database, records):
    mum, kid = await _family(records)
    await records.erase(mum, reason="withdraw", told=TOLD)
    child = await records.identify("test", "kid", "kid")
    assert child.consent is ConsentStatus.AWAITING_GUARDIAN
    assert await records.consents_of(kid) == []


async def test_the_child_unlinking_the_giver_tells_the_giver(database, records):
    mum, kid = await _family(records)
    assert await records.unlink(mum, kid, actor_id=kid, told=TOLD)
    assert (await records.identify("test", "kid", "kid")).consent is ConsentStatus.AWAITING_GUARDIAN
    assert [t for p, _, _, t in await _rows(database) if p == mum] == ["unlinked"]


async def test_another_parents_consent_keeps_the_child_processed(database, records):
    _, kid = await _family(records)
    dad = await records.identify("test", "dad", "dad")
    await records.choose_role(dad.id, Role.PARENT, AgeBand.ADULT)
    await records.give_own_consent(dad.id, version="v1", channel="test")
    link = await records.create_invite(kid, InvitePurpose.LINK, timedelta(days=7))
    await records.answer_invite(link.code, dad.id, accept=True, version="v1", channel="test", told=TOLD)
    await records.unlink(dad.id, kid, actor_id=dad.id, told=TOLD)  # gave no consent: nothing ends
    assert (await records.identify("test", "kid", "kid")).consent is ConsentStatus.GRANTED
    assert (await records.get_profile(kid)).display_name == "Злата"


async def test_erasure_withdraws_and_blanks_the_rows_that_name_the_person(database, records, clock):
    mum, kid = await _family(records)
    now = clock.now()
    await database.outbox.enqueue(
        [
            Notice("event:1:v1:eve:kid:mum", mum, Category.EVENTS, "🔔 Завтра Злата идёт на профтур", now),
            Notice("event:2:v1:eve:other", mum, Category.EVENTS, "🔔 Завтра Златан идёт на профтур", now),
            Notice("news:1", mum, Category.NEWS, "Новости центра", now),
        ]
    )
    await records.erase(kid, reason="delete", told=TOLD)
    rows = {key: (status, text) for _, key, status, text in await _rows(database)}
    assert rows["event:1:v1:eve:kid:mum|test"] == (OutboxStatus.CANCELLED.value, "")
    assert rows["event:2:v1:eve:other|test"][1].startswith("🔔")  # another word, not the name
    assert rows["news:1|test"] == (OutboxStatus.PENDING.value, "Новости центра")
    assert not any("Злата " in text for _, _, _, text in await _rows(database))


async def test_outbox_texts_are_blanked_after_retention(database, records, clock):
    mum, _ = await _family(records)
    start = clock.now()
    await database.outbox.enqueue([Notice("news:old", mum, Category.NEWS, "старая новость", start)])
    for message in await database.outbox.claim(owner="r", limit=10, lease=timedelta(minutes=2)):
        await database.outbox.delivered(message.id, owner="r", sent_message_id="1")
    context = SweepContext(clock=clock, outbox=database.outbox, broadcasts=database.broadcasts)

    clock.advance(OUTBOX_TEXT_RETENTION - timedelta(hours=1))
    await _forget_outbox_texts(context)
    assert "старая новость" in [t for _, _, _, t in await _rows(database)]

    clock.advance(timedelta(hours=2))
    await _forget_outbox_texts(context)
    rows = {key: (status, text) for _, key, status, text in await _rows(database)}
    assert rows["news:old|test"] == (OutboxStatus.DELIVERED.value, "")
    assert (await database.outbox.counts())["delivered"] == 2  # the record of what was sent stays
