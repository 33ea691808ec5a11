"""The interim transparent score (DOMAIN §5.2) as a table of cases: the answers, the band, the points and
the reasons that raised it, largest first. And the route: who is asked which questions."""

from __future__ import annotations

import pytest

from backend_client.graduates.scoring import Band, Reason, assess, centre_offered
from backend_client.graduates.survey import (
    BadAnswers,
    Question,
    answer,
    checked,
    graduating,
    next_question,
)
from backend_client.models import Profile, Role

BASE = {
    "plans": "work",
    "job": "interviews",
    "search": "active",
    "demand": "high",
    "move": "yes",
    "experience": "other",
    "practice": "real",
    "support": "none",
}
R = Reason

CASES = [
    # (changes to BASE, band, points, reasons)
    ({}, Band.LOW, 0, ()),
    ({"plans": "study", "support": "none"}, Band.DEFERRED, 0, ()),
    ({"plans": "army", "support": "consultation"}, Band.DEFERRED, 0, ()),
    ({"plans": "maternity", "support": "none"}, Band.DEFERRED, 0, ()),
    ({"job": "employed"}, Band.LOW, 0, ()),
    ({"job": "offer", "plans": "undecided"}, Band.LOW, 0, ()),
    ({"job": "none"}, Band.LOW, 1, (R.NO_OFFERS,)),
    ({"search": "some", "job": "none"}, Band.LOW, 2, (R.SEARCHING_LITTLE, R.NO_OFFERS)),
    ({"search": "none", "job": "none"}, Band.MEDIUM, 3, (R.NOT_SEARCHING, R.NO_OFFERS)),
    ({"plans": "undecided", "demand": "low"}, Band.MEDIUM, 3, (R.LOW_DEMAND, R.UNSURE)),
    ({"support": "direction", "plans": "undecided"}, Band.LOW, 1, (R.UNSURE,)),  # counted once
    ({"experience": "none", "practice": "none"}, Band.MEDIUM, 4, (R.NO_EXPERIENCE, R.NO_PRACTICE)),
    (
        {"experience": "none", "practice": "none", "search": "none"},
        Band.HIGH,
        6,
        (R.NO_EXPERIENCE, R.NO_PRACTICE, R.NOT_SEARCHING),
    ),
    (
        {"experience": "none", "practice": "none", "search": "none", "job": "none", "demand": "low"},
        Band.HIGH,
        9,
        (R.NO_EXPERIENCE, R.NO_PRACTICE, R.NOT_SEARCHING, R.LOW_DEMAND, R.NO_OFFERS),
    ),
    # what helps takes points off: in-field experience and a practice where they want to hire
    (
        {"experience": "specialty", "practice": "none", "search": "none"},
        Band.LOW,
        2,
        (R.NO_PRACTICE, R.NOT_SEARCHING),
    ),
    ({"practice": "hiring", "demand": "low", "search": "none"}, Band.LOW, 2, (R.NOT_SEARCHING, R.LOW_DEMAND)),
    ({"experience": "specialty", "practice": "hiring"}, Band.LOW, 0, ()),  # never below zero
    ({"move": "no"}, Band.LOW, 0, ()),  # unwilling to move is not a risk by itself
]


@pytest.mark.parametrize(("changes", "band", "points", "reasons"), CASES)
def test_band_points_and_reasons(changes, band, points, reasons):
    answers = checked(_answers(changes))
    assessment = assess(answers)
    assert (assessment.band, assessment.points, assessment.reasons) == (band, points, reasons)


def _answers(changes: dict[str, str]) -> dict[str, str]:
    merged = {**BASE, **changes}
    if merged["plans"] in {"study", "army", "maternity"}:
        return {"plans": merged["plans"], "support": merged["support"]}
    if merged["job"] in {"employed", "offer"}:
        return {"plans": merged["plans"], "job": merged["job"], "support": merged["support"]}
    return merged


def test_helping_factors_are_named():
    assessment = assess(checked({**BASE, "experience": "specialty", "practice": "hiring"}))
    assert [f.reason for f in assessment.helped_by] == [R.EXPERIENCE_IN_FIELD, R.HIRING_PRACTICE]


def test_centre_offered_to_those_who_want_help_or_at_raised_risk():
    low = checked(BASE)
    assert not centre_offered(low, assess(low))
    wants = checked({**BASE, "support": "resume"})
    assert centre_offered(wants, assess(wants))
    risk = checked({**BASE, "experience": "none", "practice": "none"})
    assert centre_offered(risk, assess(risk))


def test_the_route_follows_the_answers():
    assert next_question({}) is Question.PLANS
    assert next_question({Question.PLANS: "army"}) is Question.SUPPORT
    assert next_question({Question.PLANS: "work", Question.JOB: "offer"}) is Question.SUPPORT
    assert next_question({Question.PLANS: "work", Question.JOB: "none"}) is Question.SEARCH
    with pytest.raises(BadAnswers):  # not the question due
        answer({}, Question.JOB, "none")
    with pytest.raises(BadAnswers):  # not one of its codes
        answer({}, Question.PLANS, "Работать")


@pytest.mark.parametrize(
    ("role", "course", "offered"),
    [
        (Role.GRADUATE, None, True),
        (Role.COLLEGE_STUDENT, 3, True),
        (Role.COLLEGE_STUDENT, 2, False),
        (Role.UNIVERSITY_STUDENT, 4, True),
        (Role.UNIVERSITY_STUDENT, 3, False),
        (Role.PUPIL, None, False),
        (Role.JOBSEEKER, None, False),
        (None, None, False),
    ],
)
def test_who_is_graduating(role, course, offered):
    assert graduating(role, Profile(person_id=1, course=course)) is offered
