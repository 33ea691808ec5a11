"""``frontdoor plan``: the steps of graduates' individual plans, agreed with the employment centre.

``add CHANNEL:ID --due DATE --text TEXT [--place PLACE]``, ``list CHANNEL:ID``, ``done STEP``, ``move STEP
--due DATE`` and ``import FILE`` (CSV or YAML, columns in ``backend_client/plan_file.py``: every problem
of every row listed, nothing imported until there are none; a step already there is not doubled). People
are named by the account they write from, as ``frontdoor operator`` names them; dates are the region's
days. The command line acts as ``CLI`` through the same use cases as the bot's ``/plan``; reminders
follow from the running bot's rule.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from backend_client.broadcasts import CLI
from backend_client.errors import ConsentRequired
from backend_client.plan_file import PROBLEMS, PlanFileError, parse_plan_file, where
from backend_client.plans import (
    BadStep,
    NotAPlanRole,
    PersonNotFound,
    PlanImportRefused,
    PlanStep,
    StepDraft,
    StepNotFound,
    StepRow,
    parse_day,
)
from backend_client.ports import PlanDesk
from bot.cli import EXIT_OK, EXIT_USAGE, CliCommands, CliParsers, database_option, fail, say
from bot.operator_cli import command_database, parse_account

if TYPE_CHECKING:
    from bot.settings import Settings


def _day(value: str) -> date:
    found = parse_day(value)
    if found is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; write e.g. 2026-12-20 or 20.12.2026")
    return found


def step_line(step: PlanStep) -> str:
    place = f"\t{step.place}" if step.place else ""
    return f"{step.id}\t{step.status.value}\t{step.due_on.isoformat()}\tv{step.version}\t{step.text}{place}"


async def plan_command(settings: Settings, args: argparse.Namespace) -> int:
    today = datetime.now(ZoneInfo(settings.region.timezone)).date()
    rows: list[StepRow] | None = None
    if args.action == "import":
        read = await _read_file(args.file, today)
        if isinstance(read, int):
            return read
        rows = read
    async with command_database(settings) as database:
        try:
            return await _act(database.plans, args, today, rows)
        except PersonNotFound:
            return fail(f"no person behind {':'.join(args.account)} (never here, or erased with their data)")
        except ConsentRequired:
            return fail(f"{':'.join(args.account)} has not consented to keeping their data; nothing recorded")
        except NotAPlanRole:
            return fail(f"{':'.join(args.account)} is not a student or a graduate; nothing recorded")
        except StepNotFound:
            return fail(f"no step {args.step}")
        except BadStep as error:
            return fail(f"refused: {PROBLEMS.get(error.reason, 'the step is done; nothing to move')}")


async def _read_file(path: Path, today: date) -> list[StepRow] | int:
    try:
        text = await asyncio.to_thread(path.read_text, encoding="utf-8-sig")
        return parse_plan_file(text, filename=path.name, today=today)
    except OSError as error:
        return fail(f"cannot read {path}: {error.strerror}")
    except PlanFileError as error:
        for problem in error.problems:
            sys.stderr.write(f"frontdoor: {path.name}: {problem}\n")
        return EXIT_USAGE


async def _act(desk: PlanDesk, args: argparse.Namespace, today: date, rows: list[StepRow] | None) -> int:
    if rows is not None:
        return await _import(desk, args.file, rows, today)
    if args.action == "add":
        channel, account = args.account
        draft = StepDraft(args.text, args.due, args.place or "")
        step, created = await desk.add_step(CLI, channel, account, draft, today=today)
        say(f"{'added' if created else 'already there'}: {step_line(step)}")
    elif args.action == "list":
        channel, account = args.account
        for step in await desk.steps_for(CLI, channel, account):
            say(step_line(step))
    elif args.action == "done":
        step, closed = await desk.complete_step(CLI, args.step)
        say(f"{'done' if closed else 'was done already'}: {step_line(step)}")
    elif args.action == "move":
        moved = await desk.move_step(CLI, args.step, args.due, today=today)
        say(f"moved: {step_line(moved)}")
    return EXIT_OK


async def _import(desk: PlanDesk, path: Path, rows: list[StepRow], today: date) -> int:
    try:
        result = await desk.import_steps(CLI, rows, today=today)
    except PlanImportRefused as refused:
        is_csv = path.name.lower().endswith(".csv")
        for index, code in refused.problems:
            sys.stderr.write(f"frontdoor: {path.name}: {where(index, is_csv=is_csv)}: {PROBLEMS[code]}\n")
        return EXIT_USAGE
    say(f"imported: {result.created} new, {result.unchanged} already there")
    return EXIT_OK


def add_commands(parsers: CliParsers) -> None:
    epilog = parsers.epilog
    plan = parsers.commands.add_parser(
        "plan", help="graduates' individual plans: add, list, done, move, import steps", epilog=epilog
    )
    actions = plan.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="a step for the person behind an account", epilog=epilog)
    add.add_argument("account", type=parse_account, help="CHANNEL:ID, e.g. telegram:123456")
    add.add_argument("--due", required=True, type=_day, help="the deadline, e.g. 2026-12-20")
    add.add_argument("--text", required=True, help="what to do")
    add.add_argument("--place", help="where (optional)")
    database_option(add)
    listing = actions.add_parser("list", help="a person's steps", epilog=epilog)
    listing.add_argument("account", type=parse_account, help="CHANNEL:ID")
    database_option(listing)
    done = actions.add_parser("done", help="mark a step done (its reminders stop)", epilog=epilog)
    done.add_argument("step", type=int)
    database_option(done)
    move = actions.add_parser("move", help="a new deadline (the reminders move)", epilog=epilog)
    move.add_argument("step", type=int)
    move.add_argument("--due", required=True, type=_day, help="the new deadline")
    database_option(move)
    imported = actions.add_parser("import", help="steps from a CSV or YAML file (all or none)", epilog=epilog)
    imported.add_argument("file", type=Path, help="plan.csv or plan.yaml: account, text, due, place")
    database_option(imported)


COMMAND_LINE = CliCommands(add=add_commands, commands={"plan": plan_command})
