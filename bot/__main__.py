"""The ``frontdoor`` command line (also ``python -m bot``): run, chat, migrate, report, import, nlu,
operator, broadcast, maintenance, events, vacancies.

Exit status: 0 done, 1 a configured service cannot be reached, 2 a usage or configuration error (one line
on stderr, never a traceback), 130 interrupted with Ctrl-C.

The composition root (SQLAlchemy, the dialog engine) and aiogram are imported inside the commands that
need them, so ``--help`` and configuration problems answer at once.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot import (
    alerts_cli,
    career_cli,
    centre_cli,
    colleges_cli,
    events_cli,
    feedback_cli,
    kpi_cli,
    nlu_cli,
    nlu_report,
    operator_cli,
    plan_cli,
    vacancies_cli,
)
from bot.cli import CliCommands, CliParsers, Command, database_option
from bot.console.chat import DEFAULT_ACCOUNT, DEFAULT_EXPORT_DIR
from bot.logging import configure_logging
from bot.settings import Settings, SettingsError, describe_problem, load_settings

EXIT_OK = 0
EXIT_UNAVAILABLE = 1
EXIT_CONFIG = 2
EXIT_INTERRUPTED = 130

# What each feature adds to the command line (``bot/cli.py``), in the order ``--help`` lists it.
FEATURE_CLIS: tuple[CliCommands, ...] = (
    career_cli.COMMAND_LINE,
    nlu_report.COMMAND_LINE,
    operator_cli.COMMAND_LINE,
    events_cli.COMMAND_LINE,
    nlu_cli.COMMAND_LINE,
    vacancies_cli.COMMAND_LINE,
    alerts_cli.COMMAND_LINE,
    kpi_cli.COMMAND_LINE,
    colleges_cli.COMMAND_LINE,
    centre_cli.COMMAND_LINE,
    plan_cli.COMMAND_LINE,
    feedback_cli.COMMAND_LINE,
)

EPILOG = (
    "Settings come from FRONTDOOR_* environment variables or a .env file (see .env.example). "
    "Exit status: 0 ok, 1 a service cannot be reached, 2 usage or configuration error, 130 interrupted."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontdoor",
        description="Frontdoor: the messenger front door of the regional career-guidance system.",
        epilog=EPILOG,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="migrate, then start the product (terminal chat when no messenger token is set)",
        description="Migrate the database, then serve Telegram when FRONTDOOR_TELEGRAM_TOKEN is set "
        "and VK when FRONTDOOR_VK_TOKEN is set (both at once when both are), or open the terminal chat "
        "when neither is.",
        epilog=EPILOG,
    )
    database_option(run)
    _chat_options(run)

    chat = commands.add_parser(
        "chat",
        help="migrate, then talk to the bot in this terminal (no token, no network)",
        description="Migrate the database, then chat in this terminal: buttons are numbered options; "
        "type a number or a label to press one, anything else is sent as text. Reads one message per "
        "line and stops at end of input (Ctrl-D), so a conversation can be piped in.",
        epilog=EPILOG,
    )
    database_option(chat)
    _chat_options(chat)

    migrate = commands.add_parser(
        "migrate",
        help="bring the database schema up to date",
        description="Run the Alembic migrations on the configured database.",
        epilog=EPILOG,
    )
    database_option(migrate)
    report = commands.add_parser("report", help="aggregate figures for operators (no personal data)")
    imports = commands.add_parser("import", help="load reference lists supplied by the operator")
    parsers = CliParsers(
        commands=commands,
        reports=report.add_subparsers(dest="report", required=True, metavar="REPORT"),
        imports=imports.add_subparsers(dest="dataset", required=True, metavar="DATASET"),
        epilog=EPILOG,
    )
    for cli in FEATURE_CLIS:
        cli.add(parsers)
    return parser


def _chat_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--account",
        metavar="ID",
        type=_account_id,
        default=DEFAULT_ACCOUNT,
        help=f"whose terminal this is: the console account and chat id (default: {DEFAULT_ACCOUNT})",
    )
    parser.add_argument(
        "--export-dir",
        metavar="DIR",
        type=Path,
        default=DEFAULT_EXPORT_DIR,
        help=f"where documents the bot sends are saved (default: {DEFAULT_EXPORT_DIR})",
    )


def _account_id(value: str) -> str:
    if not value.strip() or len(value) > 64:
        raise argparse.ArgumentTypeError("an account id is 1-64 characters")
    return value.strip()


async def migrate_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import migrate_database, redacted

    url = settings.database.database_url
    await migrate_database(url)
    print(f"database is up to date: {redacted(url)}")
    return EXIT_OK


async def chat_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import build_app, migrate_database
    from bot.console.chat import run_console
    from bot.console.options import CHANNEL
    from bot.outreach import reaching_out

    await migrate_database(settings.database.database_url)
    async with build_app(settings, rate_limited=False) as app:
        await _seed_demo_events(app)
        # Reminders, campaigns and system messages for this account appear in the chat as they come due.
        await run_console(
            app.engine,
            account_id=args.account,
            export_dir=args.export_dir,
            reach_out=lambda sender: reaching_out(app, {CHANNEL: sender}, chats=sender.chats),
        )
    return EXIT_OK


async def _seed_demo_events(app: Any) -> None:
    """The terminal chat shows «Профтуры и профпробы» from the first start: an empty catalogue gets the
    demo one (an operator's own catalogue is never touched)."""
    from zoneinfo import ZoneInfo

    from backend_client.colleges.demo import seed_demo_colleges
    from backend_client.events_demo import seed_demo
    from backend_client.vacancies.demo import seed_demo_vacancies

    zone = ZoneInfo(app.settings.region.timezone)
    await seed_demo(app.database.events, app.clock.now(), zone)
    await seed_demo_vacancies(app.database.vacancy_catalogue, app.clock.now())  # «Работа и стажировки»
    await seed_demo_colleges(app.database.colleges)  # «Колледжи и техникумы»


async def run_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.serve import configured, serve

    transports = configured(settings)  # Telegram, VK, or both at once when both tokens are set
    if not transports:
        return await chat_command(settings, args)
    await serve(settings, transports)
    return EXIT_OK


def _merged(kind: str, tables: Sequence[Mapping[str, Command]]) -> dict[str, Command]:
    """One table from the features' own; a name two features claim is a mistake, caught at import."""
    merged: dict[str, Command] = {}
    for table in tables:
        if clash := merged.keys() & table.keys():
            raise ValueError(f"{kind} claimed twice: {', '.join(sorted(clash))}")
        merged |= table
    return merged


REPORTS = _merged("report", [cli.reports for cli in FEATURE_CLIS])
IMPORTS = _merged("import", [cli.imports for cli in FEATURE_CLIS])


async def report_command(settings: Settings, args: argparse.Namespace) -> int:
    return await REPORTS[args.report](settings, args)


async def import_command(settings: Settings, args: argparse.Namespace) -> int:
    return await IMPORTS[args.dataset](settings, args)


CORE_COMMANDS: dict[str, Command] = {
    "run": run_command,
    "chat": chat_command,
    "migrate": migrate_command,
    "report": report_command,
    "import": import_command,
}
COMMANDS = _merged("command", [CORE_COMMANDS, *(cli.commands for cli in FEATURE_CLIS)])


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # usage errors: argparse prints them and exits with 2
    try:
        settings = load_settings()
    except (ValidationError, SettingsError) as problem:
        return _fail(f"configuration problem: {describe_problem(problem)}", EXIT_CONFIG)
    if getattr(args, "database", None):  # `nlu` has no database
        try:
            settings = settings.with_database(args.database)
        except ValidationError as problem:
            return _fail(f"--database: {describe_problem(problem).partition(': ')[2]}", EXIT_CONFIG)
    configure_logging(_log_level(settings, args.command))
    try:
        return asyncio.run(_execute(COMMANDS[args.command], settings, args))
    except KeyboardInterrupt:
        print(file=sys.stderr)  # the shell prompt should not follow "^C" on the same line
        return EXIT_INTERRUPTED


async def _execute(command: Command, settings: Settings, args: argparse.Namespace) -> int:
    """Run a command; problems it can explain become one line and an exit status."""
    from bot.app import StartupError

    try:
        return await command(settings, args)
    except SettingsError as problem:  # found out only at start, e.g. Telegram refusing the token
        return _fail(f"configuration problem: {problem}", EXIT_CONFIG)
    except StartupError as problem:
        return _fail(str(problem), EXIT_UNAVAILABLE)


def _log_level(settings: Settings, command: str) -> str:
    """The terminal chat keeps logs at WARNING unless a level was chosen: stderr stays quiet next to the
    transcript (logs never go to stdout in any case)."""
    no_token = settings.telegram.telegram_token is None and settings.vk.vk_token is None
    chatting = command in ("chat", "nlu") or (command == "run" and no_token)
    if chatting and not settings.logging.chosen:
        return "WARNING"
    return settings.logging.log_level


def _fail(message: str, status: int) -> int:
    print(f"frontdoor: {message}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
