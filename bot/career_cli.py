"""``frontdoor report tests`` and ``frontdoor import in-demand``: the operators' side of the career tests.

The report prints aggregates only; groups smaller than ``--min-cell`` are shown as "<N" so that a school
with one tested pupil does not reveal that pupil's result.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from backend_client.reference import municipality
from bot.cli import CliCommands, CliParsers, database_option

if TYPE_CHECKING:
    from backend_client.models import CareerReport
    from bot.settings import Settings

# The store, the migrations and the catalogue are imported inside the commands: ``--help`` stays instant.

EXIT_OK, EXIT_USAGE = 0, 2
DIMENSIONS = (("municipality", "by municipality"), ("school", "by school"), ("grade", "by grade"))


def _count(value: int, min_cell: int) -> str:
    return f"<{min_cell}" if 0 < value < min_cell else str(value)


def _group(dimension: str, group: str) -> str:
    if not group:
        return "(not given)"
    if dimension == "municipality":
        found = municipality(group)
        return found.title if found else group
    return group


def format_report(report: CareerReport, min_cell: int = 3) -> str:
    from dialogs.career.instruments import instrument

    lines = ["Career tests (aggregates, no personal data)", ""]
    if not report.instruments:
        lines.append("No career tests taken yet.")
    for figures in report.instruments:
        test = instrument(figures.instrument)
        title = f"{test.title} ({figures.instrument})" if test else figures.instrument
        lines.append(
            f"{title}: started {figures.started}, completed {figures.completed}, "
            f"abandoned {figures.abandoned}, in progress {figures.in_progress}, "
            f"completion rate {figures.completion_rate:.0%}, "
            f"people with a result {figures.people}"
        )
    share = report.pupils_8_9_tested / report.pupils_8_9 if report.pupils_8_9 else 0.0
    lines += [
        "",
        f"Grade 8-9 pupils covered by career testing: {report.pupils_8_9_tested} of {report.pupils_8_9} "
        f"({share:.0%}, pupils with a profile grade of 8 or 9)",
    ]
    for figures in report.instruments:
        test = instrument(figures.instrument)
        for dimension, heading in DIMENSIONS:
            rows = [
                c for c in report.leading if c.instrument == figures.instrument and c.dimension == dimension
            ]
            if not rows:
                continue
            names = {s.id: s.name for s in test.scales} if test else {}
            lines += ["", f"Leading type, {figures.instrument}, {heading} (latest result per person):"]
            for row in rows:
                leading = names.get(row.leading, row.leading) or "(no clear type)"
                lines.append(f"  {_group(dimension, row.group)}\t{leading}\t{_count(row.count, min_cell)}")
    return "\n".join(lines)


async def report_tests(settings: Settings, args: argparse.Namespace) -> int:
    from backend_client.clock import SystemClock
    from backend_client.sql import open_database
    from bot.app import migrate_database

    url = settings.database.database_url
    await migrate_database(url)
    database = await open_database(url, SystemClock())
    try:
        report = await database.records.career_report()
    finally:
        await database.close()
    print(format_report(report, args.min_cell))
    return EXIT_OK


async def import_in_demand(settings: Settings, args: argparse.Namespace) -> int:
    from backend_client.clock import SystemClock
    from backend_client.sql import open_database
    from bot.app import migrate_database
    from dialogs.career.catalogue import catalogue
    from dialogs.career.in_demand import CsvProblem, parse_csv

    path: Path = args.file
    try:
        text = await asyncio.to_thread(path.read_text, encoding="utf-8-sig")
        found = parse_csv(text, catalogue())
    except (OSError, UnicodeDecodeError) as error:
        return _problem(f"cannot read {path}: {type(error).__name__}")
    except CsvProblem as problem:
        return _problem(f"{path}: {problem}")
    for title in found.unmatched:
        print(f"not in the catalogue, skipped: {title}")
    if not found.matched:
        return _problem(f"{path}: no row names a profession of the catalogue; nothing imported")
    url = settings.database.database_url
    await migrate_database(url)
    database = await open_database(url, SystemClock())
    try:
        count = await database.records.replace_in_demand(frozenset(found.matched), args.source or path.name)
    finally:
        await database.close()
    print(f"in-demand list replaced: {count} professions ({len(found.unmatched)} rows skipped)")
    return EXIT_OK


def _problem(message: str) -> int:
    print(f"frontdoor: {message}", file=sys.stderr)
    return EXIT_USAGE


def add_commands(parsers: CliParsers) -> None:
    """``report tests`` and ``import in-demand``."""
    tests = parsers.reports.add_parser(
        "tests",
        help="career tests: counts, completion rate, leading types by municipality, school and grade",
        epilog=parsers.epilog,
    )
    database_option(tests)
    tests.add_argument(
        "--min-cell", type=int, default=3, metavar="N", help="show groups smaller than N as '<N' (default 3)"
    )
    demand = parsers.imports.add_parser(
        "in-demand",
        help="replace the region's in-demand professions list from a CSV file",
        description="CSV with a header; a 'profession' (or 'профессия') column with catalogue titles, "
        "or an 'id' column with catalogue ids; comma or semicolon separated, UTF-8.",
        epilog=parsers.epilog,
    )
    demand.add_argument("file", type=Path, help="the CSV file")
    demand.add_argument("--source", help="what to call the list in the bot (default: the file name)")
    database_option(demand)


COMMAND_LINE = CliCommands(
    add=add_commands, reports={"tests": report_tests}, imports={"in-demand": import_in_demand}
)
