"""Every flow diagram (``dialogs/flows/**/<flow name>.mmd``) names exactly the steps its flow declares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dialogs.engine import Engine

# Beside the flow's module, or inside its folder (``dialogs/flows/operator.mmd``, ``…/jobs/jobs.mmd``).
DIAGRAMS = sorted((Path(__file__).parents[2] / "dialogs" / "flows").rglob("*.mmd"))
TRANSITION = re.compile(r"^\s*(\[\*\]|\w+)\s*-->\s*(\[\*\]|\w+)")


def diagram_states(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert any(line.strip() == "stateDiagram-v2" for line in lines), f"{path.name}: not a state diagram"
    states: set[str] = set()
    for line in lines:
        found = TRANSITION.match(line)
        if found:
            states.update(name for name in found.groups() if name != "[*]")
    return states


def _key(name: str) -> str:
    """``LeaveConfirm`` in a diagram is ``LEAVE_CONFIRM`` in the code."""
    return name.replace("_", "").casefold()


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda path: path.stem)
def test_diagram_names_exactly_the_flow_steps(path: Path, sqlite_engine: Engine) -> None:
    flow = sqlite_engine.flows[path.stem]
    assert flow.steps is not None, f"{path.stem}: declare the flow's steps"
    drawn = {_key(name): name for name in diagram_states(path)}
    declared = {_key(step.name): step.name for step in flow.steps}
    assert sorted(drawn.keys() - declared.keys()) == [], "drawn but not declared"
    assert sorted(declared.keys() - drawn.keys()) == [], "declared but not drawn"


def test_every_declarative_flow_has_a_diagram(sqlite_engine: Engine) -> None:
    drawn = {path.stem for path in DIAGRAMS}
    declarative = {name for name, flow in sqlite_engine.flows.items() if flow.steps is not None}
    assert declarative <= drawn


def test_the_parser_reads_state_names(tmp_path: Path) -> None:
    diagram = tmp_path / "x.mmd"
    diagram.write_text("stateDiagram-v2\n    [*] --> List: menu\n    List --> LeaveConfirm: «Отменить»\n")
    assert diagram_states(diagram) == {"List", "LeaveConfirm"}
