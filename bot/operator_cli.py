"""``frontdoor operator``, ``frontdoor broadcast`` and ``frontdoor maintenance``: the operator's powers
from the command line, through the same use cases as the bot's desk (and the same audit log).

The command line acts as ``CLI``: it runs with the database's own credentials, so it needs no grant.
Times are local to the region (FRONTDOOR_TIMEZONE) in ISO form: ``2026-12-01T22:00``.

System messages are numbered by their own id, as in the bot's desk: ``maintenance list`` and ``cancel``
take it, and ``broadcast list`` names the system message a stage belongs to beside the campaign's id.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from backend_client.broadcasts import (
    CLI,
    MAX_TEXT,
    Audience,
    CampaignDraft,
    CampaignKind,
    MaintenanceTexts,
    NoticeTooShort,
    OperatorError,
    SystemKind,
)
from backend_client.models import Role
from backend_client.ports import Broadcasts
from bot.cli import CliCommands, CliParsers, database_option

if TYPE_CHECKING:
    from backend_client.sql import Database
    from bot.settings import Settings

EXIT_OK, EXIT_USAGE = 0, 2


def parse_account(value: str) -> tuple[str, str]:
    """``telegram:123456`` -> ("telegram", "123456")."""
    channel, _, account = value.partition(":")
    if not channel or not account or len(account) > 64:
        raise argparse.ArgumentTypeError("an account is CHANNEL:ID, e.g. telegram:123456")
    return channel.strip(), account.strip()


def parse_operators(value: str) -> list[tuple[str, str]]:
    """FRONTDOOR_OPERATORS: accounts separated by commas or spaces."""
    return [parse_account(item) for item in value.replace(",", " ").split()]


@asynccontextmanager
async def command_database(settings: Settings) -> AsyncIterator[Database]:
    """The store for one command-line action: migrated first, in the region's time zone."""
    from backend_client.clock import SystemClock
    from backend_client.sql import open_database
    from bot.app import migrate_database

    url = settings.database.database_url
    await migrate_database(url)
    database = await open_database(url, SystemClock(), zone=ZoneInfo(settings.region.timezone))
    try:
        yield database
    finally:
        await database.close()


def _moment(value: str, zone: ZoneInfo) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def iso_time(value: str) -> str:
    """A local time as ``2026-12-01T18:00`` (checked here; the zone is applied by the command)."""
    try:
        datetime.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a time; write e.g. 2026-12-01T18:00") from None
    return value.strip()


def municipality_code(value: str) -> str:
    """A municipality by name, in any case form, or by OKATO code, through the bot's own matcher."""
    from dialogs.validation import InputError, match_municipality

    try:
        match = match_municipality(value)
    except InputError:
        match = None
    if match is not None and match.found is not None:
        return match.found.code
    if match is not None and match.candidates:
        names = ", ".join(m.title for m in match.candidates)
        question = f"did you mean {names}?" if match.guessed else f"which one: {names}?"
        raise argparse.ArgumentTypeError(f"{value!r} is not exact; {question}")
    raise argparse.ArgumentTypeError(
        f"unknown municipality {value!r}: give one of the region's by name (e.g. Тольятти, "
        "Кинельский район) or its OKATO code (e.g. 36440)"
    )


def bounded(low: int, high: int, what: str) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"a {what} is a number from {low} to {high}") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{what} {number} is out of range: {low} to {high}")
        return number

    parse.__name__ = what  # argparse names the type in its messages
    return parse


def _text_problem(text: str) -> str | None:
    """What is wrong with a campaign's text, said plainly (the store answers only «bad_campaign»)."""
    if not text.strip():
        return "--text is empty: write the message to send"
    if len(text.strip()) > MAX_TEXT:
        return f"--text is {len(text.strip())} characters long; the limit is {MAX_TEXT}"
    return None


def _audience(args: argparse.Namespace) -> Audience:
    return Audience(
        roles=tuple(Role(role) for role in args.role or ()),
        municipalities=tuple(args.municipality or ()),
        institutions=tuple(args.institution or ()),
        grades=tuple(args.grade or ()),
        courses=tuple(args.course or ()),
    )


def _fail(message: str) -> int:
    print(f"frontdoor: {message}", file=sys.stderr)
    return EXIT_USAGE


async def operator_command(settings: Settings, args: argparse.Namespace) -> int:
    async with command_database(settings) as database:
        broadcasts = database.broadcasts
        if args.action == "list":
            for channel, account in await broadcasts.operator_accounts():
                print(f"{channel}:{account}")
            return EXIT_OK
        channel, account = args.account
        if args.action == "grant":
            added = await broadcasts.grant_operator(channel, account, by="cli")
            print(f"{channel}:{account} {'is now an operator' if added else 'was already an operator'}")
        else:
            removed = await broadcasts.revoke_operator(channel, account, by="cli")
            print(f"{channel}:{account} {'is no longer an operator' if removed else 'was not an operator'}")
    return EXIT_OK


async def broadcast_command(settings: Settings, args: argparse.Namespace) -> int:
    zone = ZoneInfo(settings.region.timezone)
    async with command_database(settings) as database:
        broadcasts = database.broadcasts
        try:
            if args.action == "preview":
                print(f"recipients now: {await broadcasts.audience_size(CLI, _audience(args))}")
            elif args.action == "create":
                return await _create_campaign(broadcasts, args, zone)
            elif args.action == "list":
                for campaign in await broadcasts.recent_campaigns(CLI, limit=args.limit):
                    when = f"{campaign.not_before.astimezone(zone):%Y-%m-%d %H:%M}"
                    line = f"{campaign.id}\t{campaign.kind.value}\t{campaign.status.value}\t{when}"
                    print(line + _system_of(campaign.system_message_id))
            elif args.action == "stats":
                return await _campaign_stats(broadcasts, args.id)
            elif args.action == "cancel":
                print(f"withdrawn from the outbox: {await broadcasts.cancel_campaign(CLI, args.id)}")
        except OperatorError as error:
            return _fail(f"refused: {error.code}")
    return EXIT_OK


async def _create_campaign(broadcasts: Broadcasts, args: argparse.Namespace, zone: ZoneInfo) -> int:
    problem = _text_problem(args.text)
    if problem:
        return _fail(problem)
    now = datetime.now(zone)
    at = _moment(args.at, zone) if args.at else now
    if at < now:
        return _fail(
            f"--at {at:%Y-%m-%d %H:%M} is in the past (now {now:%Y-%m-%d %H:%M}); "
            "give a future local time, or leave --at out to send now"
        )
    draft = CampaignDraft(CampaignKind.NEWS, args.text, _audience(args), at)
    campaign = await broadcasts.create_campaign(CLI, draft)
    size = await broadcasts.audience_size(CLI, campaign.audience)
    start = campaign.not_before.astimezone(zone)
    print(f"campaign {campaign.id} scheduled for {start:%Y-%m-%d %H:%M}")
    print(f"recipients now: {size}; the running bot's scheduler starts it when due")
    return EXIT_OK


async def _campaign_stats(broadcasts: Broadcasts, campaign_id: int) -> int:
    stats = await broadcasts.campaign(CLI, campaign_id)
    if stats is None:
        return _fail(f"no campaign {campaign_id}")
    c = stats.campaign
    of = f" of system message {c.system_message_id}" if c.system_message_id else ""
    print(f"campaign {c.id} ({c.kind.value}{of}), {c.status.value}, recipients {c.recipients}")
    print(f"queued {stats.queued} (held by quiet hours {stats.held_quiet})")
    for status, count in sorted(stats.by_status.items()):
        print(f"  {status}\t{count}")
    for reason, count in sorted(stats.failures.items()):
        print(f"  failed: {reason or '-'}\t{count}")
    return EXIT_OK


async def maintenance_command(settings: Settings, args: argparse.Namespace) -> int:
    from dialogs.texts import t

    zone = ZoneInfo(settings.region.timezone)
    async with command_database(settings) as database:
        broadcasts = database.broadcasts
        try:
            if args.action == "plan":
                start, end = _moment(args.start, zone), _moment(args.end, zone)
                window = {
                    "start": f"{start:%d.%m.%Y %H:%M}",
                    "end": f"{end:%d.%m.%Y %H:%M}",
                    "text": args.text,
                }
                texts = MaintenanceTexts(
                    t("system.maintenance", **window),
                    t("system.maintenance_eve", **window),
                    t("system.maintenance_done", **window),
                )
                message = await broadcasts.plan_maintenance(CLI, start, end, texts)
                print(f"planned works {message.id} announced; eve reminder and 'finished' message scheduled")
            elif args.action == "emergency":
                message = await broadcasts.announce_emergency(CLI, t("system.emergency", text=args.text))
                print(f"emergency notice {message.id} is going out to every account")
            elif args.action in ("cancel", "resolve"):
                kind = next((m.kind for m in await broadcasts.system_messages() if m.id == args.id), None)
                resolved = t("system.resolved_notice") if args.action == "resolve" else None
                if args.action == "resolve" and kind is not SystemKind.EMERGENCY:
                    return _fail(
                        f"no open emergency notice {args.id} (planned works are called off with cancel)"
                    )
                done = await broadcasts.cancel_system_message(
                    CLI, args.id, works_off=t("system.cancelled_notice"), resolved=resolved
                )
                print(_called_off(args.id, kind, resolved) if done else f"no open system message {args.id}")
            else:
                for message in await broadcasts.system_messages():
                    begins = f"{message.starts_at.astimezone(zone):%Y-%m-%d %H:%M}"
                    ends = f"{message.ends_at.astimezone(zone):%Y-%m-%d %H:%M}" if message.ends_at else "-"
                    print(f"{message.id}\t{message.kind.value}\t{begins}\t{ends}")
        except NoticeTooShort as error:
            return _fail(
                "planned works must be announced at least 3 whole working days ahead; "
                f"the earliest start now is {error.earliest:%Y-%m-%d}"
            )
        except OperatorError as error:
            return _fail(f"refused: {error.code}")
    return EXIT_OK


def _system_of(message_id: int | None) -> str:
    return f"\tsystem message {message_id}" if message_id is not None else ""


def _called_off(message_id: int, kind: SystemKind | None, resolved: str | None) -> str:
    if kind is SystemKind.EMERGENCY:
        told = "everyone is told it is fixed" if resolved else "nobody is told anything"
        return f"emergency notice {message_id} withdrawn: what had not gone out is taken back; {told}"
    if kind is SystemKind.MAINTENANCE:
        return (
            f"planned works {message_id} called off: reminders withdrawn; those already told hear it is off"
        )
    return f"system message {message_id} called off"


def add_commands(parsers: CliParsers) -> None:
    commands, epilog = parsers.commands, parsers.epilog
    operator = commands.add_parser("operator", help="grant, revoke or list the operator role", epilog=epilog)
    operator_actions = operator.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, summary in (("grant", "give an account the operator role"), ("revoke", "take the role away")):
        sub = operator_actions.add_parser(name, help=summary, epilog=epilog)
        sub.add_argument("account", type=parse_account, help="CHANNEL:ID, e.g. telegram:123456")
        database_option(sub)
    database_option(operator_actions.add_parser("list", help="accounts holding the role", epilog=epilog))

    broadcast = commands.add_parser("broadcast", help="campaigns to an audience", epilog=epilog)
    actions = broadcast.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, summary in (("preview", "count the audience"), ("create", "schedule a campaign")):
        sub = actions.add_parser(name, help=summary, epilog=epilog)
        if name == "create":
            sub.add_argument("--text", required=True, help="the message (Russian, up to 3500 characters)")
            sub.add_argument(
                "--at", type=iso_time, help="local start time, e.g. 2026-12-01T18:00 (default: now)"
            )
        sub.add_argument("--role", action="append", choices=[role.value for role in Role])
        sub.add_argument(
            "--municipality",
            action="append",
            type=municipality_code,
            metavar="NAME|OKATO",
            help="a name (Тольятти, «Кинельский район») or an OKATO code (36440)",
        )
        sub.add_argument("--institution", action="append", help="school or college name as in profiles")
        sub.add_argument("--grade", action="append", type=bounded(5, 11, "grade"), help="5 to 11")
        sub.add_argument("--course", action="append", type=bounded(1, 6, "course"), help="1 to 6")
        database_option(sub)
    listing = actions.add_parser("list", help="recent campaigns", epilog=epilog)
    listing.add_argument("--limit", type=int, default=20)
    database_option(listing)
    for name, summary in (("stats", "delivery figures"), ("cancel", "stop before or during sending")):
        sub = actions.add_parser(name, help=summary, epilog=epilog)
        sub.add_argument("id", type=int)
        database_option(sub)

    maintenance = commands.add_parser(
        "maintenance", help="system messages: planned works, emergencies", epilog=epilog
    )
    kinds = maintenance.add_subparsers(dest="action", required=True, metavar="ACTION")
    plan = kinds.add_parser(
        "plan", help="announce planned works (3 working days ahead at least)", epilog=epilog
    )
    plan.add_argument("--start", required=True, help="local time, e.g. 2026-12-01T22:00")
    plan.add_argument("--end", required=True, help="local time, e.g. 2026-12-02T02:00")
    plan.add_argument("--text", required=True, help="what will not work (Russian)")
    database_option(plan)
    emergency = kinds.add_parser(
        "emergency", help="tell everyone now (critical, silent at night)", epilog=epilog
    )
    emergency.add_argument("--text", required=True)
    database_option(emergency)
    cancel = kinds.add_parser(
        "cancel",
        help="call off planned works, or withdraw an emergency notice without telling anyone",
        epilog=epilog,
    )
    cancel.add_argument("id", type=int, help="the system message's number (maintenance list)")
    database_option(cancel)
    resolve = kinds.add_parser(
        "resolve", help="withdraw an emergency notice and tell everyone the problem is fixed", epilog=epilog
    )
    resolve.add_argument("id", type=int, help="the emergency notice's number (maintenance list)")
    database_option(resolve)
    database_option(kinds.add_parser("list", help="current system messages", epilog=epilog))


COMMAND_LINE = CliCommands(
    add=add_commands,
    commands={
        "operator": operator_command,
        "broadcast": broadcast_command,
        "maintenance": maintenance_command,
    },
)
