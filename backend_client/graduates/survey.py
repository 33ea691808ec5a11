"""«Анкета выпускника»: the questions, their answers as codes, and who is asked which.

The interim, transparent model of DOMAIN §5.2: the status is classified first (further study, the army
or a maternity leave defer the question; a job or a signed offer is low risk), and only those entering
the labour market now are scored (``scoring``). Answers are stored as these codes, never as labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from backend_client.models import Profile, Role


class Question(StrEnum):
    PLANS = "plans"  # what after graduation
    JOB = "job"  # a job found, an offer, interviews
    SEARCH = "search"  # how actively they look
    DEMAND = "demand"  # is the specialty wanted in the region (their own view)
    MOVE = "move"  # willing to move for work
    EXPERIENCE = "experience"  # work during study
    PRACTICE = "practice"  # practice or internship at a real employer
    SUPPORT = "support"  # what help they want


OPTIONS: Mapping[Question, tuple[str, ...]] = {
    Question.PLANS: ("work", "study", "army", "maternity", "undecided"),
    Question.JOB: ("employed", "offer", "interviews", "none"),
    Question.SEARCH: ("active", "some", "none"),
    Question.DEMAND: ("high", "low", "unknown"),
    Question.MOVE: ("yes", "maybe", "no"),
    Question.EXPERIENCE: ("specialty", "other", "none"),
    Question.PRACTICE: ("hiring", "real", "none"),
    Question.SUPPORT: ("none", "consultation", "resume", "direction", "training"),
}

DEFERRED_PLANS = frozenset({"study", "army", "maternity"})  # work is not expected soon: not "at risk"
SETTLED_JOB = frozenset({"employed", "offer"})
# Asked of everyone who is deferred or settled: only what help they want.
SHORT_ROUTE = (Question.PLANS, Question.JOB, Question.SUPPORT)
FULL_ROUTE = tuple(Question)
GRADUATING_COURSE = {Role.COLLEGE_STUDENT: 3, Role.UNIVERSITY_STUDENT: 4}  # from this course on
MAY_TAKE = frozenset({Role.COLLEGE_STUDENT, Role.UNIVERSITY_STUDENT, Role.GRADUATE, Role.JOBSEEKER})


class BadAnswers(ValueError):
    """An answer outside its question's codes, a question out of the route, or a route unfinished."""


Answers = Mapping[Question, str]


def route(answers: Answers) -> tuple[Question, ...]:
    """The questions this person is asked, given what they answered so far."""
    if answers.get(Question.PLANS) in DEFERRED_PLANS:
        return (Question.PLANS, Question.SUPPORT)
    if answers.get(Question.JOB) in SETTLED_JOB:
        return SHORT_ROUTE
    return FULL_ROUTE


def next_question(answers: Answers) -> Question | None:
    for question in route(answers):
        if question not in answers:
            return question
    return None


def answer(answers: Answers, question: Question, code: str) -> dict[Question, str]:
    """``answers`` with one more; BadAnswers unless it is the question due and one of its codes."""
    if next_question(answers) is not question or code not in OPTIONS[question]:
        raise BadAnswers(f"{question}={code}")
    return {**answers, question: code}


def checked(raw: Mapping[str, object]) -> dict[Question, str]:
    """Complete answers from stored or typed-in codes; BadAnswers for anything out of range."""
    answers: dict[Question, str] = {}
    try:
        parsed = {Question(str(key)): str(value) for key, value in raw.items()}
    except ValueError as bad:
        raise BadAnswers(str(bad)) from None
    for question in route(parsed):
        if question not in parsed:
            raise BadAnswers(f"{question} unanswered")
        answers = answer(answers, question, parsed[question])
    if set(parsed) - set(answers):
        raise BadAnswers("answers outside the route")
    return answers


def graduating(role: Role | None, profile: Profile) -> bool:
    """Students of the graduating courses and young graduates: whom the menu offers the questionnaire."""
    if role is Role.GRADUATE:
        return True
    first = GRADUATING_COURSE.get(role) if role is not None else None
    return first is not None and profile.course is not None and profile.course >= first


def may_take(role: Role | None) -> bool:
    """Who may fill it in at all (from free text, a campaign's button): students, graduates, jobseekers."""
    return role in MAY_TAKE


@dataclass(frozen=True, slots=True)
class SavedSurvey:
    """A person's answers as stored (one row per person) and when they were last changed."""

    person_id: int
    answers: dict[Question, str]
    version: int  # 1 for the first answers, +1 for each change
    updated_at: datetime
