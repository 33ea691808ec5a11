"""«Обратная связь» over both databases: «Взять» raced by two operators (one wins), answers once per press
through the outbox, the role checked on every call, another person's ticket never found, the report's
figures, and erasure keeping only the anonymous figures."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from backend_client.broadcasts import CLI, Actor, NotOperator
from backend_client.errors import ConsentRequired
from backend_client.feedback import (
    TakenByOther,
    TakeOutcome,
    TicketClosed,
    TicketNotFound,
    Topic,
)
from backend_client.models import AgeBand, Role
from backend_client.sql.feedback.tables import feedback_tickets
from backend_client.sql.tables import outbox
from dialogs.views.feedback import closed_notice

DAY = timedelta(hours=24)


def notice(number: int, text: str) -> str:
    return f"№{number}: {text} — Центр"


async def person(database, account: str, *, consent: bool = True) -> int:
    records = database.records
    found = await records.identify("test", account, account)
    await records.choose_role(found.id, Role.GRADUATE, AgeBand.ADULT)
    if consent:
        await records.give_own_consent(found.id, version="v1", channel="test")
    return int(found.id)


async def operators(database, *accounts: str) -> list[Actor]:
    for account in accounts:
        await person(database, account)
        await database.broadcasts.grant_operator("test", account, by="test")
    return [Actor("test", account) for account in accounts]


async def test_two_operators_pressing_take_at_once_one_wins(database):
    first, second = await operators(database, "op1", "op2")
    someone = await person(database, "p")
    ticket = await database.feedback.open_ticket(someone, Topic.QUESTION, ["Помогите"], shared=False)
    for _ in range(5):  # a few rounds: whichever starts first, exactly one is told TAKEN
        outcomes = await asyncio.gather(
            database.feedback.take_ticket(first, ticket.id), database.feedback.take_ticket(second, ticket.id)
        )
        assert sorted(outcomes) in (
            sorted([TakeOutcome.TAKEN, TakeOutcome.OTHER]),
            sorted([TakeOutcome.MINE, TakeOutcome.OTHER]),
        )
    async with database.engine.connect() as connection:
        holder = (await connection.execute(select(feedback_tickets.c.assigned_to))).scalar()
    winner = first if holder == "test:op1" else second
    loser = second if winner is first else first
    with pytest.raises(TakenByOther):
        await database.feedback.answer_ticket(loser, ticket.id, "Ответ", notice)
    answered = await database.feedback.answer_ticket(winner, ticket.id, "Ответ", notice)
    assert answered.queued == 1


async def test_an_answer_is_queued_once_per_press_signed_by_the_centre(database):
    [op] = await operators(database, "op1")
    someone = await person(database, "p")
    ticket = await database.feedback.open_ticket(
        someone, Topic.COMPLAINT, ["Жалоба"], shared=True, press="k1"
    )
    again = await database.feedback.open_ticket(someone, Topic.COMPLAINT, ["Жалоба"], shared=True, press="k1")
    assert again.id == ticket.id  # the same press: one ticket
    pressed = Actor("test", "op1", "press-1")
    await database.feedback.answer_ticket(pressed, ticket.id, "Разберёмся", notice)
    await database.feedback.answer_ticket(pressed, ticket.id, "Разберёмся", notice)
    async with database.engine.connect() as connection:
        rows = (await connection.execute(select(outbox.c.text, outbox.c.category))).all()
    assert [(row.text, row.category) for row in rows] == [(f"№{ticket.id}: Разберёмся — Центр", "feedback")]
    view = await database.feedback.ticket_view(op, ticket.id)
    assert [m.text for m in view.messages] == ["Жалоба", "Разберёмся"]
    assert view.role == "graduate"


async def test_the_role_is_checked_on_every_call(database):
    [op] = await operators(database, "op1")
    someone = await person(database, "p")
    ticket = await database.feedback.open_ticket(someone, Topic.IDEA, ["Идея"], shared=False)
    assert [line.id for line in await database.feedback.inbox(op)] == [ticket.id]
    await database.broadcasts.revoke_operator("test", "op1", by="test")
    for call in (
        database.feedback.inbox(op),
        database.feedback.ticket_view(op, ticket.id),
        database.feedback.take_ticket(op, ticket.id),
        database.feedback.answer_ticket(op, ticket.id, "x", notice),
        database.feedback.close_ticket(op, ticket.id, closed_notice),
    ):
        with pytest.raises(NotOperator):
            await call
    with pytest.raises(NotOperator):
        await database.feedback.inbox(Actor("test", "p"))  # a person is not an operator


async def test_another_persons_ticket_is_never_found_and_consent_is_needed(database):
    mine, theirs = await person(database, "a"), await person(database, "b")
    ticket = await database.feedback.open_ticket(mine, Topic.MY_DATA, ["Удалите меня"], shared=False)
    for call in (
        database.feedback.own_ticket(theirs, ticket.id),
        database.feedback.add_to_ticket(theirs, ticket.id, "чужое"),
        database.feedback.close_own_ticket(theirs, ticket.id),
        database.feedback.rate_ticket(theirs, ticket.id, True),
    ):
        with pytest.raises(TicketNotFound):
            await call
    assert await database.feedback.close_own_ticket(mine, ticket.id)
    with pytest.raises(TicketClosed):
        await database.feedback.add_to_ticket(mine, ticket.id, "ещё")
    declined = await person(database, "c", consent=False)
    with pytest.raises(ConsentRequired):
        await database.feedback.open_ticket(declined, Topic.QUESTION, ["?"], shared=False)


async def test_the_report_counts_times_and_keeps_erased_peoples_figures(database, clock):
    [op] = await operators(database, "op1")
    people = [await person(database, f"p{n}") for n in range(4)]
    tickets = [
        await database.feedback.open_ticket(who, topic, ["текст"], shared=False)
        for who, topic in zip(
            people, (Topic.QUESTION, Topic.QUESTION, Topic.COMPLAINT, Topic.BOT_ERROR), strict=False
        )
    ]
    clock.advance(timedelta(hours=2))
    await database.feedback.answer_ticket(op, tickets[0].id, "Ответ", notice)
    clock.advance(timedelta(hours=30))
    await database.feedback.answer_ticket(op, tickets[1].id, "Ответ", notice)
    await database.feedback.rate_ticket(people[0], tickets[0].id, True)
    await database.feedback.rate_ticket(people[1], tickets[1].id, False)
    await database.records.erase(people[1], reason="test")
    report = await database.feedback.feedback_report(CLI, DAY)
    assert report.by_topic == {"question": 2, "complaint": 1, "bot_error": 1}
    assert report.answered == 2
    assert report.median_first_answer == pytest.approx(2.0)
    assert report.p90_first_answer == pytest.approx(32.0)
    assert report.answered_late == 1
    assert report.overdue_open == 2  # the complaint and the error, 32 h without an answer
    assert (report.useful, report.not_useful) == (1, 1)
    assert report.erased == 1
    assert report.open == 3
    assert [line.id for line in await database.feedback.inbox(op)] == [
        t.id for t in tickets if t != tickets[1]
    ]


async def test_a_shared_tickets_history_holds_only_earlier_tickets(database):
    [op] = await operators(database, "op1")
    someone = await person(database, "p")
    shared = await database.feedback.open_ticket(someone, Topic.QUESTION, ["Старый вопрос"], shared=True)
    await database.feedback.close_own_ticket(someone, shared.id)
    kept_back = await database.feedback.open_ticket(someone, Topic.MY_DATA, ["Не показывать"], shared=False)
    older = await database.feedback.ticket_view(op, shared.id)  # e.g. `frontdoor feedback show`
    assert [m.text for m in older.messages] == ["Старый вопрос"]
    assert older.history == ()  # the later ticket was not shared: its text is not shown here
    await database.feedback.close_own_ticket(someone, kept_back.id)
    newer = await database.feedback.open_ticket(someone, Topic.IDEA, ["Новая идея"], shared=True)
    view = await database.feedback.ticket_view(op, newer.id)
    assert [m.text for m in view.history] == ["Старый вопрос", "Не показывать"]


async def test_a_ticket_the_centre_closes_tells_its_person_once_and_their_own_close_tells_nobody(database):
    [op] = await operators(database, "op1")
    someone = await person(database, "p")
    closed_by_centre = await database.feedback.open_ticket(someone, Topic.QUESTION, ["Вопрос"], shared=False)
    closed_by_them = await database.feedback.open_ticket(someone, Topic.IDEA, ["Идея"], shared=False)
    erased = await person(database, "gone")
    of_erased = await database.feedback.open_ticket(erased, Topic.QUESTION, ["?"], shared=False)
    await database.records.erase(erased, reason="test")

    assert await database.feedback.close_ticket(op, closed_by_centre.id, closed_notice)
    assert not await database.feedback.close_ticket(CLI, closed_by_centre.id, closed_notice)
    assert await database.feedback.close_own_ticket(someone, closed_by_them.id)
    with pytest.raises(TicketNotFound):  # an erased person's ticket has nobody to tell
        await database.feedback.close_ticket(CLI, of_erased.id, closed_notice)
    async with database.engine.connect() as connection:
        rows = (await connection.execute(select(outbox.c.person_id, outbox.c.text, outbox.c.category))).all()
    assert [(row.person_id, row.text, row.category) for row in rows] == [
        (someone, closed_notice(closed_by_centre.id), "feedback")
    ]
    assert f"обращение №{closed_by_centre.id}" in rows[0].text
    assert "«💬 Написать в центр»" in rows[0].text
    assert "/feedback" in rows[0].text
