"""Which conversation answers which intent: the routes between NLU and the flows.

Each feature registers the intents it serves (``Feature.intents``, e.g. ``"events": Route(flow="events")``);
this module keeps the ``Route`` type, the pure replies and the intents not built yet (``COMING_INTENTS``).
``dialogs.features.intent_routes`` is the whole table. Intent names are the contract with ``nlu/data``:
the data validator fails when an intent routed there is missing from the training data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nlu.types import Parse


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


COMING = Route(coming=True, menu=True)

# Answered without a flow, whatever the features.
REPLIES: dict[str, Route] = {
    "greet": Route(reply="nlu.greet", menu=True),
    "goodbye": Route(reply="nlu.goodbye"),
    "thanks": Route(reply="nlu.thanks"),
    "help": Route(reply="engine.help", menu=True),
    "out_of_scope": Route(reply="nlu.out_of_scope", menu=True),
}
# Intents the NLU knows whose feature is not built yet: «скоро», until a feature registers a route.
COMING_INTENTS: tuple[str, ...] = ()
