"""The training data's rules: Rasa 3.1 shape, no example under two intents, enough examples, every intent
the dialogs route present."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogs.features import intent_routes
from nlu.training_data import TrainingDataError, load, parse_example
from nlu.validate import MIN_EXAMPLES, problems


def test_the_bundled_data_is_clean():
    data = load()
    assert problems(data, intent_routes()) == []
    assert set(data.intents) == set(intent_routes())
    assert {"municipality", "profession", "organisation"} <= set(data.lookups)


def test_every_municipality_of_the_region_is_a_lookup_entry():
    from backend_client.reference import MUNICIPALITIES

    assert {m.name for m in MUNICIPALITIES} == set(load().lookups["municipality"])


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "nlu.yml"
    path.write_text('version: "3.1"\nnlu:\n' + body, encoding="utf-8")
    return path


def _intent(name: str, examples: list[str]) -> str:
    return f"- intent: {name}\n  examples: |\n" + "".join(f"    - {e}\n" for e in examples)


def test_an_example_under_two_intents_is_refused(tmp_path):
    many = [f"пример {i}" for i in range(MIN_EXAMPLES)]
    path = _write(
        tmp_path, _intent("a", [*many, "Привет!"]) + _intent("b", [*(m + "б" for m in many), "привет"])
    )
    found = problems(load([path]))
    assert any("several intents" in p and "a, b" in p for p in found)


def test_an_example_repeated_under_one_intent_is_refused(tmp_path):
    many = [f"пример {i}" for i in range(MIN_EXAMPLES)]
    path = _write(tmp_path, _intent("a", [*many, "Пока!", "пока"]))
    assert any("'пока' is listed 2 times under a" in p for p in problems(load([path])))


def test_too_few_examples_and_a_missing_intent_are_refused(tmp_path):
    path = _write(tmp_path, _intent("greet", ["привет", "здравствуйте"]))
    found = problems(load([path]), required_intents=["greet", "career_test"])
    assert any("greet has 2 examples" in p for p in found)
    assert any("career_test is used by the dialogs" in p for p in found)


def test_unknown_entity_types_and_broken_regexes_are_refused(tmp_path):
    body = _intent("a", ["работа [вчера](weekday)"]) + '- regex: grade\n  examples: |\n    - "(unclosed"\n'
    found = problems(load([_write(tmp_path, body)]))
    assert any("unknown entity type 'weekday'" in p for p in found)
    assert any("does not compile" in p for p in found)


@pytest.mark.parametrize(
    "body",
    [
        'version: "2.0"\nnlu: []\n',
        'version: "3.1"\nnlu:\n- intent: a\n',
        'version: "3.1"\nnlu:\n- intent: a\n  examples: |\n    без дефиса\n',
    ],
)
def test_malformed_files_name_the_problem(tmp_path, body):
    path = tmp_path / "bad.yml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(TrainingDataError, match=r"bad\.yml"):
        load([path])


def test_entity_markup_is_stripped_with_offsets():
    example = parse_example(
        "find_job", 'вакансии [сварщика](profession) в [тлт]{"entity": "municipality", "value": "Тольятти"}'
    )
    assert example.text == "вакансии сварщика в тлт"
    first, second = example.entities
    assert example.text[first.start : first.end] == "сварщика"
    assert (second.entity, second.value, example.text[second.start : second.end]) == (
        "municipality",
        "Тольятти",
        "тлт",
    )
    with pytest.raises(TrainingDataError):
        parse_example("x", "сломано [тут](profession")
