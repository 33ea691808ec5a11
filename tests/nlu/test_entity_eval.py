"""Entity precision and recall: overlapping spans of the same type match, once each."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.entities import ENTITY_TYPES, EntityExtractor
from nlu.entity_eval import EntityFigures, entity_scores
from nlu.evaluate import HeldOutError, read_held_out_examples
from nlu.training_data import load, parse_example

HELD_OUT = Path(__file__).with_name("heldout.tsv")


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return EntityExtractor(load())


def test_hits_misses_and_unannotated_finds_are_counted(extractor):
    examples = [
        parse_example("find_job", "вакансии [сварщика](profession) в тольятти"),  # the town is not marked
        parse_example("find_job", "работа [кочегаром](profession)"),  # not in the catalogue
        parse_example("events", "что будет [в пятницу](time)"),  # found, but as a date
    ]
    rows = {row.entity: row for row in entity_scores(examples, extractor)}
    assert rows["profession"] == EntityFigures("profession", annotated=2, found=1, correct=1)
    assert (rows["profession"].precision, rows["profession"].recall) == (1.0, 0.5)
    assert rows["municipality"] == EntityFigures("municipality", annotated=0, found=1, correct=0)
    assert rows["date"] == EntityFigures("date", annotated=0, found=1, correct=0)
    assert rows["time"] == EntityFigures("time", annotated=1, found=0, correct=0)
    assert rows["all"] == EntityFigures("all", annotated=3, found=3, correct=1)
    assert rows["time"].precision == 0.0  # nothing found: no division by zero


def test_the_held_out_file_is_annotated_with_known_types(extractor):
    examples = read_held_out_examples(HELD_OUT, load().intents)
    annotations = [a for e in examples for a in e.entities]
    assert len(annotations) >= 100
    assert {a.entity for a in annotations} <= set(ENTITY_TYPES)
    overall = entity_scores(examples, extractor)[-1]
    # Measured: precision 0.98, recall 0.96 (128 entities in 99 of 286 lines, annotated by hand).
    assert overall.precision >= 0.93
    assert overall.recall >= 0.9


def test_broken_markup_in_a_held_out_file_names_the_line(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("greet\tпривет\nfind_job\tработа [сварщиком(profession)\n", encoding="utf-8")
    with pytest.raises(HeldOutError, match=r"bad\.tsv:2"):
        read_held_out_examples(path, ["greet", "find_job"])
