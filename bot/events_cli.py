"""``frontdoor events``: the «Профтуры и профпробы» catalogue from the command line.

``import FILE`` (YAML or CSV, idempotent by the entries' ids), ``list [--all]``, ``move ID --at "YYYY-MM-DD
HH:MM"``, ``cancel ID`` and ``demo`` (the demo catalogue dated from today). The command line acts as
``CLI`` through the same use cases as the bot (role check, audit line); times are the region's local time.
Moving or cancelling reaches the people signed up through the running bot's reminder rule.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from backend_client.broadcasts import CLI, OperatorError
from backend_client.event_catalogue import CatalogueError, local_moment, parse_catalogue
from backend_client.events import BadEvent, Event, EventDraft, EventNotFound
from backend_client.ports import EventCatalogue
from bot.cli import EXIT_OK, EXIT_USAGE, CliCommands, CliParsers, database_option, fail, say
from bot.operator_cli import command_database

if TYPE_CHECKING:
    from bot.settings import Settings


def event_line(event: Event, zone: ZoneInfo) -> str:
    start = f"{event.starts_at.astimezone(zone):%Y-%m-%d %H:%M}"
    places = f"{event.taken}/{event.capacity}"
    return (
        f"{event.id}\t{event.kind.value}\t{event.status.value}\t{start}\t{places}\t"
        f"{event.municipality}\tv{event.version}\t{event.title}"
    )


async def events_command(settings: Settings, args: argparse.Namespace) -> int:
    zone = ZoneInfo(settings.region.timezone)
    drafts: list[EventDraft] | None = None
    if args.action == "import":
        read = await _read_catalogue(args.file, zone)
        if isinstance(read, int):
            return read
        drafts = read
    async with command_database(settings) as database:
        try:
            await _act(database.events, args, zone, drafts)
        except EventNotFound:
            return fail(f"no event {args.id}")
        except BadEvent as error:
            return fail(f"refused: {error.code} ({error.reason})")
        except OperatorError as error:
            return fail(f"refused: {error.code}")
    return EXIT_OK


async def _read_catalogue(path: Path, zone: ZoneInfo) -> list[EventDraft] | int:
    """The catalogue's entries, or the exit status after every problem was listed."""
    try:
        text = await asyncio.to_thread(path.read_text, encoding="utf-8-sig")
        return parse_catalogue(text, filename=path.name, zone=zone)
    except OSError as error:
        return fail(f"cannot read {path}: {error.strerror}")
    except CatalogueError as error:
        for problem in error.problems:
            sys.stderr.write(f"frontdoor: {path.name}: {problem}\n")
        return EXIT_USAGE


async def _act(
    catalogue: EventCatalogue, args: argparse.Namespace, zone: ZoneInfo, drafts: list[EventDraft] | None
) -> None:
    if drafts is not None:
        result = await catalogue.import_events(CLI, drafts)
        say(
            f"imported: {result.created} new, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.skipped} skipped (cancelled)"
        )
    elif args.action == "list":
        for event in await catalogue.list_events(CLI, include_past=args.all):
            say(event_line(event, zone))
    elif args.action == "move":
        moved = await catalogue.move_event(CLI, args.id, local_moment(args.at, zone))
        say(f"moved: {event_line(moved, zone)}")
        say("the people signed up get new reminders from the running bot")
    elif args.action == "cancel":
        cancelled = await catalogue.cancel_event(CLI, args.id)
        say(f"cancelled: {event_line(cancelled, zone)}")
        say(f"{cancelled.taken} people signed up are told by the running bot")
    elif args.action == "demo":
        from backend_client.events_demo import load_demo

        demo = await load_demo(catalogue, datetime.now(zone), zone)
        say(f"demo catalogue: {demo.created} new, {demo.updated} moved to new dates")


def _time(value: str) -> str:
    try:
        datetime.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError("a time is YYYY-MM-DD HH:MM (local)") from None
    return value.strip()


def add_commands(parsers: CliParsers) -> None:
    epilog = parsers.epilog
    events = parsers.commands.add_parser(
        "events", help="the «Профтуры и профпробы» catalogue: import, list, move, cancel", epilog=epilog
    )
    actions = events.add_subparsers(dest="action", required=True, metavar="ACTION")
    imported = actions.add_parser(
        "import", help="import a catalogue (YAML or CSV; the same ids update, never duplicate)", epilog=epilog
    )
    imported.add_argument("file", type=Path, help="events.yaml or events.csv (times local)")
    database_option(imported)
    listing = actions.add_parser("list", help="events not finished yet", epilog=epilog)
    listing.add_argument("--all", action="store_true", help="past events too")
    database_option(listing)
    move = actions.add_parser("move", help="a new start (the length is kept)", epilog=epilog)
    move.add_argument("id", type=int)
    move.add_argument("--at", required=True, type=_time, help='local start, e.g. "2026-12-03 10:00"')
    database_option(move)
    cancel = actions.add_parser("cancel", help="cancel; the people signed up are told", epilog=epilog)
    cancel.add_argument("id", type=int)
    database_option(cancel)
    database_option(
        actions.add_parser("demo", help="load the demo catalogue dated from today", epilog=epilog)
    )


COMMAND_LINE = CliCommands(add=add_commands, commands={"events": events_command})
