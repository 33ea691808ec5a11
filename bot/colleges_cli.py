"""``frontdoor colleges``: the «Колледжи и техникумы» catalogue from the command line.

``import FILE`` replaces the whole catalogue with a YAML file (format: ``backend_client/colleges/
catalogue.py``): every problem of every college is listed, profession ids are checked against the career
catalogue, and nothing is imported while there are any. ``list`` prints what the bot shows; ``demo``
loads the illustrative catalogue shipped with the product (replacing whatever is there).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from backend_client.colleges.catalogue import CatalogueError, parse_colleges
from backend_client.colleges.models import College
from bot.cli import EXIT_OK, CliCommands, CliParsers, database_option, fail, say
from bot.operator_cli import command_database

if TYPE_CHECKING:
    from bot.settings import Settings


def unknown_professions(found: list[College]) -> list[str]:
    """Problems for profession ids the career catalogue does not have (a typo would hide the college from
    «где этому учат»)."""
    from dialogs.career.catalogue import catalogue

    known = {p.id for p in catalogue().professions}
    return [
        f"college {number}: programs.{index}.professions: unknown profession id {name!r}"
        for number, college in enumerate(found, 1)
        for index, program in enumerate(college.programs)
        for name in program.professions
        if name not in known
    ]


async def read_catalogue(path: Path) -> list[College] | int:
    """The file's colleges, or the exit status after every problem was listed."""
    try:
        text = await asyncio.to_thread(path.read_text, encoding="utf-8-sig")
        found = parse_colleges(text)
    except (OSError, UnicodeDecodeError) as error:
        return fail(f"cannot read {path}: {type(error).__name__}")
    except CatalogueError as error:
        problems = error.problems
    else:
        problems = unknown_professions(found)
        if not problems:
            return found
    for problem in problems:
        sys.stderr.write(f"frontdoor: {path.name}: {problem}\n")
    return fail(f"{path.name}: {len(problems)} problems; nothing imported")


def college_line(college: College) -> str:
    targeted = sum(1 for p in college.programs if p.targeted)
    demo = "\tdemo" if college.illustrative else ""
    programs = f"{len(college.programs)} programs\t{targeted} targeted"
    return f"{college.id}\t{college.municipality}\t{programs}{demo}\t{college.name}"


async def colleges_command(settings: Settings, args: argparse.Namespace) -> int:
    found: list[College] | None = None
    if args.action == "import":
        read = await read_catalogue(args.file)
        if isinstance(read, int):
            return read
        found = read
    elif args.action == "demo":
        from backend_client.colleges.demo import demo_colleges

        found = list(demo_colleges())
    async with command_database(settings) as database:
        if found is not None:
            source = args.file.name if args.action == "import" else "демо-справочник"
            count = await database.colleges.replace_colleges(found, source)
            programs = sum(len(c.programs) for c in found)
            say(f"colleges catalogue replaced: {count} colleges, {programs} programs")
        else:
            listed = await database.colleges.colleges()
            for college in listed:
                say(college_line(college))
            if not listed:
                say("the catalogue is empty: frontdoor colleges import FILE.yaml (or demo)")
    return EXIT_OK


def add_commands(parsers: CliParsers) -> None:
    epilog = parsers.epilog
    colleges = parsers.commands.add_parser(
        "colleges", help="the «Колледжи и техникумы» catalogue: import, list, demo", epilog=epilog
    )
    actions = colleges.add_subparsers(dest="action", required=True, metavar="ACTION")
    imported = actions.add_parser("import", help="replace the catalogue with a YAML file", epilog=epilog)
    imported.add_argument("file", type=Path, help="colleges.yaml")
    database_option(imported)
    database_option(actions.add_parser("list", help="the colleges the bot shows", epilog=epilog))
    database_option(actions.add_parser("demo", help="load the illustrative demo catalogue", epilog=epilog))


COMMAND_LINE = CliCommands(add=add_commands, commands={"colleges": colleges_command})
