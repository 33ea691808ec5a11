"""``frontdoor report kpi``: the pilot's indicators by municipality and school, without personal data.

Dates are the region's local days (``FRONTDOOR_TIMEZONE``), both inclusive. Every count under the
threshold (``--min-cell``, default 5) is printed as «<5», the totals too.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from backend_client.kpi import MIN_CELL, KpiIndicator, KpiQuery, KpiReport
from backend_client.reference import municipality
from bot.cli import CliCommands, CliParsers, database_option
from bot.operator_cli import municipality_code

if TYPE_CHECKING:
    from bot.settings import Settings

EXIT_OK = 0


def query_of(args: argparse.Namespace, zone: ZoneInfo) -> KpiQuery:
    """The local days ``--from``..``--to`` as UTC bounds (the end day included)."""
    since = datetime.combine(args.since, time(), tzinfo=zone) if args.since else None
    until = datetime.combine(args.until + timedelta(days=1), time(), tzinfo=zone) if args.until else None
    return KpiQuery(since=since, until=until, municipality=args.municipality, min_cell=args.min_cell)


def _count(value: int | None, min_cell: int) -> str:
    return f"<{min_cell}" if value is None else str(value)


def _place(code: str) -> str:
    found = municipality(code) if code else None
    return found.title if found else (code or "(not given)")


def _indicator(indicator: KpiIndicator, min_cell: int) -> list[str]:
    lines = [f"  {indicator.title}: {_count(indicator.total, min_cell)}"]
    schools: dict[str, list[str]] = {}
    for cell in indicator.by_school:
        schools.setdefault(cell.municipality, []).append(
            f"      {cell.school or '(school not given)'}\t{_count(cell.count, min_cell)}"
        )
    for cell in indicator.by_municipality:
        lines.append(f"    {_place(cell.municipality)}\t{_count(cell.count, min_cell)}")
        lines += schools.get(cell.municipality, [])
    return lines


def format_kpi(report: KpiReport) -> str:
    query = report.query
    period = "all time"
    if query.since or query.until:
        first = query.since.date().isoformat() if query.since else "the start"
        last = (query.until - timedelta(days=1)).date().isoformat() if query.until else "today"
        period = f"{first} to {last}"
    where = _place(query.municipality) if query.municipality else "the region"
    lines = [
        "Pilot KPI (aggregates, no personal data)",
        f"Period: {period}; area: {where}; groups under {query.min_cell} shown as <{query.min_cell}.",
    ]
    for section in report.sections:
        lines += ["", f"{section.title}"]
        for indicator in section.indicators:
            lines += _indicator(indicator, query.min_cell)
        lines += [f"  Note: {note}" for note in section.notes]
    return "\n".join(lines)


async def report_kpi(settings: Settings, args: argparse.Namespace) -> int:
    from backend_client.clock import SystemClock
    from backend_client.sql import open_database
    from bot.app import migrate_database

    if args.since and args.until and args.since > args.until:
        sys.stderr.write("frontdoor: --from is after --to\n")
        return 2
    url = settings.database.database_url
    await migrate_database(url)
    database = await open_database(url, SystemClock())
    try:
        report = await database.kpi.kpi_report(query_of(args, ZoneInfo(settings.region.timezone)))
    finally:
        await database.close()
    sys.stdout.write(format_kpi(report) + "\n")
    return EXIT_OK


def _min_cell(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError("a whole number of 1 or more")
    return int(value)


def add_commands(parsers: CliParsers) -> None:
    kpi = parsers.reports.add_parser(
        "kpi",
        help="the pilot's indicators by municipality and school: career testing of grades 8-9, "
        "профтуры/профпробы sign-ups, internship and practice applications",
        description="Counts of people (and applications) by municipality and school from the records, "
        "without personal data; small groups are suppressed.",
        epilog=parsers.epilog,
    )
    kpi.add_argument(
        "--from", dest="since", type=date.fromisoformat, metavar="DATE", help="first day, YYYY-MM-DD"
    )
    kpi.add_argument(
        "--to", dest="until", type=date.fromisoformat, metavar="DATE", help="last day, YYYY-MM-DD"
    )
    kpi.add_argument(
        "--municipality",
        type=municipality_code,
        metavar="NAME|OKATO",
        help="only people of this municipality",
    )
    kpi.add_argument(
        "--min-cell",
        type=_min_cell,
        default=MIN_CELL,
        metavar="N",
        help=f"show groups smaller than N as '<N' (default {MIN_CELL})",
    )
    database_option(kpi)


COMMAND_LINE = CliCommands(add=add_commands, reports={"kpi": report_kpi})
