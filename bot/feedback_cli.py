"""``frontdoor feedback list|show|reply|close`` and ``frontdoor report feedback``: the operators' inbox of
«Обратная связь» on the command line, through the same use cases as the desk (the same audit log), acting
as ``CLI``. ``reply`` queues the answer through the outbox signed with the centre's name
(``FRONTDOOR_REGION_OPERATOR_NAME``); the report is counts and times only, nothing about anyone."""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from backend_client.broadcasts import CLI
from backend_client.feedback import (
    MAX_TEXT,
    FeedbackError,
    FeedbackReport,
    InboxLine,
    TakenByOther,
    TicketClosed,
    TicketNotFound,
    TicketView,
)
from backend_client.reference import municipality
from bot.cli import EXIT_OK, CliCommands, CliParsers, database_option, fail, say
from bot.operator_cli import command_database

if TYPE_CHECKING:
    from backend_client.ports import Feedback
    from bot.settings import Settings


def _hours(span: timedelta) -> str:
    return f"{span.total_seconds() / 3600:.1f} h"


def inbox_line(line: InboxLine, now: datetime, target: timedelta, zone: ZoneInfo) -> str:
    waited = now - line.opened_at
    late = "OVERDUE" if not line.answered and waited > target else ("answered" if line.answered else "")
    opened = f"{line.opened_at.astimezone(zone):%Y-%m-%d %H:%M}"
    holder = line.assigned_to or "free"
    state = late or "-"
    return (
        f"{line.id}\t{line.topic.value}\t{opened}\t{_hours(waited)}\t{state}\t{holder}\t{line.messages} msg"
    )


def ticket_lines(ticket: TicketView, zone: ZoneInfo) -> list[str]:
    line = ticket.line
    holder = line.assigned_to or "nobody"
    lines = [f"Ticket {line.id} · {line.topic.value} · {ticket.status.value} · held by {holder}"]
    if ticket.shared:
        place = municipality(ticket.municipality) if ticket.municipality else None
        lines.append(f"Role: {ticket.role or '-'}; municipality: {place.title if place else '-'}")
    else:
        lines.append("The person did not agree to show their role, municipality or earlier tickets.")
    for message in ticket.messages:
        lines.append(f"[{message.at.astimezone(zone):%Y-%m-%d %H:%M}] {message.author.value}: {message.text}")
    if ticket.history:
        lines.append("Earlier messages:")
        lines += [f"  {message.author.value}: {message.text}" for message in ticket.history]
    return lines


async def _act(feedback: Feedback, args: argparse.Namespace, settings: Settings) -> int:
    zone = ZoneInfo(settings.region.timezone)
    target = timedelta(hours=settings.feedback.feedback_answer_hours)
    if args.action == "list":
        lines = await feedback.inbox(CLI)
        now = datetime.now(tz=zone)
        say("id\ttopic\topened\twaiting\tstate\theld by\tmessages")
        for line in lines:
            say(inbox_line(line, now, target, zone))
        return EXIT_OK
    if args.action == "show":
        for text in ticket_lines(await feedback.ticket_view(CLI, args.id), zone):
            say(text)
        return EXIT_OK
    if args.action == "reply":
        from dialogs.views.feedback import reply_notice

        centre = settings.region.operator_name
        answered = await feedback.answer_ticket(
            CLI, args.id, args.text, lambda number, body: reply_notice(number, body, centre)
        )
        say(f"answer to ticket {args.id} queued for {answered.queued} chat(s)")
        return EXIT_OK
    from dialogs.views.feedback import closed_notice

    closed = await feedback.close_ticket(CLI, args.id, closed_notice)
    say(f"ticket {args.id} closed" if closed else f"ticket {args.id} was closed already")
    return EXIT_OK


async def feedback_command(settings: Settings, args: argparse.Namespace) -> int:
    if args.action == "reply" and not args.text.strip():
        return fail("reply: the answer's text is empty")
    if args.action == "reply" and len(args.text.strip()) > MAX_TEXT:  # the store would cut it silently
        return fail(f"reply: the answer is longer than {MAX_TEXT} characters")
    async with command_database(settings) as database:
        try:
            return await _act(database.feedback, args, settings)
        except TicketNotFound:
            return fail(f"no ticket {args.id} (or its person's data was erased)")
        except TicketClosed:
            return fail(f"ticket {args.id} is closed")
        except TakenByOther:
            return fail(f"ticket {args.id} is held by another operator")
        except FeedbackError as error:
            return fail(f"ticket {args.id}: {type(error).__name__}")


def format_report(report: FeedbackReport, target: timedelta) -> str:
    def hours(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f} h"

    total = report.open + report.closed
    lines = [
        "Feedback tickets (aggregates, no personal data)",
        "",
        f"Tickets: {total} ({report.open} open, {report.closed} closed; {report.erased} of erased people)",
        f"Answered: {report.answered}; time to first answer: median {hours(report.median_first_answer)}, "
        f"p90 {hours(report.p90_first_answer)} (target {_hours(target)})",
        f"Overdue: {report.overdue_open} open and unanswered past the target; "
        f"{report.answered_late} answered late",
        f"Ratings: 👍 {report.useful}, 👎 {report.not_useful}",
        "",
        "By topic:",
    ]
    if not report.by_topic:
        lines.append("  (none)")
    for topic, count in sorted(report.by_topic.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"  {topic}\t{count}")
    return "\n".join(lines)


async def report_feedback(settings: Settings, args: argparse.Namespace) -> int:
    target = timedelta(hours=settings.feedback.feedback_answer_hours)
    async with command_database(settings) as database:
        report = await database.feedback.feedback_report(CLI, target)
    say(format_report(report, target))
    return EXIT_OK


def add_commands(parsers: CliParsers) -> None:
    epilog = parsers.epilog
    feedback = parsers.commands.add_parser(
        "feedback", help="«Обратная связь»: the operators' inbox of tickets", epilog=epilog
    )
    actions = feedback.add_subparsers(dest="action", required=True, metavar="ACTION")
    database_option(actions.add_parser("list", help="open tickets, oldest first", epilog=epilog))
    show = actions.add_parser("show", help="one ticket with its messages", epilog=epilog)
    show.add_argument("id", type=int)
    database_option(show)
    reply = actions.add_parser(
        "reply", help="answer a ticket (through the outbox, signed by the centre)", epilog=epilog
    )
    reply.add_argument("id", type=int)
    reply.add_argument("--text", required=True, help="the answer the person gets")
    database_option(reply)
    close = actions.add_parser("close", help="close a ticket", epilog=epilog)
    close.add_argument("id", type=int)
    database_option(close)
    report = parsers.reports.add_parser(
        "feedback",
        help="tickets by topic, time to first answer (median, p90), overdue, ratings",
        epilog=epilog,
    )
    database_option(report)


COMMAND_LINE = CliCommands(
    add=add_commands, commands={"feedback": feedback_command}, reports={"feedback": report_feedback}
)
