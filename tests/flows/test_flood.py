"""The per-person rate limit (dialogs.flood): the token bucket on a clock the test moves, and through the
engine: a burst gets one calm answer, excess input is not processed, normal typing is never limited; and
a 4,000-letter word reaches the NLU capped and still gets an answer."""

from __future__ import annotations

import pytest

from backend_client.ports import Receipt
from bot.wiring import build_engine
from dialogs.engine import Engine
from dialogs.flood import FloodGate, RateLimit, Verdict
from dialogs.testing import DialogClient
from dialogs.texts import t
from dialogs.ui import Incoming
from nlu import embedded
from nlu.features import model_text
from nlu.text import MAX_WORD_CHARS
from nlu.types import Parse
from tests.flows.conftest import PUPIL_PROFILE, choose_role, consent_adult, fill_rest
from tests.flows.test_career import KLIMOV, RIASEC, label_for, open_klimov

CALM = t("engine.flood")


class Tick:
    """A monotonic clock in seconds that moves only when told, or by ``pace`` at every reading."""

    def __init__(self, pace: float = 0.0) -> None:
        self.now = 1000.0
        self.pace = pace

    def __call__(self) -> float:
        self.now += self.pace
        return self.now


# -- the bucket -----------------------------------------------------------------------------------------
def test_a_burst_passes_then_one_warning_then_silence():
    gate = FloodGate(RateLimit(burst=5, per_second=1.0), clock=Tick())
    verdicts = [gate.admit("a") for _ in range(9)]
    assert verdicts == [Verdict.PASS] * 5 + [Verdict.WARN] + [Verdict.DROP] * 3


def test_the_bucket_refills_at_the_rate_without_a_second_warning():
    clock = Tick()
    gate = FloodGate(RateLimit(burst=5, per_second=2.0), clock=clock)
    for _ in range(6):
        gate.admit("a")
    clock.now += 0.5  # one token back
    assert gate.admit("a") is Verdict.PASS
    assert gate.admit("a") is Verdict.DROP  # the same flood: told once already
    clock.now += 0.49
    assert gate.admit("a") is Verdict.DROP


def test_a_full_bucket_ends_the_flood():
    clock = Tick()
    gate = FloodGate(RateLimit(burst=5, per_second=2.0), clock=clock)
    for _ in range(6):
        gate.admit("a")
    clock.now += 2.5  # 5 tokens: full again
    assert [gate.admit("a") for _ in range(7)] == [Verdict.PASS] * 5 + [Verdict.WARN, Verdict.DROP]


def test_people_are_counted_apart():
    gate = FloodGate(RateLimit(burst=2, per_second=1.0), clock=Tick())
    assert [gate.admit("a") for _ in range(3)] == [Verdict.PASS, Verdict.PASS, Verdict.WARN]
    assert [gate.admit("b") for _ in range(2)] == [Verdict.PASS, Verdict.PASS]


@pytest.mark.parametrize("pace", [0.5, 0.7, 3.0])
def test_typing_at_the_sustained_rate_or_slower_is_never_limited(pace):
    gate = FloodGate(RateLimit(burst=20, per_second=2.0), clock=Tick(pace))
    assert {gate.admit("a") for _ in range(5_000)} == {Verdict.PASS}


def test_memory_is_bounded_by_the_keys_and_full_buckets_are_forgotten():
    clock = Tick()
    gate = FloodGate(RateLimit(burst=4, per_second=2.0), clock=clock, max_keys=100)
    for person in range(1_000):
        gate.admit(f"test:{person}")
    assert gate.tracked == 100
    clock.now += 2.0  # every bucket full again
    gate.admit("test:new")
    assert gate.tracked == 1


def test_the_longest_idle_bucket_is_evicted_first():
    clock = Tick()
    gate = FloodGate(RateLimit(burst=1, per_second=0.01), clock=clock, max_keys=2)
    gate.admit("a")
    gate.admit("b")
    clock.now += 1
    assert gate.admit("a") is Verdict.WARN  # "a" used again: now "b" is the idlest
    gate.admit("c")  # over max_keys: "b" goes
    assert gate.admit("a") is Verdict.DROP  # "a" kept its empty bucket
    assert gate.admit("b") is Verdict.PASS  # "b" starts afresh


@pytest.mark.parametrize(("burst", "rate"), [(0, 1.0), (5, 0.0), (5, -1.0)])
def test_a_limit_needs_a_burst_and_a_rate(burst, rate):
    with pytest.raises(ValueError, match="burst of at least 1 and a positive rate"):
        RateLimit(burst, rate)


# -- through the engine -------------------------------------------------------------------------------------
class Counting:
    """The real model, counting what reaches it."""

    def __init__(self, model: embedded.EmbeddedModel) -> None:
        self.model = model
        self.texts: list[str] = []

    async def parse(self, text: str) -> Parse:
        self.texts.append(text)
        return self.model.parse_now(text)


def limited_engine(database, clock, gate: FloodGate, nlu=None) -> Engine:
    return build_engine(database, database.conversations, clock, nlu=nlu, flood=gate)


async def test_a_burst_gets_one_calm_answer_and_the_excess_is_not_processed(database, clock, nlu_model):
    tick = Tick(pace=1.0)
    nlu = Counting(nlu_model)
    client = DialogClient(limited_engine(database, clock, FloodGate(RateLimit(), clock=tick), nlu), "flood-1")
    await consent_adult(client)
    await client.send("/menu")
    tick.pace, tick.now = 0.0, tick.now + 10.0  # a full bucket, then 30 inputs at once, a press among them
    outcomes = [await client.send("привет") for _ in range(25)]
    outcomes.append(await client.press_token("forged-token"))
    outcomes += [await client.send("привет") for _ in range(4)]
    answered = [o for o in outcomes if o.replies and CALM not in o.texts]
    calm = [o for o in outcomes if CALM in o.texts]
    assert len(answered) == 20  # the burst
    assert len(calm) == 1
    assert calm[0].texts == [CALM]
    assert all(o.handled and not o.replies for o in outcomes[21:])  # ignored, yet a press gets answered
    assert len(nlu.texts) == 20  # the ignored ones never reached the NLU
    tick.now += 0.5  # one token back: handled, and the flood is not announced again
    assert "Здравствуйте" in (await client.send("привет")).texts[0]
    assert not (await client.send("привет")).replies
    tick.now += 10.0  # a pause: everything as usual
    await client.send("спасибо")
    assert "Пожалуйста" in client.text


async def test_an_ignored_update_is_not_recorded_so_a_redelivery_is_handled(database, clock):
    tick = Tick()
    engine = limited_engine(database, clock, FloodGate(RateLimit(burst=2, per_second=1.0), clock=tick))

    def update(number: int) -> Incoming:
        return Incoming.message("test", "flood-2", "/start", receipt=Receipt("bot", number))

    async def sent(outcome) -> bool:
        return True

    assert (await engine.deliver(update(1), sent)).replies
    assert (await engine.deliver(update(2), sent)).replies
    assert (await engine.deliver(update(3), sent)).texts == [CALM]
    tick.now += 5.0
    assert (await engine.deliver(update(3), sent)).replies  # never handled before: handled now, once
    assert not (await engine.deliver(update(3), sent)).handled  # and a second redelivery is a duplicate


async def test_normal_use_is_never_limited(database, clock):
    """Onboarding, the profile and two career tests, one input every half second: faster than anyone
    reads a question."""
    client = DialogClient(limited_engine(database, clock, FloodGate(RateLimit(), clock=Tick(0.5))), "flood-3")
    await choose_role(client, "pupil", "14")
    await client.press("Согласен")
    await fill_rest(client, PUPIL_PROFILE)
    await open_klimov(client)
    for index in range(KLIMOV.count):
        await client.press(label_for(index, "tech"))
    await client.send("/tests")
    await client.press("Профиль интересов")
    for _ in RIASEC.items:
        await client.send("3")
    assert "Результат: «Профиль интересов»" in client.text  # the engine's clock stood still: "too fast"
    assert len(client.transcript) > 80
    assert not any(CALM in line for line in client.transcript)


async def test_a_4000_letter_word_is_parsed_capped_and_answered(database, clock, nlu_model, monkeypatch):
    seen = []

    def spy(text, extractor):
        result = model_text(text, extractor)
        seen.append(result[0])
        return result

    monkeypatch.setattr(embedded, "model_text", spy)
    client = DialogClient(build_engine(database, database.conversations, clock, nlu=nlu_model), "flood-4")
    await consent_adult(client)
    await client.send("/menu")
    word = "работа" * 667  # 4,002 letters
    await client.send(word)
    assert client.last.replies
    assert client.text != t("engine.apology")
    assert client.labels  # the honest answer comes with the menu
    assert [text.surface for text in seen] == [word[:MAX_WORD_CHARS]]
