"""Free text outside a waiting step: the intent's flow, «Вы имели в виду…?», or an honest answer."""

from __future__ import annotations

import logging

import pytest

from backend_client.models import AskBand, AskCount
from bot.wiring import build_engine
from dialogs.features import intent_routes
from dialogs.intents import Confidence
from dialogs.testing import DialogClient
from dialogs.texts import catalog
from nlu.types import Entity, IntentScore, NluUnavailable, Parse
from tests.flows.conftest import PUPIL_PROFILE, choose_role, consent_adult, fill_rest


@pytest.fixture
def talk(database, clock, nlu_model) -> DialogClient:
    return DialogClient(build_engine(database, database.conversations, clock, nlu=nlu_model), "nlu-1")


class Scripted:
    """An Understanding that answers what the test says, to pin the confidence bands."""

    def __init__(self, parse: Parse | None) -> None:
        self.parse_result = parse

    async def parse(self, text: str) -> Parse:
        if self.parse_result is None:
            raise NluUnavailable("down")
        return self.parse_result


def scripted_client(database, clock, parse: Parse | None) -> DialogClient:
    engine = build_engine(
        database, database.conversations, clock, nlu=Scripted(parse), confidence=Confidence()
    )
    return DialogClient(engine, "nlu-2")


def test_every_intent_has_texts():
    keys = catalog().keys()
    for intent, route in intent_routes().items():
        if intent != "out_of_scope":
            assert f"nlu.intent.{intent}" in keys
        if route.coming:
            assert f"nlu.feature.{intent}" in keys


async def test_asking_for_colleges_opens_the_catalogue(talk):
    await consent_adult(talk)
    await talk.send("/menu")
    await talk.send("в какой колледж можно поступить после 9 класса в самаре")
    assert "Справочник колледжей пока пуст" in talk.text  # this database has no catalogue loaded


async def test_delete_my_data_goes_straight_to_the_confirmation(talk, records):
    await consent_adult(talk)
    await talk.send("/menu")
    await talk.send("удалите мои данные пожалуйста")
    assert "безвозвратно" in talk.text
    await talk.press("Да, удалить")
    assert "удалены" in talk.text


async def test_wanting_a_test_opens_the_career_tests(talk):
    await consent_adult(talk)
    await talk.send("/menu")
    await talk.send("хочу пройти тест на профориентацию")
    assert "Тесты помогут понять" in talk.text


async def test_asking_for_results_opens_the_history(talk):
    await consent_adult(talk)
    await talk.send("/menu")
    await talk.send("покажи результаты моего теста")
    assert "Пока нет ни одного результата" in talk.text


async def test_asking_to_stop_messages_opens_the_notification_settings(talk):
    await consent_adult(talk)
    await talk.send("/menu")
    await talk.send("хватит присылать мне сообщения")
    assert "Что и как вам присылать" in talk.text


async def test_moving_town_opens_the_field_with_the_town_offered(talk):
    await choose_role(talk, "pupil", "14")
    await talk.press("Согласен")
    await fill_rest(talk, PUPIL_PROFILE)
    await talk.send("я переехала в тольятти")
    assert "Где вы живёте" in talk.text
    await talk.press("Да, Тольятти")
    assert "Сохранил" in talk.text
    assert "Тольятти" in talk.text


async def test_greetings_thanks_and_goodbyes_get_short_answers(talk):
    await consent_adult(talk)
    await talk.send("/menu")
    await talk.send("привет")
    assert "Здравствуйте" in talk.text
    assert talk.labels
    await talk.send("спасибо большое")
    assert "Пожалуйста" in talk.text
    await talk.send("до свидания")
    assert "До свидания" in talk.text


async def test_out_of_scope_is_answered_honestly_with_the_menu(talk):
    await consent_adult(talk)
    await talk.send("/menu")
    await talk.send("какая погода завтра")
    assert "не помогу" in talk.text
    assert talk.labels


async def test_a_waiting_step_still_takes_the_text_itself(talk):
    await talk.send("/start")
    await talk.press("Выпускник")
    await talk.send("удалите мои данные")  # the age step is waiting: this is bad input, not an intent
    assert "возраст" in talk.text.lower()


async def test_medium_confidence_asks_with_the_best_guesses(database, clock):
    ranking = (
        IntentScore("find_job", 0.45),
        IntentScore("profile", 0.3),
        IntentScore("summer_job", 0.15),
        IntentScore("out_of_scope", 0.05),
    )
    client = scripted_client(
        database,
        clock,
        Parse("find_job", 0.45, ranking, (Entity("municipality", "Самара", 0, 6),)),
    )
    await consent_adult(client)
    await client.send("/menu")
    await client.send("ну это самое в самаре")
    assert "Вы имели в виду" in client.text
    assert client.labels == [
        "Найти работу",
        "Мой профиль",
        "Подработка для подростков",
        "Ничего из этого — в меню",
    ]
    await client.press("Найти работу")
    assert "вакансий" in client.text  # the work search, its town pre-set
    assert "Самара" in client.text
    assert await database.records.ask_counts(clock.now().date()) == [
        AskCount(clock.now().date(), "find_job", AskBand.MEDIUM, 1)  # the answer counts, the pick does not
    ]


async def test_low_confidence_admits_it(database, clock):
    client = scripted_client(database, clock, Parse("find_job", 0.2, (IntentScore("find_job", 0.2),)))
    await consent_adult(client)
    await client.send("/menu")
    await client.send("ммм")
    assert "не помогу" in client.text
    assert await database.records.ask_counts(clock.now().date()) == [
        AskCount(clock.now().date(), "find_job", AskBand.LOW, 1)
    ]


async def test_an_unavailable_backend_gets_the_plain_not_understood(database, clock):
    client = scripted_client(database, clock, None)
    await consent_adult(client)
    await client.send("/menu")
    await client.send("вакансии")
    assert "не понял" in client.text
    assert client.labels
    assert await database.records.ask_counts(clock.now().date()) == []  # nothing was understood


async def test_the_log_holds_intent_and_confidence_never_the_text(talk, caplog):
    await consent_adult(talk)
    await talk.send("/menu")
    with caplog.at_level(logging.INFO, logger="dialogs.flows.understand"):
        await talk.send("вакансии сварщика в тольяти")
    lines = [r.getMessage() for r in caplog.records if r.name == "dialogs.flows.understand"]
    assert len(lines) == 1
    assert "intent=find_job" in lines[0]
    assert "confidence=" in lines[0]
    assert all("сварщик" not in r.getMessage() and "тольят" not in r.getMessage() for r in caplog.records)


async def test_each_answer_is_counted_by_intent_and_band(talk, records, clock):
    await consent_adult(talk)
    await talk.send("/menu")
    await talk.send("вакансии сварщика в тольяти")
    await talk.send("/menu")  # the search screen takes typed words as its own query; the menu does not
    await talk.send("ищу работу программистом в самаре")
    counts = await records.ask_counts(clock.now().date())
    assert counts == [AskCount(clock.now().date(), "find_job", AskBand.HIGH, 2)]
