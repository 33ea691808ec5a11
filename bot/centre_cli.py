"""``frontdoor centre``: the employment centres' slots from the command line.

``import-slots FILE`` (CSV with the header ``municipality,service,starts_at,capacity`` or YAML: a list of
the same fields; times without an offset are the region's local time; idempotent by municipality,
service and start, a changed capacity changes the slot), ``slots [--municipality CODE] [--all]`` and
``remove-slot ID``: the people booked on it are told at once (a notice each, in the removal's
transaction); their reminders are withdrawn on the running bot's next sweep.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from backend_client.graduates.centres import BadSlotFile, Slot, SlotRow, slot_rows
from bot.cli import EXIT_OK, CliCommands, CliParsers, database_option, fail, say
from bot.operator_cli import command_database
from dialogs.views.graduates import removed_by_centre

if TYPE_CHECKING:
    from bot.settings import Settings


def slot_line(slot: Slot, zone: ZoneInfo) -> str:
    start = f"{slot.starts_at.astimezone(zone):%Y-%m-%d %H:%M}"
    return f"{slot.id}\t{slot.municipality}\t{slot.service.value}\t{start}\t{slot.taken}/{slot.capacity}"


async def centre_command(settings: Settings, args: argparse.Namespace) -> int:
    zone = ZoneInfo(settings.region.timezone)
    rows: list[SlotRow] = []
    if args.action == "import-slots":
        try:
            text = await asyncio.to_thread(args.file.read_text, encoding="utf-8-sig")
            rows = slot_rows(text, yaml_file=args.file.suffix.lower() in {".yaml", ".yml"}, zone=zone)
        except OSError as error:
            return fail(f"cannot read {args.file}: {error.strerror}")
        except BadSlotFile as error:
            return fail(f"{args.file.name}: {error}")
    async with command_database(settings) as database:
        slots = database.graduates
        if args.action == "import-slots":
            result = await slots.import_slots(rows)
            say(f"slots: {result.added} new, {result.changed} changed, {result.unchanged} unchanged")
        elif args.action == "slots":
            since = None if args.all else datetime.now(zone)
            for slot in await slots.slots(municipality=args.municipality, since=since):
                say(slot_line(slot, zone))
        else:
            told = await slots.remove_slot(args.id, told=lambda slot: removed_by_centre(slot, zone))
            if told is None:
                return fail(f"no slot {args.id}")
            say(f"removed slot {args.id}; {told} people booked told, their reminders are withdrawn")
    return EXIT_OK


def add_commands(parsers: CliParsers) -> None:
    epilog = parsers.epilog
    centre = parsers.commands.add_parser(
        "centre", help="the employment centres' slots: import, list, remove", epilog=epilog
    )
    actions = centre.add_subparsers(dest="action", required=True, metavar="ACTION")
    imported = actions.add_parser(
        "import-slots",
        help="import slots (CSV or YAML; the same place, service and start update)",
        epilog=epilog,
    )
    imported.add_argument("file", type=Path, help="slots.csv or slots.yaml (times local)")
    database_option(imported)
    listing = actions.add_parser(
        "slots", help="slots not started yet, with seats taken/capacity", epilog=epilog
    )
    listing.add_argument("--municipality", metavar="CODE", help="one municipality's OKATO code")
    listing.add_argument("--all", action="store_true", help="past slots too")
    database_option(listing)
    remove = actions.add_parser("remove-slot", help="withdraw a slot (its bookings end)", epilog=epilog)
    remove.add_argument("id", type=int)
    database_option(remove)


COMMAND_LINE = CliCommands(add=add_commands, commands={"centre": centre_command})
