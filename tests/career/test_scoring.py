"""Scoring with hand-computed answer patterns, matching professions, reading the operator's CSV."""

from __future__ import annotations

import pytest

from dialogs.career.catalogue import MAX_MATCHES, MIN_MATCHES, catalogue, fit, matches
from dialogs.career.in_demand import CsvProblem, parse_csv
from dialogs.career.instruments import ChoiceItem, instruments
from dialogs.career.scoring import Consistency, Verdict, circle_distance, evaluate, reasons

KLIMOV = instruments()["klimov"]
RIASEC = instruments()["riasec"]
SPHERES = ("nature", "tech", "people", "signs", "art")

# -- Klimov: 20 pairs ---------------------------------------------------------------------------
# Hand count of the first alternatives (А) in our key: П 1 6 10 13, Т 4 9 11 17, Ч 2 8 14 16,
# З 5 12 19 20, Х 3 7 15 18 — four each, so А-only, Б-only and alternating answers give a flat 4-4-4-4-4:
# a balanced key cannot be gamed by always pressing the same button.
FLAT_KLIMOV = dict.fromkeys(SPHERES, 4)


@pytest.mark.parametrize(
    "answers",
    [["1"] * 20, ["2"] * 20, ["1", "2"] * 10, ["2", "1"] * 10],
    ids=["all-A", "all-B", "alternating-AB", "alternating-BA"],
)
def test_position_patterns_give_a_flat_klimov_profile(answers):
    result = evaluate(KLIMOV, answers)
    assert result.scores == FLAT_KLIMOV
    assert result.differentiation == 0
    assert result.verdict is Verdict.FLAT


def designed_klimov(target: str, fallback: str = "1") -> list[str]:
    """Choose the target sphere wherever it is offered, else the fallback side."""
    answers = []
    for item in KLIMOV.items:
        assert isinstance(item, ChoiceItem)
        sides = [c.scale for c in item.choices]
        answers.append(str(sides.index(target) + 1) if target in sides else fallback)
    return answers


@pytest.mark.parametrize("target", SPHERES)
def test_a_designed_profile_leads_with_its_sphere(target):
    result = evaluate(KLIMOV, designed_klimov(target))
    assert result.scores[target] == 8
    assert sum(result.scores.values()) == 20
    assert result.leading == target
    assert result.verdict is Verdict.CLEAR
    assert result.code.startswith(KLIMOV.scale(target).letter)
    why = reasons(KLIMOV, designed_klimov(target), target)
    assert len(why) == 3
    offered = {
        c.text for i in KLIMOV.items if isinstance(i, ChoiceItem) for c in i.choices if c.scale == target
    }
    assert set(why) <= offered


def test_tech_then_signs_hand_computed():
    # Т wherever offered (8), З wherever offered without Т (6 of its 8), the rest: А.
    answers = []
    for item in KLIMOV.items:
        assert isinstance(item, ChoiceItem)
        sides = [c.scale for c in item.choices]
        pick = "tech" if "tech" in sides else "signs" if "signs" in sides else sides[0]
        answers.append(str(sides.index(pick) + 1))
    result = evaluate(KLIMOV, answers)
    assert result.scores["tech"] == 8
    assert result.scores["signs"] == 6
    assert result.ranked[:2] == ("tech", "signs")
    assert result.code == "ТЗ"


# -- RIASEC: 30 statements, 0–4 points each -----------------------------------------------------
LIKE = {4: "1", 3: "2", 2: "3", 1: "4", 0: "5"}  # points -> answer key


def rated(points_by_type: dict[str, int]) -> list[str]:
    return [LIKE[points_by_type.get(item.scale, 0)] for item in RIASEC.items]  # type: ignore[union-attr]


@pytest.mark.parametrize("letter", "RIASEC")
def test_a_designed_riasec_profile_per_type(letter):
    result = evaluate(RIASEC, rated({letter: 4}))
    assert result.scores[letter] == 20
    assert sum(result.scores.values()) == 20
    assert result.leading == letter
    assert result.code == letter  # types nobody liked are not part of the code
    assert result.consistency is None  # no second type to compare with
    assert result.verdict is Verdict.CLEAR


def test_sea_code_with_differentiation_and_high_consistency():
    result = evaluate(RIASEC, rated({"S": 4, "E": 3, "A": 2}))
    assert result.scores == {"R": 0, "I": 0, "A": 10, "S": 20, "E": 15, "C": 0}
    assert result.code == "SEA"
    assert result.differentiation == 20
    assert result.consistency is Consistency.HIGH
    assert result.verdict is Verdict.CLEAR


def test_alternate_types_are_medium_and_opposite_types_inconsistent():
    assert evaluate(RIASEC, rated({"R": 4, "A": 3})).consistency is Consistency.MEDIUM
    opposite = evaluate(RIASEC, rated({"R": 4, "S": 3}))
    assert opposite.consistency is Consistency.LOW
    assert opposite.verdict is Verdict.INCONSISTENT


def test_circle_distances_on_the_hexagon():
    circle = "RIASEC"
    assert [circle_distance(circle, "R", other) for other in "IASECR"] == [1, 2, 3, 2, 1, 0]


@pytest.mark.parametrize(
    ("answer", "verdict", "each"),
    [("3", Verdict.FLAT, 10), ("4", Verdict.LOW, 5), ("5", Verdict.LOW, 0), ("1", Verdict.FLAT, 20)],
    ids=["all-dont-know", "all-rather-not", "all-dislike", "all-love"],
)
def test_same_answer_everywhere_is_said_honestly(answer, verdict, each):
    result = evaluate(RIASEC, [answer] * 30)
    assert set(result.scores.values()) == {each}
    assert result.verdict is verdict


def test_alternating_riasec_answers():
    # keys 1,5,1,5…: items 1,3,5… (R, A, E) love = 20 each; items 2,4,6… (I, S, C) dislike = 0.
    result = evaluate(RIASEC, ["1", "5"] * 15)
    assert result.scores == {"R": 20, "I": 0, "A": 20, "S": 0, "E": 20, "C": 0}
    assert result.code == "RAE"
    assert result.consistency is None  # R, A and E tie: the order among them means nothing


def test_reasons_name_liked_statements_strongest_first():
    answers = rated({"S": 3})
    answers[3] = "1"  # item 4 is an S statement, loved
    why = reasons(RIASEC, answers, "S")
    assert why[0] == RIASEC.items[3].text  # type: ignore[union-attr]
    assert len(why) == 3
    assert reasons(RIASEC, ["3"] * 30, "S") == []  # "не знаю" explains nothing


# -- matching professions -----------------------------------------------------------------------
def test_fit_prefers_a_shared_main_type():
    assert fit(("S", "E", "A"), ("S", "E"), 3) == 3 * 3 + 2 * 2
    assert fit(("S", "E", "A"), ("E", "S"), 3) == 3 * 2 + 2 * 3
    assert fit(("S",), ("S",), 2) == fit(("S",), ("S", "E"), 2)  # more tags are no advantage
    assert fit(("S", "E", "A"), ("R",), 3) == 0


@pytest.mark.parametrize("instrument", list(instruments().values()), ids=lambda i: i.id)
def test_every_leading_type_gets_five_to_eight_professions(instrument):
    for scale in instrument.scales:
        found = matches(instrument.id, (scale.id,), 1, frozenset())
        assert MIN_MATCHES <= len(found) <= MAX_MATCHES, scale.id
        assert all(scale.id in m.profession.tags[instrument.id] for m in found)


def test_in_demand_wins_ties_and_is_marked():
    plain = matches("klimov", ("tech",), 1, frozenset())
    last = plain[-1].profession.id
    boosted = matches("klimov", ("tech",), 1, frozenset({last}))
    assert boosted[0].profession.id == last
    assert boosted[0].in_demand


# -- the operator's CSV -------------------------------------------------------------------------
def test_csv_matches_titles_ids_and_reports_the_rest():
    text = "\ufeffПрофессия;Примечание\nСварщик;завод\nмедицинская сестра;\nПрограммист;\nАстронавт;\n"
    text += "сварщик;\n"
    found = parse_csv(text, catalogue())
    assert found.matched == ["welder", "nurse", "programmer"]
    assert found.unmatched == ["Астронавт"]
    by_id = parse_csv("id,title\ncook,\ndoctor,\n", catalogue())
    assert by_id.matched == ["cook", "doctor"]


@pytest.mark.parametrize("text", ["", "name,comment\nСварщик,x\n"])
def test_csv_without_the_expected_column_is_refused(text):
    with pytest.raises(CsvProblem):
        parse_csv(text, catalogue())
