"""The dependency rules of ARCHITECTURE.md, checked with import-linter's contracts from pyproject.toml."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"][
    "contracts"
]


def lint_imports(*args: str) -> subprocess.CompletedProcess[str]:
    executable = Path(sys.executable).with_name("lint-imports")
    if not executable.exists():
        pytest.fail(f"import-linter is a dev dependency: no {executable} (pip install -e '.[dev]')")
    return subprocess.run(
        [str(executable), "--no-cache", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def test_every_contract_is_kept():
    result = lint_imports()
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    for contract in CONTRACTS:
        assert f"{contract['name']} KEPT" in report, report


def test_a_broken_rule_would_be_caught(tmp_path):
    """Guards the guard: with the same root packages, a rule the code breaks on purpose is reported."""
    config = tmp_path / "broken.ini"
    config.write_text(
        "[importlinter]\n"
        "root_packages =\n    bot\n    dialogs\n"
        "[importlinter:contract:bot-needs-dialogs]\n"
        "name = bot never imports dialogs (false on purpose)\n"
        "type = forbidden\n"
        "source_modules = bot\n"
        "forbidden_modules = dialogs\n",
        encoding="utf-8",
    )
    result = lint_imports("--config", str(config))
    assert result.returncode == 1
    assert "BROKEN" in result.stdout


SOURCE_FOLDERS = ("bot", "dialogs", "nlu", "backend_client", "notifications", "tests", "benchmarks")


def _engine_constructions(path: Path) -> list[int]:
    """Lines of ``path`` that call ``Engine(...)`` or ``<module>.Engine(...)``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == "Engine")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "Engine")
        )
    ]


def test_the_dialog_engine_is_built_in_one_place():
    """Production, tests and benchmarks share ``bot.wiring.build_engine``: wiring built by hand elsewhere
    could drift from what runs in production."""
    allowed = {ROOT / "dialogs/engine.py", ROOT / "bot/wiring.py"}
    found = {
        f"{path.relative_to(ROOT)}:{line}"
        for folder in SOURCE_FOLDERS
        for path in (ROOT / folder).rglob("*.py")
        if path not in allowed
        for line in _engine_constructions(path)
    }
    assert not found, f"build the engine with bot.wiring.build_engine, not Engine(...): {sorted(found)}"
    assert _engine_constructions(ROOT / "bot/wiring.py"), "build_engine no longer builds the engine"


def test_no_import_cycle_inside_dialogs():
    """Each module of ``dialogs`` can be read (and imported) before the ones that use it."""
    import grimp

    graph = grimp.build_graph("dialogs", cache_dir=None)
    cycles = [group for group in _strongly_connected(graph) if len(group) > 1]
    assert cycles == []


def _strongly_connected(graph) -> list[list[str]]:
    """Tarjan's groups of modules that reach one another through their imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while not group or group[-1] != module:
                group.append(stack.pop())
            groups.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups


def test_no_dialogs_module_is_over_400_lines():
    """A module that grows past a screenful of screens holds two concerns: split it along them."""
    long = {
        str(path.relative_to(ROOT)): count
        for path in (ROOT / "dialogs").rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
