"""Every console script imports and every subcommand answers --help (a typo in a script fails here)."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bot.__main__ import COMMANDS, IMPORTS, REPORTS, build_parser

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS: dict[str, str] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
    "scripts"
]


def help_of(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command, "--help"], capture_output=True, text=True, cwd=ROOT, timeout=60, check=False
    )


def test_the_frontdoor_script_is_declared():
    assert SCRIPTS.get("frontdoor") == "bot.__main__:main"


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_entry_point_imports(name):
    module, _, function = SCRIPTS[name].partition(":")
    assert callable(getattr(importlib.import_module(module), function))


@pytest.mark.parametrize("command", [[], *([name] for name in sorted(COMMANDS))], ids=lambda c: " ".join(c))
def test_help_for_every_command(command):
    result = help_of(sys.executable, "-m", "bot", *command)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(" ".join(["usage: frontdoor", *command]))


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_installed_scripts_answer_help(name):
    script = Path(sys.executable).with_name(name)
    if not script.exists():
        pytest.skip(f"{name} is not installed next to {sys.executable} (pip install -e .)")
    result = help_of(str(script))
    assert result.returncode == 0, result.stderr
    assert "usage: " in result.stdout


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "benchmarks").glob("*.py")))
def test_every_benchmark_starts_as_make_bench_runs_it(script):
    """`make bench` runs each script by path: imports from the tests (the emulators) must still resolve."""
    result = help_of(sys.executable, f"benchmarks/{script}")
    assert result.returncode == 0, result.stderr


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_every_command_on_the_command_line_runs_something_and_nothing_else():
    """A feature's ``COMMAND_LINE`` (bot/cli.py) names a coroutine for each parser it adds, no more."""
    commands = _subcommands(build_parser())
    assert commands.keys() == COMMANDS.keys()
    assert _subcommands(commands["report"]).keys() == REPORTS.keys()
    assert _subcommands(commands["import"]).keys() == IMPORTS.keys()
