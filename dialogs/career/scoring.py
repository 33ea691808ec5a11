"""Scoring any instrument: points per scale, the ranked profile, its honesty flags and the reasons behind it.

Pure functions of (instrument, answers), so a stored attempt can be re-read at any time and tests can check
hand-computed patterns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from dialogs.career.instruments import Instrument


class Verdict(StrEnum):
    CLEAR = "clear"  # one or two scales lead
    FLAT = "flat"  # every scale scored about the same
    LOW = "low"  # hardly anything appealed
    INCONSISTENT = "inconsistent"  # the two leading types sit opposite on the circle


NO_TYPE = frozenset({Verdict.FLAT, Verdict.LOW})  # nothing stands out: no type, no code, no professions
# Faster than this on average per item, the answers were not read (a 20-item test in under 20 seconds).
MIN_SECONDS_PER_ITEM = 1.0


class Consistency(StrEnum):
    HIGH = "high"  # neighbours on the circle
    MEDIUM = "medium"  # one apart
    LOW = "low"  # opposite


@dataclass(frozen=True, slots=True)
class Profile:
    scores: dict[str, int]
    ranked: tuple[str, ...]  # scale ids, highest first; ties keep the instrument's order
    code: str  # letters of the leading scales, e.g. "ТЗ" or "SEA"; empty when there is no type
    differentiation: int  # top score minus bottom score
    consistency: Consistency | None  # only for instruments with a circle
    verdict: Verdict

    @property
    def typed(self) -> bool:
        """Whether a type can be named at all: a flat or empty profile has none (whatever ranks first)."""
        return self.verdict not in NO_TYPE

    @property
    def leading(self) -> str:
        """The leading scale, or "" when there is no type."""
        return self.ranked[0] if self.typed else ""

    def leaders(self, count: int) -> tuple[str, ...]:
        return leaders(self.ranked, self.scores, count) if self.typed else ()


def leaders(ranked: Sequence[str], scores: Mapping[str, int], count: int) -> tuple[str, ...]:
    """Up to ``count`` leading scales that mean something: a zero is no interest, and a tie across the cut
    is not split by the instrument's order (3-3-3 after a leading 8 gives the 8 alone). When the tie is
    at the very top, the tied group is returned (at most ``count`` + 1), so nobody is dropped at random."""
    chosen = [s for s in ranked[:count] if scores[s] > 0]
    if len(ranked) > count and chosen and scores[ranked[count - 1]] == scores[ranked[count]]:
        cut = scores[ranked[count]]
        kept = [s for s in chosen if scores[s] > cut]
        if kept:
            return tuple(kept)
        return tuple(s for s in ranked[: count + 1] if scores[s] == cut)
    return tuple(chosen)


def score(instrument: Instrument, answers: Sequence[str]) -> dict[str, int]:
    """Points per scale. Unknown keys count nothing (they cannot be stored, this is belt and braces)."""
    totals = dict.fromkeys((s.id for s in instrument.scales), 0)
    for index, key in enumerate(answers[: instrument.count]):
        option = instrument.option(index, key)
        if option is not None:
            totals[option.scale] += option.points
    return totals


def circle_distance(circle: Sequence[str], first: str, second: str) -> int:
    """Steps between two types on the circle (hexagon: 1 neighbours … 3 opposite)."""
    gap = abs(circle.index(first) - circle.index(second))
    return min(gap, len(circle) - gap)


def profile(instrument: Instrument, scores: Mapping[str, int]) -> Profile:
    order = [s.id for s in instrument.scales]
    ranked = tuple(sorted(order, key=lambda scale: (-scores[scale], order.index(scale))))
    rules = instrument.result
    code = "".join(instrument.scale(s).letter for s in leaders(ranked, scores, rules.code_letters))
    values = [scores[s] for s in order]
    differentiation = max(values) - min(values)
    consistency = None
    second, third = scores[ranked[1]], scores[ranked[2]] if len(ranked) > 2 else -1
    if rules.circle is not None and second > max(third, 0):  # a tied or empty second type says nothing
        distance = circle_distance(rules.circle, ranked[0], ranked[1])
        consistency = {1: Consistency.HIGH, 2: Consistency.MEDIUM}.get(distance, Consistency.LOW)
    if rules.low_max is not None and max(values) <= rules.low_max:
        verdict = Verdict.LOW
    elif differentiation <= rules.flat_spread:
        verdict = Verdict.FLAT
    elif consistency is Consistency.LOW:
        verdict = Verdict.INCONSISTENT
    else:
        verdict = Verdict.CLEAR
    if verdict in NO_TYPE:
        code = ""
    return Profile(dict(scores), ranked, code, differentiation, consistency, verdict)


def evaluate(instrument: Instrument, answers: Sequence[str]) -> Profile:
    return profile(instrument, score(instrument, answers))


def reasons(instrument: Instrument, answers: Sequence[str], scale: str, limit: int = 3) -> list[str]:
    """The answers that weighed most for ``scale``: the activities chosen, or rated highest, for it."""
    weighed: list[tuple[int, int, str]] = []
    for index, key in enumerate(answers[: instrument.count]):
        option = instrument.option(index, key)
        if option is None or option.scale != scale or option.points <= 0:
            continue
        best = max(o.points for o in instrument.options(index))
        if option.points * 4 >= best * 3:  # "liked" or "chosen", not a lukewarm "don't know"
            weighed.append((-option.points, index, instrument.item_text(index, key)))
    return [text for _, _, text in sorted(weighed)[:limit]]


def rushed(instrument: Instrument, started: datetime | None, finished: datetime | None) -> bool:
    """Whether the answers came faster than anyone reads them (on average across the whole test)."""
    if started is None or finished is None:
        return False
    return finished - started < timedelta(seconds=MIN_SECONDS_PER_ITEM * instrument.count)
