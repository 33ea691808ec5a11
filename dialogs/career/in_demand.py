"""The region's list of in-demand professions: the illustrative one we ship and reading the operator's CSV.

The real list comes from the operator as a spreadsheet. We accept CSV (comma or semicolon, UTF-8 with or
without BOM) with a header that names a ``profession`` column (a title as in the catalogue, or a catalogue
id) and optionally an ``id`` column. Rows that match nothing are reported back, never guessed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from dialogs.career.catalogue import Catalogue

TITLE_COLUMNS = ("profession", "профессия", "title", "название")
ID_COLUMNS = ("id", "код")


@dataclass(frozen=True, slots=True)
class DemandList:
    ids: frozenset[str]
    source: str
    illustrative: bool


@dataclass(slots=True)
class CsvImport:
    matched: list[str] = field(default_factory=list)  # catalogue ids, in file order, without repeats
    unmatched: list[str] = field(default_factory=list)  # what the rows said, for the operator to fix


@cache
def example_list() -> DemandList:
    """The list we ship until the operator imports theirs: marked illustrative everywhere it shows."""
    data = resources.files("dialogs.career").joinpath("data", "in_demand_example.yaml")
    raw = yaml.safe_load(data.read_text(encoding="utf-8"))
    return DemandList(frozenset(raw["professions"]), str(raw["source"]), bool(raw["illustrative"]))


def _norm(text: str) -> str:
    return re.sub(r"[\s\-–—/,.«»\"()]+", " ", text.casefold().replace("ё", "е")).strip()


class CsvProblem(ValueError):
    """The file cannot be read as the expected table; the message says what to fix."""


def parse_csv(text: str, catalogue: Catalogue) -> CsvImport:
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise CsvProblem("the file is empty")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text.splitlines()[0], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = {_norm(name): name for name in reader.fieldnames or [] if name}
    title_column = next((header[c] for c in TITLE_COLUMNS if c in header), None)
    id_column = next((header[c] for c in ID_COLUMNS if c in header), None)
    if title_column is None and id_column is None:
        raise CsvProblem(f"no column named one of {', '.join(TITLE_COLUMNS + ID_COLUMNS)} in the header")
    by_title = {_norm(p.title): p.id for p in catalogue.professions}
    # "Медицинская сестра / медбрат" is also found as "медицинская сестра".
    for profession in catalogue.professions:
        for part in re.split(r"[/,]", profession.title):
            by_title.setdefault(_norm(part), profession.id)
    result = CsvImport()
    for row in reader:
        given_id = (row.get(id_column) or "").strip() if id_column else ""
        given_title = (row.get(title_column) or "").strip() if title_column else ""
        if not given_id and not given_title:
            continue
        found = catalogue.get(given_id) if given_id else None
        found_id = found.id if found else by_title.get(_norm(given_title)) or by_title.get(_norm(given_id))
        if found_id is None:
            result.unmatched.append(given_title or given_id)
        elif found_id not in result.matched:
            result.matched.append(found_id)
    return result
