"""Plan steps from a file an operator imports: CSV or YAML, one step a row, keyed by the account the
person writes from, as every operator command names people.

Columns (CSV header, or keys of each YAML entry, optionally under ``steps:``):

- ``account``: ``CHANNEL:ID``, e.g. ``telegram:123456``;
- ``text``: what to do (up to 300 characters);
- ``due``: the deadline, ``2026-12-20`` or ``20.12.2026`` (today or later);
- ``place``: optional, where (up to 200 characters).

Every problem of every row is listed with its place in the file (a CSV row by its line, the header being
row 1; a YAML entry by its number), and nothing is imported while there is one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import yaml

from backend_client.plans import BadStep, StepDraft, StepRow, check_step, parse_day

PROBLEMS = {
    "empty_text": "the text is empty",
    "too_long": "the text is over 300 characters",
    "place_too_long": "the place is over 200 characters",
    "due_in_past": "the deadline has passed",
    "person_not_found": "no person behind this account (never here, or erased with their data)",
    "consent_required": "this person has not consented to keeping their data",
    "not_a_plan_role": "this person is not a student or a graduate (plans are theirs only)",
}


class PlanFileError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def parse_plan_file(text: str, *, filename: str, today: date) -> list[StepRow]:
    """The rows of a ``.csv`` or ``.yaml``/``.yml`` file; PlanFileError naming every problem."""
    is_csv = filename.lower().endswith(".csv")
    entries = _csv_entries(text) if is_csv else _yaml_entries(text)
    rows: list[StepRow] = []
    problems: list[str] = []
    for index, entry in enumerate(entries):
        found = _row(entry, today)
        if isinstance(found, StepRow):
            rows.append(found)
        else:
            problems += [f"{where(index, is_csv=is_csv)}: {problem}" for problem in found]
    if problems:
        raise PlanFileError(problems)
    return rows


def where(index: int, *, is_csv: bool) -> str:
    """A row's place in the file, from its index among the entries."""
    return f"row {index + 2}" if is_csv else f"entry {index + 1}"


def _row(entry: Mapping[str, Any], today: date) -> StepRow | list[str]:
    problems: list[str] = []
    account = str(entry.get("account") or "").strip()
    channel, _, external = account.partition(":")
    if not channel or not external:
        problems.append(f"account {account!r} is not CHANNEL:ID (e.g. telegram:123456)")
    due_text = str(entry.get("due") or "").strip()
    due = parse_day(due_text)
    if due is None:
        problems.append(f"due {due_text!r} is not a date (2026-12-20 or 20.12.2026)")
    draft = StepDraft(str(entry.get("text") or ""), due or today, str(entry.get("place") or ""))
    try:
        check_step(draft, today)
    except BadStep as error:
        problems.append(PROBLEMS[error.reason])
    if problems:
        return problems
    return StepRow(channel.strip(), external.strip(), draft)


def _yaml_entries(text: str) -> Sequence[Mapping[str, Any]]:
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as problem:
        raise PlanFileError([f"not YAML: {problem}"]) from None
    items = loaded.get("steps") if isinstance(loaded, dict) else loaded
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise PlanFileError(["expected a list of steps (under 'steps:')"])
    return items


def _csv_entries(text: str) -> Sequence[Mapping[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"account", "text", "due"} - set(reader.fieldnames or ())
    if missing:
        raise PlanFileError([f"the header lacks {', '.join(sorted(missing))}"])
    return list(reader)
