"""``frontdoor nlu``: validate, parse, evaluate from the command line."""

from __future__ import annotations

import json
from pathlib import Path

HELD_OUT = Path(__file__).resolve().parents[1] / "nlu" / "heldout.tsv"


def test_validate_and_parse(frontdoor):
    done = frontdoor("nlu", "validate")
    assert done.returncode == 0, done.stderr
    assert "22 intents: ok" in done.stdout
    done = frontdoor("nlu", "parse", "вакансии сварщика в тольяти")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["intent"] == "find_job"
    assert {e["value"] for e in answer["entities"]} == {"сварщик", "Тольятти"}


def test_evaluate_prints_model_and_baseline(frontdoor, tmp_path):
    small = tmp_path / "small.tsv"
    small.write_text("greet\tприветик\nfind_job\tищу работу [сварщиком](profession)\n", encoding="utf-8")
    done = frontdoor("nlu", "evaluate", "--folds", "3", "--test", str(small))
    assert done.returncode == 0, done.stderr
    assert "3-fold stratified cross-validation" in done.stdout
    assert "held-out small.tsv" in done.stdout
    assert "baseline" in done.stdout
    assert "macro-F1" in done.stdout
    assert "== entities, training annotations" in done.stdout
    held_out_entities = done.stdout.split("== entities, held-out small.tsv: 1 annotated lines")[1]
    assert ["profession", "1.000", "1.000", "1", "1"] in [
        line.split() for line in held_out_entities.splitlines()
    ]


def test_a_bad_held_out_file_is_one_line(frontdoor, tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("no tab here\n", encoding="utf-8")
    done = frontdoor("nlu", "evaluate", "--folds", "2", "--test", str(bad))
    assert done.returncode == 2
    assert "bad.tsv:1: expected intent<TAB>text" in done.stderr


def test_rasa_without_url_is_a_configuration_error(frontdoor):
    done = frontdoor("nlu", "parse", "привет", env={"FRONTDOOR_NLU_BACKEND": "rasa"})
    assert done.returncode == 2
    assert "FRONTDOOR_NLU_RASA_URL" in done.stderr
