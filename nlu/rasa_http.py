"""The same ``Understanding`` backed by a Rasa server's ``POST /model/parse``.

The HTTP transport is injected (``JsonPoster``; aiohttp's lives in ``backend_client.http``), so this
package stays free of network libraries. Rasa's answer is checked field by field: a server that answers
in another shape is "unavailable", never a crash.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from nlu.text import clip
from nlu.types import OUT_OF_SCOPE, Entity, IntentScore, NluUnavailable, Parse

PARSE_PATH = "/model/parse"


class JsonPoster(Protocol):
    async def post_json(
        self, path: str, body: Mapping[str, Any], params: Mapping[str, str] | None = None
    ) -> tuple[int, Any]:
        """Raises ConnectionError (or TimeoutError) when the server cannot be reached in time."""
        ...


class RasaBackend:
    def __init__(self, poster: JsonPoster, *, token: str | None = None) -> None:
        self._poster = poster
        self._params = {"token": token} if token else None

    async def parse(self, text: str) -> Parse:
        body = {"text": clip(text)}  # the embedded model's limit: a pasted essay costs the server little too
        try:
            status, payload = await self._poster.post_json(PARSE_PATH, body, self._params)
        except (ConnectionError, TimeoutError) as error:
            raise NluUnavailable(f"Rasa not reachable: {error}") from None
        if status != 200:
            raise NluUnavailable(f"Rasa answered HTTP {status}")
        return from_rasa(payload)


def from_rasa(payload: Any) -> Parse:
    """Rasa's documented parse result -> Parse. Raises NluUnavailable on any other shape."""
    if not isinstance(payload, dict):
        raise NluUnavailable("Rasa answer is not a JSON object")
    try:
        ranking = tuple(_score(item) for item in payload.get("intent_ranking") or ())
        top = payload.get("intent")
        best = _score(top) if top and top.get("name") else IntentScore(OUT_OF_SCOPE, 0.0)
        if not ranking or ranking[0].name != best.name:
            ranking = (best, *(s for s in ranking if s.name != best.name))
        entities = tuple(_entity(item) for item in payload.get("entities") or ())
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        raise NluUnavailable(f"Rasa answer has an unexpected shape ({type(error).__name__})") from None
    return Parse(best.name, best.confidence, ranking, entities)


def _score(item: Any) -> IntentScore:
    confidence = float(item["confidence"])
    if not 0.0 <= confidence <= 1.0:
        raise ValueError("confidence outside [0, 1]")
    return IntentScore(str(item["name"]), confidence)


def _entity(item: Any) -> Entity:
    value = item["value"]
    return Entity(
        entity=str(item["entity"]),
        value=value if isinstance(value, str) else str(value),
        start=int(item["start"]),
        end=int(item["end"]),
        confidence=float(item.get("confidence_entity", 1.0)),
    )
