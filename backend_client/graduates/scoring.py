"""The interim transparent score of DOMAIN §5.2: a band and the reasons that raised it, each with its
next steps. Advisory only (152-ФЗ ст. 16): it helps the person and a consultant talk, it decides nothing.

Weights are the starting hypothesis of the domain note, to be calibrated on the first cohort's outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from backend_client.graduates.survey import DEFERRED_PLANS, SETTLED_JOB, Answers, Question


class Band(StrEnum):
    DEFERRED = "deferred"  # study, army, leave: work is not expected soon; asked again later
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Reason(StrEnum):
    """What raised (or lowered) the score; the texts say it plainly and give the next steps."""

    NO_EXPERIENCE = "no_experience"
    NO_PRACTICE = "no_practice"
    NOT_SEARCHING = "not_searching"
    SEARCHING_LITTLE = "searching_little"
    NO_OFFERS = "no_offers"
    LOW_DEMAND = "low_demand"
    UNSURE = "unsure"
    EXPERIENCE_IN_FIELD = "experience_in_field"  # helps
    HIRING_PRACTICE = "hiring_practice"  # helps


@dataclass(frozen=True, slots=True)
class Factor:
    reason: Reason
    points: int


@dataclass(frozen=True, slots=True)
class Assessment:
    band: Band
    points: int  # 0 for deferred or settled statuses
    raised_by: tuple[Factor, ...]  # positive points, largest first
    helped_by: tuple[Factor, ...]  # negative points

    @property
    def reasons(self) -> tuple[Reason, ...]:
        return tuple(factor.reason for factor in self.raised_by)


# (question, answer) -> the factor it contributes
_FACTORS: dict[tuple[Question, str], Factor] = {
    (Question.EXPERIENCE, "none"): Factor(Reason.NO_EXPERIENCE, 2),
    (Question.EXPERIENCE, "specialty"): Factor(Reason.EXPERIENCE_IN_FIELD, -2),
    (Question.PRACTICE, "none"): Factor(Reason.NO_PRACTICE, 2),
    (Question.PRACTICE, "hiring"): Factor(Reason.HIRING_PRACTICE, -2),
    (Question.SEARCH, "none"): Factor(Reason.NOT_SEARCHING, 2),
    (Question.SEARCH, "some"): Factor(Reason.SEARCHING_LITTLE, 1),
    (Question.JOB, "none"): Factor(Reason.NO_OFFERS, 1),
    (Question.DEMAND, "low"): Factor(Reason.LOW_DEMAND, 2),
}
_ORDER = {reason: place for place, reason in enumerate(Reason)}  # ties: the order declared above
MEDIUM_FROM = 3
HIGH_FROM = 6


def assess(answers: Answers) -> Assessment:
    """The band for complete answers (``survey.checked``); pure, so the table of cases tests it whole."""
    if answers.get(Question.PLANS) in DEFERRED_PLANS:
        return Assessment(Band.DEFERRED, 0, (), ())
    if answers.get(Question.JOB) in SETTLED_JOB:
        return Assessment(Band.LOW, 0, (), ())
    factors = [_FACTORS[pair] for pair in answers.items() if pair in _FACTORS]
    # «Не знаю, куда идти»: undecided plans or asking for direction count once.
    if answers.get(Question.PLANS) == "undecided" or answers.get(Question.SUPPORT) == "direction":
        factors.append(Factor(Reason.UNSURE, 1))
    points = max(0, sum(factor.points for factor in factors))
    raised = tuple(sorted((f for f in factors if f.points > 0), key=lambda f: (-f.points, _ORDER[f.reason])))
    helped = tuple(f for f in factors if f.points < 0)
    return Assessment(_band(points), points, raised, helped)


def _band(points: int) -> Band:
    if points >= HIGH_FROM:
        return Band.HIGH
    return Band.MEDIUM if points >= MEDIUM_FROM else Band.LOW


def wants_help(answers: Answers) -> bool:
    return answers.get(Question.SUPPORT, "none") != "none"


def centre_offered(answers: Answers, assessment: Assessment) -> bool:
    """The employment centre is offered to those who want help and to those at raised risk."""
    return wants_help(answers) or assessment.band in (Band.MEDIUM, Band.HIGH)
