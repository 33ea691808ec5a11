"""What a feature adds to the ``frontdoor`` command line: one ``CliCommands`` object.

Each ``*_cli.py`` module exports ``COMMAND_LINE = CliCommands(...)`` (its parsers and the coroutine behind
each name), and ``bot/__main__.py`` lists the objects once in ``FEATURE_CLIS``: a new feature's commands
are its module plus one line there. ``report`` and ``import`` are groups every feature may join
(``frontdoor report NAME``, ``frontdoor import NAME``); a feature's top-level commands sit beside
``run``, ``chat`` and ``migrate``.

Keep the modules' heavy imports (the store, the engine, the catalogue) inside the commands: ``--help``
builds every parser and should stay instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from bot.settings import Settings

EXIT_OK, EXIT_USAGE = 0, 2  # what a feature's command returns: done, or a usage or input problem


def say(line: str) -> None:
    """A line of a command's result, on standard output."""
    sys.stdout.write(f"{line}\n")


def fail(message: str) -> int:
    """Tell what is wrong on standard error; the exit status of a usage or input problem."""
    sys.stderr.write(f"frontdoor: {message}\n")
    return EXIT_USAGE


Command = Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, int]]  # an exit status
# A string: argparse's class takes no type parameter at run time.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


@dataclass(frozen=True, slots=True)
class CliParsers:
    """Where a feature adds its parsers."""

    commands: Subparsers  # ``frontdoor NAME``
    reports: Subparsers  # ``frontdoor report NAME``
    imports: Subparsers  # ``frontdoor import NAME``
    epilog: str  # the exit statuses and where settings come from, for every parser's help


@dataclass(frozen=True, slots=True)
class CliCommands:
    """A feature's commands: ``add`` builds their parsers, the mappings name the coroutine run for each.
    Every name ``add`` adds is in the matching mapping (tests/test_entry_points.py checks)."""

    add: Callable[[CliParsers], None]
    commands: Mapping[str, Command] = field(default_factory=dict)
    reports: Mapping[str, Command] = field(default_factory=dict)
    imports: Mapping[str, Command] = field(default_factory=dict)


def database_option(parser: argparse.ArgumentParser) -> None:
    """``--database URL``, which every command that opens the store accepts."""
    parser.add_argument("--database", metavar="URL", help="database URL (default: FRONTDOOR_DATABASE_URL)")
