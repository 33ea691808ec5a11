"""The Rasa backend (nlu.rasa_http) against a real ``rasa run --enable-api`` server.

Rasa 3.6 lives in its own Python 3.10 environment (``make rasa``, or FRONTDOOR_RASA_PYTHON); where there is
none these tests are skipped, so ``make test`` never installs Rasa. A small model (six intents, a few DIET
epochs: the adapter is under test, not the model) is trained once and kept in var/rasa; the server then
needs 20-60 s to start. Run alone: ``.venv/bin/pytest tests/nlu/test_rasa_server.py``.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from backend_client.http.json_client import JsonClient
from nlu import rasa_side
from nlu.rasa_http import RasaBackend
from nlu.training_data import load
from nlu.types import NluUnavailable

ENV, WHY_NOT = rasa_side.find_env()
pytestmark = pytest.mark.skipif(ENV is None, reason=f"needs Rasa 3.6: {WHY_NOT}")

INTENTS = ("greet", "thanks", "career_test", "find_job", "delete_data", "events")
TOKEN = "test-token"
START_SECONDS = 180


@pytest.fixture(scope="module")
def rasa_url() -> Iterator[str]:
    from tests.conftest import free_port

    assert ENV is not None
    config = rasa_side.BENCHMARK_CONFIG.format(epochs=rasa_side.QUICK_EPOCHS)
    model, _ = rasa_side.train(ENV, config, {"nlu.yml": rasa_side.subset_file(load(), INTENTS)})
    port = free_port()
    with tempfile.TemporaryFile() as log:
        server = rasa_side.start_server(ENV, model, port, log, token=TOKEN)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_up(url, server, log)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"rasa run exited with {server.returncode}: {_tail(log)}")
        try:
            with urllib.request.urlopen(f"{url}/status?token={TOKEN}", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    pytest.fail(f"rasa run did not answer within {START_SECONDS} s: {_tail(log)}")


def _tail(log: IO[bytes]) -> str:
    log.seek(0)
    return log.read().decode("utf-8", "replace")[-1500:]


async def test_a_real_server_answers_in_the_shape_we_read(rasa_url):
    client = JsonClient(rasa_url, timeout=10.0)
    try:
        parse = await RasaBackend(client, token=TOKEN).parse("хочу пройти тест на профориентацию")
    finally:
        await client.close()
    assert parse.intent == "career_test"
    assert 0.0 <= parse.confidence <= 1.0
    assert parse.ranking[0].name == parse.intent
    assert {score.name for score in parse.ranking} <= set(INTENTS)
    confidences = [score.confidence for score in parse.ranking]
    assert confidences == sorted(confidences, reverse=True)


async def test_entities_come_back_with_offsets_into_our_text(rasa_url):
    text = "ищу работу сварщиком в самаре"
    client = JsonClient(rasa_url, timeout=10.0)
    try:
        parse = await RasaBackend(client, token=TOKEN).parse(text)
    finally:
        await client.close()
    assert parse.intent == "find_job"
    for entity in parse.entities:
        assert entity.entity in {"profession", "municipality"}
        assert 0 <= entity.start < entity.end <= len(text)
        assert isinstance(entity.value, str)
        assert entity.value


async def test_a_wrong_token_is_unavailable_not_a_crash(rasa_url):
    client = JsonClient(rasa_url, timeout=10.0)
    try:
        with pytest.raises(NluUnavailable, match="401"):
            await RasaBackend(client, token="wrong").parse("привет")
        with pytest.raises(NluUnavailable, match="401"):
            await RasaBackend(client).parse("привет")
    finally:
        await client.close()


async def test_a_long_message_is_sent_clipped(rasa_url):
    client = JsonClient(rasa_url, timeout=10.0)
    try:
        parse = await RasaBackend(client, token=TOKEN).parse("удалите мои данные " + "пожалуйста " * 500)
    finally:
        await client.close()
    assert parse.intent == "delete_data"
    assert all(entity.end <= 200 for entity in parse.entities)


def test_the_model_is_kept_for_the_next_run(rasa_url):
    assert ENV is not None
    config = rasa_side.BENCHMARK_CONFIG.format(epochs=rasa_side.QUICK_EPOCHS)
    model, seconds = rasa_side.train(ENV, config, {"nlu.yml": rasa_side.subset_file(load(), INTENTS)})
    assert seconds is None  # trained for the server, or by an earlier run
    assert Path(model).exists()
