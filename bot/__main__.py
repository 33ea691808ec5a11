"""``frontdoor`` command line: run, chat, migrate."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from bot.app import build_app, migrate_database
from bot.console.chat import run_console
from bot.logging import configure_logging
from bot.settings import Settings, SettingsError, load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontdoor",
        description="Frontdoor: the messenger front door of the regional career-guidance system.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run", help="migrate and start the product (terminal chat when no token is set)"
    )
    _chat_options(run)

    chat = commands.add_parser("chat", help="migrate and talk to the bot in this terminal (no token needed)")
    _chat_options(chat)

    migrate = commands.add_parser("migrate", help="bring the database schema up to date")
    migrate.add_argument("--database", help="database URL (default: FRONTDOOR_DATABASE_URL)")
    return parser


def _chat_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", help="database URL (default: FRONTDOOR_DATABASE_URL)")
    parser.add_argument("--account", default="local", help="whose terminal this is (default: local)")
    parser.add_argument(
        "--export-dir", type=Path, default=Path("var/exports"), help="where exports are saved"
    )


async def _chat(settings: Settings, args: argparse.Namespace) -> int:
    await migrate_database(settings.database.database_url)
    async with build_app(settings) as app:
        await run_console(app.engine, account_id=args.account, export_dir=args.export_dir)
    return 0


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    if settings.telegram.telegram_token is None:
        return await _chat(settings, args)
    from bot.telegram.runner import serve  # aiogram is loaded only when Telegram is used

    await migrate_database(settings.database.database_url)
    await serve(settings)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        if getattr(args, "database", None):
            settings = settings.with_database(args.database)
    except (ValidationError, SettingsError) as problem:
        print(f"frontdoor: configuration problem: {_first_problem(problem)}", file=sys.stderr)
        return 2
    chatting = args.command in ("chat", "run") and settings.telegram.telegram_token is None
    configure_logging("WARNING" if chatting else settings.logging.log_level)
    try:
        if args.command == "migrate":
            asyncio.run(migrate_database(settings.database.database_url))
            print("database is up to date", file=sys.stderr)
            return 0
        return asyncio.run(_chat(settings, args) if args.command == "chat" else _run(settings, args))
    except KeyboardInterrupt:
        return 130


def _first_problem(problem: Exception) -> str:
    if isinstance(problem, ValidationError):
        error = problem.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "settings"
        return f"{where}: {error['msg']}"
    return str(problem)


if __name__ == "__main__":
    sys.exit(main())
