"""benchmarks/faults.py on SQLite: every probe ends 0 / 0 / 0 today, and the same probes against the old
behaviour (``--guards-off``) find what the probes of issue 12 found, so the figures can fail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _rows(*flags: str) -> dict[str, tuple[int, int, int, int]]:
    result = subprocess.run(
        [sys.executable, "benchmarks/faults.py", "--rounds", "2", *flags],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    rows = {}
    for line in result.stdout.splitlines():
        *name, inputs, duplicates, lost, misfiled = line.split()
        if inputs.isdigit():
            rows[" ".join(name)] = (int(inputs), int(duplicates), int(lost), int(misfiled))
    return rows


def test_every_probe_ends_without_duplicates_losses_or_misfiled_answers():
    rows = _rows()
    assert len(rows) == 15
    assert {counts[1:] for counts in rows.values()} == {(0, 0, 0)}


def test_the_probes_find_the_old_faults():
    rows = _rows("--guards-off")
    assert rows["campaign «Отправить», state save failed, pressed again"][1] == 2
    assert rows["reply refused by the messenger, then the sweep"][2] == 2
    assert rows["killed while sending the reply, redelivered"][2] == 2
    assert rows["people retype after a restart"][3] == 2
