"""`frontdoor feedback list|show|reply|close` and `frontdoor report feedback` as an operator meets them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from backend_client.clock import SystemClock
from backend_client.feedback import FeedbackReport, Topic
from backend_client.models import AgeBand, Role
from backend_client.sql import migrate, open_database
from backend_client.sql.tables import outbox
from bot.feedback_cli import format_report
from dialogs.views.feedback import closed_notice


async def test_list_show_reply_close_and_report(frontdoor, tmp_path):
    url = f"sqlite:///{tmp_path / 'feedback.db'}"
    migrate(url)
    database = await open_database(url, SystemClock())
    try:
        records = database.records
        person = await records.identify("telegram", "77", "77")
        await records.choose_role(person.id, Role.PUPIL, AgeBand.MINOR)
        await records.give_own_consent(person.id, version="v1", channel="telegram")
        ticket = await database.feedback.open_ticket(
            person.id, Topic.QUESTION, ["Где взять справку?"], shared=True
        )
    finally:
        await database.close()

    listed = frontdoor("feedback", "list", "--database", url)
    assert listed.returncode == 0, listed.stderr
    assert f"{ticket.id}\tquestion\t" in listed.stdout
    assert "\tfree\t1 msg" in listed.stdout
    shown = frontdoor("feedback", "show", str(ticket.id), "--database", url)
    assert "Где взять справку?" in shown.stdout
    assert "Role: pupil" in shown.stdout
    empty = frontdoor("feedback", "reply", str(ticket.id), "--text", " ", "--database", url)
    assert (empty.returncode, empty.stderr.strip()) == (2, "frontdoor: reply: the answer's text is empty")
    long = frontdoor("feedback", "reply", str(ticket.id), "--text", "а" * 2001, "--database", url)
    assert long.returncode == 2  # refused whole, not cut at 2000 characters and sent
    assert "longer than 2000" in long.stderr
    replied = frontdoor("feedback", "reply", str(ticket.id), "--text", "В кабинете 5.", "--database", url)
    assert replied.returncode == 0, replied.stderr
    assert "queued for 1 chat(s)" in replied.stdout
    closed = frontdoor("feedback", "close", str(ticket.id), "--database", url)
    assert f"ticket {ticket.id} closed" in closed.stdout
    again = frontdoor("feedback", "reply", str(ticket.id), "--text", "Ещё", "--database", url)
    assert (again.returncode, again.stderr.strip()) == (2, f"frontdoor: ticket {ticket.id} is closed")
    missing = frontdoor("feedback", "show", "99", "--database", url)
    assert missing.returncode == 2
    report = frontdoor("report", "feedback", "--database", url)
    assert report.returncode == 0, report.stderr
    assert "Tickets: 1 (0 open, 1 closed; 0 of erased people)" in report.stdout
    assert "  question\t1" in report.stdout
    assert "Где взять" not in report.stdout  # counts only

    database = await open_database(url, SystemClock())
    try:
        async with database.engine.connect() as connection:
            [text, closing] = (
                await connection.execute(select(outbox.c.text).order_by(outbox.c.id))
            ).scalars()
    finally:
        await database.close()
    assert "В кабинете 5." in text
    assert "Региональный центр" in text
    assert closing == closed_notice(ticket.id)  # `close` tells the person too


def test_the_report_reads_counts_only():
    text = format_report(
        FeedbackReport(
            by_topic={"question": 3, "complaint": 1},
            open=1,
            closed=3,
            answered=3,
            overdue_open=1,
            answered_late=1,
            median_first_answer=2.0,
            p90_first_answer=30.5,
            useful=2,
            not_useful=1,
            erased=1,
        ),
        timedelta(hours=24),
    )
    assert "Tickets: 4 (1 open, 3 closed; 1 of erased people)" in text
    assert "median 2.0 h, p90 30.5 h (target 24.0 h)" in text
    assert "Ratings: 👍 2, 👎 1" in text
