"""The engine's promises: global commands, stale and forged buttons, odd input, restarts, ordering, errors."""

from __future__ import annotations

import asyncio

import pytest

from backend_client.ports import Receipt
from bot.wiring import build_engine
from dialogs.flow import Flow
from dialogs.testing import DialogClient
from dialogs.ui import Incoming
from tests.flows.conftest import ROLE_LABELS, consent_adult


async def test_stale_button_gets_a_polite_answer_and_the_current_menu(client):
    await client.send("/start")
    old = client.button(ROLE_LABELS["graduate"])
    await client.press(ROLE_LABELS["graduate"])
    await client.send("25")
    await client.press_token(old.payload)
    assert client.last.notice
    assert "неактуальна" in client.text
    assert client.labels  # the current screen is shown again


async def test_pressing_the_same_button_twice_does_not_repeat_it(client, records):
    await consent_adult(client)
    await client.send("/mydata")
    erase = client.button("Удалить мои данные")
    await client.press("Удалить мои данные")
    screen = client.labels
    repeat = await client.press_token(erase.payload)  # a double tap: the screen it led to is showing
    assert repeat.replies == ()
    assert repeat.notice == "Уже сделано ✅"
    assert client.labels == screen  # the confirmation's buttons still work
    await client.press("Да, удалить")
    assert "удалены" in client.text
    await client.press_token(erase.payload)  # an older button still: out of date
    assert "неактуальна" in client.text


@pytest.mark.parametrize("token", ["", "x", "A" * 64, "menu:show:", "profile:edit:display_name", "../../etc"])
async def test_forged_payloads_are_refused(client, token):
    await consent_adult(client)
    await client.press_token(token)
    assert "неактуальна" in client.text


async def test_a_button_of_another_person_is_stale_for_me(client_factory):
    alice, bob = client_factory("alice"), client_factory("bob")
    await alice.send("/start")
    await bob.send("/start")
    await bob.press_token(alice.button(ROLE_LABELS["pupil"]).payload)
    assert "неактуальна" in bob.text


async def test_odd_input_always_gets_an_answer(client):
    await client.send("/start")
    for text in ("", "   ", "x" * 10_000, "🤖🤖", "/unknown", "/start@FrontdoorBot"):
        outcome = await client.send(text)
        assert outcome.replies, text
    await client.send_unsupported()
    assert "только текст" in client.text


async def test_help_during_a_step_keeps_the_step(client):
    await client.send("/start")
    await client.press(ROLE_LABELS["graduate"])
    await client.send("/help")
    assert "/mydata" in client.text
    await client.send("25")
    assert "Кто обрабатывает" in client.text


WAITING_STEPS = [
    ("role", []),
    ("age", [ROLE_LABELS["graduate"]]),
    ("consent", [ROLE_LABELS["graduate"], "25"]),
]


@pytest.mark.parametrize(("name", "path"), WAITING_STEPS, ids=[name for name, _ in WAITING_STEPS])
async def test_cancel_leaves_any_onboarding_step(client, name, path):
    await client.send("/start")
    for step in path:
        if step in ROLE_LABELS.values():
            await client.press(step)
        else:
            await client.send(step)
    await client.send("/cancel")
    assert "отменил" in client.text
    assert client.labels


async def test_cancel_leaves_every_profile_step(client, records):
    await consent_adult(client, "college_student", "18")
    answers = ["Иван", "Тольятти", "Колледж связи", "2", "Связист", "роботы"]
    for index in range(len(answers) + 1):
        await client.send("/profile")
        if "Заполнить" in " ".join(client.labels):
            await client.press("Заполнить профиль")
        for answer in answers[:index]:
            await client.send(answer)
        await client.send("/cancel")
        assert "отменил" in client.text
        person = await records.identify("test", client.account_id, client.account_id)
        assert (await records.get_profile(person.id)).is_empty


async def test_restart_continues_where_the_person_was(database, clock):
    first = DialogClient(build_engine(database, database.conversations, clock), account_id="p")
    await first.send("/start")
    await first.press(ROLE_LABELS["graduate"])
    await first.send("25")
    await first.press("Согласен")
    await first.send("Олег")
    # a new engine over the same store: as after a crash and restart of the process
    second = DialogClient(build_engine(database, database.conversations, clock), account_id="p")
    await second.send("Кинель")
    assert "Что вы окончили" in second.text


async def test_messages_of_one_person_are_handled_in_order(client):
    await consent_adult(client, "graduate", "25")
    outcomes = await asyncio.gather(*(client.send(text) for text in ("Олег", "Кинель", "СамГТУ")))
    assert "Где вы живёте" in outcomes[0].texts[0]
    assert "Что вы окончили" in outcomes[1].texts[0]
    assert "Специальность" in outcomes[2].texts[0]


class _Exploding(Flow):
    name = "profile"

    async def enter(self, ctx, entry="", arg=""):
        raise RuntimeError("boom")


async def test_a_failing_step_apologises_and_keeps_the_state(database, clock, caplog):
    real = build_engine(database, database.conversations, clock).flows
    flows = [flow for flow in real.values() if flow.name != "profile"] + [_Exploding()]
    client = DialogClient(build_engine(database, database.conversations, clock, flows=flows), account_id="e")
    await client.send("/start")
    await client.press(ROLE_LABELS["graduate"])
    await client.send("25")
    await client.press("Согласен")
    assert "Извините" in client.text
    assert "boom" in caplog.text
    # the consent step is still where it was: the person can try again
    stored = await database.conversations.load("test:e")
    assert stored is not None
    assert '"step":"decide"' in stored.blob


async def test_logs_carry_no_personal_data(client, caplog):
    # Our own loggers at DEBUG, libraries at INFO (their DEBUG output, e.g. SQL parameters, is never enabled).
    caplog.set_level("INFO")
    for package in ("dialogs", "backend_client", "bot", "nlu", "notifications"):
        caplog.set_level("DEBUG", logger=package)
    await consent_adult(client, "graduate", "25")
    await client.send("Олег Секретов")
    assert "Секретов" not in caplog.text


# -- receipts: a redelivered update (same messenger update id) is handled once ---------------------------
def _text(text: str, update_id: int) -> Incoming:
    return Incoming.message("test", "r", text, receipt=Receipt("test:bot", update_id))


async def _sent(outcome) -> bool:
    return True


async def _failed(outcome) -> bool:
    return False


async def test_a_redelivered_update_is_handled_once(engine, database):
    await engine.deliver(_text("/start", 1), _sent)
    first = await engine.deliver(_text("привет", 2), _sent)
    again = await engine.deliver(_text("привет", 2), _sent)
    assert first.handled
    assert first.replies
    assert not again.handled
    assert not again.replies
    assert await database.conversations.handled(Receipt("test:bot", 2))


async def test_concurrent_deliveries_of_one_update_are_handled_once(engine):
    await engine.deliver(_text("/start", 1), _sent)
    outcomes = await asyncio.gather(*(engine.deliver(_text("/menu", 2), _sent) for _ in range(4)))
    assert [outcome.handled for outcome in outcomes].count(True) == 1


async def test_replies_that_could_not_be_sent_come_again_on_redelivery(engine, clock):
    await engine.deliver(_text("/start", 1), _sent)
    first = await engine.deliver(_text("/menu", 2), _failed)
    again = await engine.deliver(_text("/menu", 2), _sent)
    assert again.handled
    assert again.texts == first.texts
    assert [r.buttons for r in again.replies] == [r.buttons for r in first.replies]  # the same tokens
    assert not (await engine.deliver(_text("/menu", 2), _sent)).handled  # sent now: a duplicate


async def test_replies_no_redelivery_comes_for_are_found_by_the_sweep(engine, clock):
    from datetime import timedelta

    await engine.deliver(_text("/start", 1), _sent)
    first = await engine.deliver(_text("/menu", 2), _failed)
    assert await engine.unsent("test:bot", timedelta(seconds=30)) == []  # too fresh: may still be sending
    clock.advance(timedelta(seconds=31))
    [(receipt, unsent)] = await engine.unsent("test:bot", timedelta(seconds=30))
    assert receipt == Receipt("test:bot", 2)
    assert (unsent.channel, unsent.account_id, unsent.chat_id) == ("test", "r", "r")
    assert unsent.outcome.texts == first.texts
    await engine.replies_sent(receipt)
    assert await engine.unsent("test:bot", timedelta(seconds=30)) == []


class _CrashingOnce(Flow):
    """The start flow, but the first turn dies midway, as when the process is killed (a BaseException:
    nothing catches it, nothing after it runs)."""

    name = "start"

    def __init__(self, real: Flow) -> None:
        self._real = real
        self.crashed = False

    async def enter(self, ctx, entry="", arg=""):
        if not self.crashed:
            self.crashed = True
            raise asyncio.CancelledError("killed")
        await self._real.enter(ctx, entry, arg)


async def test_an_update_lost_to_a_crash_is_handled_on_redelivery(database, clock):
    """The claim commits with the turn: a crash before the state was saved leaves no claim behind, so
    Telegram's redelivery of the same update is answered instead of being dropped as a duplicate."""
    real = build_engine(database, database.conversations, clock).flows
    crashing = _CrashingOnce(real["start"])
    flows = [flow for flow in real.values() if flow.name != "start"] + [crashing]
    engine = build_engine(database, database.conversations, clock, flows=flows)
    with pytest.raises(asyncio.CancelledError):
        await engine.handle(_text("/start", 7))
    assert not await database.conversations.handled(Receipt("test:bot", 7))
    redelivered = await engine.handle(_text("/start", 7))
    assert redelivered.handled
    assert "кто вы" in " ".join(redelivered.texts)


# -- a retyped answer: the person typed again while the bot was silent (restarting) ------------------------
async def test_an_answer_retyped_at_once_is_not_filed_under_the_next_question(client):
    await consent_adult(client)
    assert "Как к вам обращаться" in client.text
    await client.send("Олег")
    assert "город" in client.text.lower() or "муниципал" in client.text.lower()
    asked = client.text
    await client.send("Олег")  # the same answer again, seconds after the next question was asked
    assert "уже записал" in client.text
    await client.send("Кинель")  # the waiting question still waits for its own answer
    assert "Что вы окончили" in client.text
    await client.send("Кинель")  # the same text once more: refused once ...
    assert "уже записал" in client.text
    await client.send("Кинель")  # ... and taken when sent again: the person means it
    assert "уже записал" not in client.text
    assert client.text != asked


async def test_the_same_answer_later_is_an_answer(client, clock):
    from datetime import timedelta

    await consent_adult(client)
    await client.send("Олег")
    clock.advance(timedelta(seconds=25))
    await client.send("Олег")
    assert "уже записал" not in client.text


async def test_a_button_word_typed_to_one_question_after_another_is_taken_each_time(client):
    await consent_adult(client)
    for answer in ("Олег", "Кинель", "СамГТУ", "Информатика"):
        await client.send(answer)
    await client.send("пропустить")
    await client.send("пропустить")  # the next optional question: skipped as well
    assert "уже записал" not in client.text
