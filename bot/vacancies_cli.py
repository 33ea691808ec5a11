"""``frontdoor vacancies``: the work catalogue from the command line.

``import trudvsem [--region 63] [--full | --since 2026-05-01]`` pulls «Работа России» open data: without
``--full`` or ``--since`` it continues from the last import (the first one is full); a full pull closes
the vacancies gone from the source. The API's address, politeness delay, timeout and attempts are
settings (``FRONTDOOR_TRUDVSEM_*``). An interrupted pull is simply run again (the importer's module,
``backend_client/vacancies/importers/pull.py``, says why that is safe).

``import FILE.csv`` / ``FILE.yaml`` imports a local employer's or college's file (columns in
``backend_client/vacancies/importers/local_file.py``): every problem is listed by row, and nothing is
imported until there are none.

``applications [--vacancy ID] [--employer-inn INN]`` lists applications for operators (the command line
acts as ``CLI``, like the other operator commands): id, time, status, person id, vacancy, employer, title.

Exit status: 0 done (rows the source sent broken are listed on stderr and skipped), 1 the source cannot
be reached, 2 a usage problem or a file with problems.
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
from backend_client.vacancies.importers.local_file import LocalFileError
from backend_client.vacancies.models import ImportReport
from bot.cli import CliCommands, CliParsers, database_option
from bot.operator_cli import command_database

if TYPE_CHECKING:
    from backend_client.vacancies.importers.pull import PullSummary, SourcePage
    from bot.settings import Settings

EXIT_OK, EXIT_UNAVAILABLE, EXIT_USAGE = 0, 1, 2
TRUDVSEM = "trudvsem"


def _say(line: str) -> None:
    sys.stdout.write(f"{line}\n")


def _warn(line: str) -> None:
    sys.stderr.write(f"frontdoor: {line}\n")


def _fail(message: str) -> int:
    _warn(message)
    return EXIT_USAGE


async def vacancies_command(settings: Settings, args: argparse.Namespace) -> int:
    if args.action == "applications":
        return await _applications(settings, args)
    if args.source == TRUDVSEM:
        return await _pull(settings, args)
    if args.region or args.full or args.since:
        return _fail("--region, --full and --since are for `import trudvsem`, not for a file")
    return await _import_file(settings, Path(args.source))


def _counts(report: ImportReport) -> str:
    changed = f"added {report.added}, updated {report.updated}"
    return f"{changed}, unchanged {report.unchanged}, closed {report.closed}"


async def _pull(settings: Settings, args: argparse.Namespace) -> int:
    from backend_client.clock import SystemClock
    from backend_client.http.trudvsem import TrudvsemClient, TrudvsemRefused, TrudvsemUnavailable
    from backend_client.vacancies.importers.pull import pull_trudvsem

    options = settings.trudvsem
    region = args.region or options.trudvsem_region
    since = _local(args.since, ZoneInfo(settings.region.timezone)) if args.since else None
    source = TrudvsemClient(
        options.trudvsem_url,
        delay=options.trudvsem_delay,
        timeout=options.trudvsem_timeout,
        attempts=options.trudvsem_attempts,
    )
    async with source, command_database(settings) as database:
        catalogue = database.vacancy_catalogue
        try:
            summary = await pull_trudvsem(
                source, catalogue, region, clock=SystemClock(), full=args.full, since=since, on_page=_progress
            )
        except TrudvsemUnavailable as error:
            _warn(f"«Работа России» cannot be reached: {error}; nothing was imported, run it again later")
            return EXIT_UNAVAILABLE
        except TrudvsemRefused as error:
            return _fail(f"«Работа России» refused the request: {error}")
    _summarise(summary, source.requests, source.retries)
    return EXIT_OK


def _progress(page: SourcePage) -> None:
    of = f" of {page.total}" if page.total is not None else ""
    sys.stderr.write(f"page {page.number}: {len(page.records)} records{of}\n")


def _summarise(summary: PullSummary, requests: int, retries: int) -> None:
    since = summary.modified_from
    kind = f"changes since {since:%Y-%m-%d %H:%M %z}" if since is not None else "full pull"
    _say(
        f"trudvsem region {summary.region}: {kind}, {summary.pages} pages, {summary.records} records, "
        f"{requests} requests ({retries} repeated)"
    )
    _say(_counts(summary.report))
    if summary.not_closed:
        _say(summary.not_closed)
    for line in summary.duplicates:
        _warn(f"twice: {line}")
    for problem in summary.report.problems:
        _warn(f"skipped: {problem}")
    if summary.report.problems:
        _say(f"skipped {len(summary.report.problems)} broken records (listed on stderr)")


async def _import_file(settings: Settings, path: Path) -> int:
    from backend_client.vacancies.importers.local_file import import_file

    try:
        text = await asyncio.to_thread(path.read_text, encoding="utf-8-sig")
    except OSError as error:
        return _fail(f"cannot read {path}: {error.strerror}")
    except UnicodeDecodeError:
        return _fail(f"{path.name} is not UTF-8 text: save it as UTF-8 (CSV UTF-8 in Excel)")
    zone = ZoneInfo(settings.region.timezone)
    async with command_database(settings) as database:
        try:
            report = await import_file(database.vacancy_catalogue, text, filename=path.name, zone=zone)
        except LocalFileError as error:
            for problem in error.problems:
                _warn(f"{path.name}: {problem}")
            return _fail(f"nothing imported: {len(error.problems)} problems in {path.name}")
    _say(f"imported {path.name}: {_counts(report)}")
    return EXIT_OK


async def _applications(settings: Settings, args: argparse.Namespace) -> int:
    zone = ZoneInfo(settings.region.timezone)
    async with command_database(settings) as database:
        try:
            found = await database.vacancy_catalogue.applications(
                CLI, vacancy_id=args.vacancy, employer_inn=args.employer_inn
            )
        except OperatorError as error:
            return _fail(f"refused: {error.code}")
    for application, vacancy in found:
        message = " ".join(application.message.split())[:80]
        employer = f"{vacancy.employer.name} ({vacancy.employer.inn or '-'})"
        _say(
            f"{application.id}\t{application.created_at.astimezone(zone):%Y-%m-%d %H:%M}\t"
            f"{application.status.value}\tperson {application.person_id}\tvacancy {vacancy.id}\t{employer}\t"
            f"{vacancy.title}\t{message}"
        )
    _say(f"{len(found)} applications")
    return EXIT_OK


def _local(value: str, zone: ZoneInfo) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _since(value: str) -> str:
    try:
        datetime.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError("a time is YYYY-MM-DD or YYYY-MM-DDTHH:MM (local)") from None
    return value.strip()


def _region(value: str) -> str:
    if not (value.strip().isdigit() and len(value.strip()) in (2, 13)):
        raise argparse.ArgumentTypeError("a region code is 2 or 13 digits, e.g. 63 or 6300000000000")
    return value.strip()


def _inn(value: str) -> str:
    if not (value.strip().isdigit() and len(value.strip()) in (10, 12)):
        raise argparse.ArgumentTypeError("an INN is 10 or 12 digits")
    return value.strip()


def add_commands(parsers: CliParsers) -> None:
    epilog = parsers.epilog
    vacancies = parsers.commands.add_parser(
        "vacancies", help="the work catalogue: import vacancies, list applications", epilog=epilog
    )
    actions = vacancies.add_subparsers(dest="action", required=True, metavar="ACTION")
    imported = actions.add_parser(
        "import",
        help="pull «Работа России» (trudvsem) or import a local CSV/YAML file",
        description="`import trudvsem` pulls «Работа России» open data (FRONTDOOR_TRUDVSEM_* settings); "
        "`import FILE.csv|FILE.yaml` imports a local employer's or college's file, all or nothing.",
        epilog=epilog,
    )
    imported.add_argument("source", metavar="trudvsem|FILE", help="trudvsem, or a .csv/.yaml file")
    imported.add_argument(
        "--region", type=_region, help="trudvsem region code (default: FRONTDOOR_TRUDVSEM_REGION)"
    )
    mode = imported.add_mutually_exclusive_group()
    mode.add_argument("--full", action="store_true", help="every vacancy; close those gone from the source")
    mode.add_argument(
        "--since",
        type=_since,
        metavar="TIME",
        help="only changes since a local time (default: the last import)",
    )
    database_option(imported)
    listing = actions.add_parser("applications", help="applications by vacancy or employer", epilog=epilog)
    listing.add_argument("--vacancy", type=int, metavar="ID", help="one vacancy (our id)")
    listing.add_argument("--employer-inn", type=_inn, metavar="INN", help="one employer")
    database_option(listing)


COMMAND_LINE = CliCommands(add=add_commands, commands={"vacancies": vacancies_command})
