"""Schema and content checks of every career data file: a broken file fails here, not in a conversation."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml
from pydantic import ValidationError

from dialogs.career.catalogue import catalogue, parse_catalogue
from dialogs.career.in_demand import example_list
from dialogs.career.instruments import SECONDS_PER_ITEM, instruments, parse_instrument

DATA = resources.files("dialogs.career").joinpath("data")
INSTRUMENT_FILES = sorted(e.name for e in DATA.joinpath("instruments").iterdir() if e.name.endswith(".yaml"))
MIN_PER_TYPE = 5


@pytest.mark.parametrize("name", INSTRUMENT_FILES)
def test_every_instrument_file_meets_the_schema(name):
    text = DATA.joinpath("instruments", name).read_text(encoding="utf-8")
    found = parse_instrument(text)
    assert f"{found.id}.yaml" == name
    assert found.intro.format(count=found.count, minutes=found.minutes)
    for index in range(found.count):
        assert found.prompt(index)
        assert len(found.options(index)) >= 2


def test_the_two_instruments_of_the_issue_are_shipped():
    shipped = instruments()
    assert list(shipped) == ["klimov", "riasec"]
    assert shipped["klimov"].count == 20
    assert shipped["riasec"].count in (30, 48)
    assert {s.id for s in shipped["riasec"].scales} == set("RIASEC")


@pytest.mark.parametrize("instrument", [i for i in instruments().values() if i.balance], ids=lambda i: i.id)
def test_balanced_keys_are_balanced(instrument):
    """Each scale offered exactly per_scale times and each pair of scales contrasted exactly per_pair
    times — proved from the data, so an edit that unbalances the key cannot ship."""
    assert instrument.balance is not None
    assert set(instrument.offer_counts().values()) == {instrument.balance.per_scale}
    assert set(instrument.pair_counts().values()) == {instrument.balance.per_pair}


def test_klimov_balance_numbers_of_the_issue():
    klimov = instruments()["klimov"]
    assert klimov.offer_counts() == dict.fromkeys(("nature", "tech", "people", "signs", "art"), 8)
    assert len(klimov.pair_counts()) == 10
    assert set(klimov.pair_counts().values()) == {2}


def test_rating_scales_get_the_same_number_of_statements():
    riasec = instruments()["riasec"]
    assert set(riasec.offer_counts().values()) == {riasec.count // 6}


def test_no_item_text_repeats():
    texts = [
        o.label
        for i in instruments().values()
        if i.kind == "choice"
        for n in range(i.count)
        for o in i.options(n)
    ]
    texts += [i.prompt(n) for i in instruments().values() if i.kind == "rating" for n in range(i.count)]
    assert len(texts) == len(set(texts))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["items"][0]["choices"][0].update(scale="nowhere"), "unknown scales"),
        (lambda d: d["scales"].append(dict(d["scales"][0])), "unique"),
        (lambda d: d.update(kind="rating"), "RatingItem"),
        (lambda d: d["result"].update(circle=["nature"]), "circle"),
        (lambda d: d.update(surprise=1), "surprise"),
        (lambda d: d["items"][1]["choices"].pop(), "at least 2"),
    ],
)
def test_a_broken_instrument_is_refused(change, problem):
    data = yaml.safe_load(DATA.joinpath("instruments", "klimov.yaml").read_text(encoding="utf-8"))
    change(data)
    with pytest.raises((ValidationError, ValueError), match=problem):
        parse_instrument(yaml.safe_dump(data, allow_unicode=True))


def test_a_third_instrument_needs_no_code():
    """A subject-interest map in the «++ … −−» style: a new file is enough to load and score it."""
    from dialogs.career.scoring import evaluate

    third = parse_instrument(
        """
id: subjects
version: "1"
kind: rating
title: Карта предметов
button: "Карта предметов"
intro: "{count} вопросов, {minutes} мин."
question: "Нравится ли вам?"
answers:
  [{label: "++", points: 2}, {label: "+", points: 1}, {label: "0", points: 0}, {label: "−", points: -1}]
scales:
  - {id: math, letter: М, name: Математика, about: Числа}
  - {id: bio, letter: Б, name: Биология, about: Живое}
items:
  - {text: "Решать уравнения", scale: math}
  - {text: "Изучать клетки под микроскопом", scale: bio}
result: {code_letters: 1, flat_spread: 0}
texts: {flat: "Поровну"}
"""
    )
    assert evaluate(third, ["1", "4"]).scores == {"math": 2, "bio": -1}
    assert evaluate(third, ["1", "4"]).code == "М"


# -- the professions catalogue ------------------------------------------------------------------
def test_catalogue_meets_the_schema_and_has_several_dozen_professions():
    text = DATA.joinpath("professions.yaml").read_text(encoding="utf-8")
    assert len(parse_catalogue(text).professions) >= 36


def test_catalogue_tags_name_real_scales_of_real_instruments():
    shipped = instruments()
    for profession in catalogue().professions:
        assert set(profession.tags) == set(shipped), profession.id
        for instrument_id, scales in profession.tags.items():
            known = {s.id for s in shipped[instrument_id].scales}
            assert scales, profession.id
            assert set(scales) <= known, (profession.id, scales)
            assert len(set(scales)) == len(scales), profession.id


def coverage(instrument_id: str, *, main_only: bool) -> dict[str, int]:
    counts = {s.id: 0 for s in instruments()[instrument_id].scales}
    for profession in catalogue().professions:
        tags = profession.tags[instrument_id]
        for scale in tags[:1] if main_only else tags:
            counts[scale] += 1
    return counts


@pytest.mark.parametrize("instrument_id", list(instruments()))
def test_every_type_has_at_least_five_professions_as_its_main_type(instrument_id):
    counts = coverage(instrument_id, main_only=True)
    assert min(counts.values()) >= MIN_PER_TYPE, counts


def test_the_illustrative_in_demand_list_is_marked_and_names_catalogue_professions():
    example = example_list()
    assert example.illustrative
    assert "Примерный" in example.source
    assert example.ids <= {p.id for p in catalogue().professions}


def test_time_estimate_uses_four_seconds_per_item():
    assert SECONDS_PER_ITEM == 4
    assert instruments()["klimov"].minutes == 2  # 20 × 4 s = 80 s, rounded up
