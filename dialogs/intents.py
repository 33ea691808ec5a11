"""Which conversation answers which intent: the one table between NLU and the flows.

A feature that gets built replaces its ``COMING`` entry with a ``Route`` to its flow, e.g.
``"events": Route(flow="events")``. Intent names are the contract with ``nlu/data``: the data
validator fails when an intent named here is missing from the training data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from backend_client.reference import MUNICIPALITIES
from nlu.types import Parse

_CODE_BY_NAME = {m.name: m.code for m in MUNICIPALITIES}


@dataclass(frozen=True, slots=True)
class Route:
    flow: str = ""  # the flow to enter
    entry: str = ""  # its entry point
    arg: Callable[[Parse], str] | None = None  # entities -> the entry's argument (pre-filled answers)
    reply: str = ""  # a text key to answer instead of (or before) a flow
    menu: bool = False  # show the role's menu after the reply
    coming: bool = False  # the feature is not built yet: say so and point to what works today


@dataclass(frozen=True, slots=True)
class Confidence:
    """Calibrated confidence bands: at or above ``high`` act, at or above ``low`` ask, below: admit."""

    high: float = 0.6
    low: float = 0.3
    suggestions: int = 3
    suggestion_floor: float = 0.08  # guesses below this are not worth a button


def profile_arg(parse: Parse) -> str:
    """«я переехал в Тольятти» -> edit the municipality, Тольятти offered; «я уже в 10 классе» -> grade."""
    municipality = parse.first("municipality")
    if municipality is not None and municipality.value in _CODE_BY_NAME:
        return f"municipality:{_CODE_BY_NAME[municipality.value]}"
    for field in ("grade", "course"):
        if parse.first(field) is not None:
            return field
    return ""


def events_arg(parse: Parse) -> str:
    """«профтуры в тольятти завтра» -> ``m=36440;d=tomorrow``: the events list pre-filtered."""
    parts = []
    municipality = parse.first("municipality")
    if municipality is not None and municipality.value in _CODE_BY_NAME:
        parts.append(f"m={_CODE_BY_NAME[municipality.value]}")
    day = parse.first("date")
    if day is not None:
        parts.append(f"d={day.value}")
    return ";".join(parts)


COMING = Route(coming=True, menu=True)

ROUTES: dict[str, Route] = {
    "greet": Route(reply="nlu.greet", menu=True),
    "goodbye": Route(reply="nlu.goodbye"),
    "thanks": Route(reply="nlu.thanks"),
    "help": Route(reply="engine.help", menu=True),
    "profile": Route(flow="profile", entry="edit", arg=profile_arg),
    "delete_data": Route(flow="mydata", entry="erase"),
    "parent": Route(flow="family", entry="mine"),
    "career_test": Route(flow="career"),
    "test_results": Route(flow="career", entry="history"),
    "events": Route(flow="events", arg=events_arg),
    "event_signup": Route(flow="events", arg=events_arg),
    "my_registrations": Route(flow="events", entry="mine"),
    "cancel_registration": Route(flow="events", entry="mine"),
    "find_job": COMING,
    "internship": COMING,
    "summer_job": COMING,
    "job_alerts": COMING,
    "unsubscribe": Route(flow="settings"),
    "colleges": COMING,
    "employment_help": COMING,
    "operator": COMING,
    "out_of_scope": Route(reply="nlu.out_of_scope", menu=True),
}
