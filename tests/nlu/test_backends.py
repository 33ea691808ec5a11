"""One contract for every NLU backend: the embedded model and a Rasa server (a local fake that answers in
Rasa's documented /model/parse shape, computing its answers with the embedded model)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from backend_client.http.json_client import JsonClient
from nlu.embedded import EmbeddedModel
from nlu.rasa_http import RasaBackend, from_rasa
from nlu.types import NluUnavailable, Understanding


@dataclass
class FakeRasa:
    """``POST /model/parse`` on 127.0.0.1, in Rasa 3's response shape; faults on demand."""

    model: EmbeddedModel
    token: str | None = None
    status: int = 200
    delay: float = 0.0
    body: Any = None  # a raw body to send instead of a real answer
    requests: list[dict[str, Any]] = field(default_factory=list)

    async def parse(self, request: web.Request) -> web.StreamResponse:
        if self.token is not None and request.query.get("token") != self.token:
            return web.json_response({"status": "failure", "reason": "NotAuthenticated"}, status=401)
        payload = await request.json()
        self.requests.append(payload)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.status != 200:
            return web.json_response({"status": "failure", "code": self.status}, status=self.status)
        if self.body is not None:
            return web.Response(text=self.body, content_type="application/json")
        parse = self.model.parse_now(payload["text"])
        return web.json_response(
            {
                "text": payload["text"],
                "intent": {"name": parse.intent, "confidence": parse.confidence},
                "entities": [
                    {
                        "entity": e.entity,
                        "start": e.start,
                        "end": e.end,
                        "value": e.value,
                        "confidence_entity": e.confidence,
                        "extractor": "DIETClassifier",
                    }
                    for e in parse.entities
                ],
                "intent_ranking": [{"name": s.name, "confidence": s.confidence} for s in parse.ranking],
                "text_tokens": [],
            }
        )


@pytest.fixture
async def fake_rasa(nlu_model) -> AsyncIterator[tuple[FakeRasa, str]]:
    fake = FakeRasa(nlu_model)
    app = web.Application()
    app.router.add_post("/model/parse", fake.parse)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield fake, f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.fixture
async def rasa(fake_rasa) -> AsyncIterator[RasaBackend]:
    _, url = fake_rasa
    client = JsonClient(url, timeout=2.0)
    try:
        yield RasaBackend(client)
    finally:
        await client.close()


@pytest.fixture(params=["embedded", "rasa"])
def backend(request, nlu_model) -> Understanding:
    return nlu_model if request.param == "embedded" else request.getfixturevalue("rasa")


CLEAR = [
    ("вакансии сварщика в тольяти", "find_job"),
    ("удалите мои данные", "delete_data"),
    ("хочу пройти тест на профориентацию", "career_test"),
    ("я родитель, как привязать ребёнка", "parent"),
    ("спасибо большое", "thanks"),
]


@pytest.mark.parametrize(("text", "intent"), CLEAR)
async def test_clear_messages(backend, text, intent):
    parse = await backend.parse(text)
    assert parse.intent == intent
    assert 0.0 <= parse.confidence <= 1.0
    assert parse.ranking[0].name == intent


async def test_entities_come_with_offsets(backend):
    text = "работа программистом в самаре"
    parse = await backend.parse(text)
    found = {(e.entity, e.value, text[e.start : e.end]) for e in parse.entities}
    assert found == {("profession", "программист", "программистом"), ("municipality", "Самара", "самаре")}


async def test_rasa_token_is_sent(fake_rasa):
    fake, url = fake_rasa
    fake.token = "s3cret"
    client = JsonClient(url, timeout=2.0)
    try:
        with pytest.raises(NluUnavailable, match="401"):
            await RasaBackend(client).parse("привет")
        assert (await RasaBackend(client, token="s3cret").parse("привет")).intent == "greet"
    finally:
        await client.close()


@pytest.mark.parametrize(
    ("fault", "message"),
    [({"status": 500}, "HTTP 500"), ({"body": "[1, 2]"}, "shape|object"), ({"body": "not json"}, "object")],
)
async def test_rasa_faults_are_unavailable_not_crashes(fake_rasa, rasa, fault, message):
    fake, _ = fake_rasa
    for name, value in fault.items():
        setattr(fake, name, value)
    with pytest.raises(NluUnavailable, match=message):
        await rasa.parse("привет")


async def test_a_slow_rasa_times_out(fake_rasa):
    fake, url = fake_rasa
    fake.delay = 1.0
    client = JsonClient(url, timeout=0.2)
    try:
        with pytest.raises(NluUnavailable, match="not reachable"):
            await RasaBackend(client).parse("привет")
    finally:
        await client.close()


async def test_an_unreachable_rasa_is_unavailable():
    from tests.conftest import free_port

    client = JsonClient(f"http://127.0.0.1:{free_port()}", timeout=1.0)
    try:
        with pytest.raises(NluUnavailable, match="not reachable"):
            await RasaBackend(client).parse("привет")
    finally:
        await client.close()


def test_rasa_shapes():
    parse = from_rasa({"text": "x", "intent": None, "entities": [], "intent_ranking": []})
    assert (parse.intent, parse.confidence) == ("out_of_scope", 0.0)
    numeric = from_rasa(
        {
            "intent": {"name": "summer_job", "confidence": 0.7},
            "entities": [{"entity": "age", "start": 4, "end": 6, "value": 15}],
        }
    )
    assert numeric.ranking[0].name == "summer_job"
    assert numeric.entities[0].value == "15"
    with pytest.raises(NluUnavailable):
        from_rasa({"intent": {"name": "greet", "confidence": 7}})
    with pytest.raises(NluUnavailable):
        from_rasa({"intent": {"name": "greet", "confidence": 0.9}, "entities": [{"entity": "x"}]})
