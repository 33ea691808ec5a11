"""«Тесты на профориентацию» through DialogClient: complete, pause/resume after a restart, back, abandon,
retake, compare, parents, stale buttons and bad input."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from backend_client.clock import ManualClock
from bot.wiring import build_engine
from dialogs.career.instruments import ChoiceItem, instruments
from dialogs.engine import Engine
from dialogs.testing import DialogClient
from dialogs.ui import Incoming, Outcome
from tests.flows.conftest import consent_adult, fill_rest

KLIMOV = instruments()["klimov"]
RIASEC = instruments()["riasec"]


class Reader(DialogClient):
    """A person who reads each question: a few seconds pass on the clock before every message."""

    def __init__(self, engine: Engine, clock: ManualClock, account_id: str, pause: float = 4.0) -> None:
        super().__init__(engine, account_id=account_id)
        self.clock, self.pause = clock, timedelta(seconds=pause)

    async def _deliver(self, incoming: Incoming) -> Outcome:
        self.clock.advance(self.pause)
        return await super()._deliver(incoming)


@pytest.fixture
def client_factory(engine, clock):
    return lambda account_id="1001": Reader(engine, clock, account_id)


@pytest.fixture
def client(client_factory) -> DialogClient:
    return client_factory("1001")


def label_for(index: int, scale: str) -> str:
    """The label of Klimov item ``index``'s alternative of ``scale`` (else the first alternative)."""
    item = KLIMOV.items[index]
    assert isinstance(item, ChoiceItem)
    return next((c.text for c in item.choices if c.scale == scale), item.choices[0].text)


async def open_klimov(client: DialogClient) -> None:
    await client.send("/tests")
    await client.press("Быстрый тест")


async def take_klimov(client: DialogClient, scale: str = "tech", start: int = 0) -> None:
    for index in range(start, KLIMOV.count):
        assert f"Вопрос {index + 1} из 20" in client.text
        await client.press(label_for(index, scale))


async def test_complete_klimov_shows_two_spheres_why_professions_and_disclaimer(client, records):
    await consent_adult(client)
    await client.send("/menu")
    await client.press("Тесты на профориентацию")
    assert "20 вопросов, около 2 мин." in client.text
    await client.press("Быстрый тест")
    assert "Что бы вы выбрали?" in client.text
    assert "Вопрос 1 из 20" in client.text
    await take_klimov(client, "tech")
    text = client.text
    assert "Человек — техника — 8 из 8" in text
    assert "Почему: из пар вы выбрали «Чинить велосипеды и самокаты»" in text
    assert "Ваша ведущая сфера" in text  # the others tie at 3: no second sphere picked at random
    assert "Профессии, на которые стоит посмотреть" in text
    assert "Сварщик" in text
    assert "🔥" in text
    assert "примерному списку" in text  # no official list imported: marked illustrative
    assert "самоисследование, а не диагноз" in text
    person = await records.identify("test", client.account_id, client.account_id)
    [attempt] = await records.attempts_of(person.id)
    assert attempt.status.value == "completed"
    assert attempt.scores["tech"] == 8
    assert attempt.leading == "tech"


async def test_riasec_by_typed_numbers_gives_a_code_and_consistency(client):
    await consent_adult(client)
    await client.send("/tests")
    await client.press("Профиль интересов")
    assert "30 коротких занятий" in client.text
    points = {"S": "1", "E": "2", "A": "3"}
    for item in RIASEC.items:
        await client.send(points.get(item.scale, "5"))  # type: ignore[union-attr]
    text = client.text
    assert "Ваш код интересов: SEA." in text
    assert "соседи" in text
    assert "Помощник (S)" in text
    assert "Учитель начальных классов" in text or "Психолог" in text


async def test_flat_profile_is_said_honestly(client):
    await consent_adult(client)
    await open_klimov(client)
    for _ in range(20):
        await client.send("1")  # always the first alternative: 4 points for every sphere
    assert "Выраженной сферы пока нет" in client.text
    assert "профконсультантом" in client.text
    assert "Две ведущие сферы" not in client.text


async def test_pause_and_resume_after_a_restart(client, database, clock, records):
    await consent_adult(client)
    await open_klimov(client)
    for index in range(7):
        await client.press(label_for(index, "art"))
    await client.press("Пауза")
    assert "Ответы сохранены (7 из 20)" in client.text
    await client.send("/menu")

    # A new engine over the same store: the process restarted.
    restarted = Reader(build_engine(database, database.conversations, clock), clock, client.account_id)
    await restarted.send("/tests")
    await restarted.press("Продолжить «Пять сфер профессий» (7 из 20)")
    assert "Вопрос 8 из 20" in restarted.text
    await take_klimov(restarted, "art", start=7)
    assert "Человек — художественный образ — 8 из 8" in restarted.text


async def test_back_changes_the_previous_answer(client, records):
    await consent_adult(client)
    await open_klimov(client)
    await client.press(label_for(0, "nature"))
    await client.press(label_for(1, "people"))
    await client.press("Назад")
    assert "Вопрос 2 из 20" in client.text
    await client.send("назад")
    assert "Вопрос 1 из 20" in client.text
    assert "Назад" not in " ".join(client.labels)  # nothing before the first question
    await client.press(label_for(0, "tech"))
    person = await records.identify("test", client.account_id, client.account_id)
    attempt = await records.open_attempt(person.id, "klimov")
    assert attempt.answers == ("2",)


async def test_abandon_drops_the_answers_and_allows_a_restart(client, records):
    await consent_adult(client)
    await open_klimov(client)
    await client.press(label_for(0, "tech"))
    await client.send("пауза")
    await client.press("Бросить тест")
    await client.press("Нет, продолжить")
    assert "Вопрос 2 из 20" in client.text
    await client.press("Пауза")
    await client.press("Бросить тест")
    await client.press("Да, бросить")
    assert "Тест отменён" in client.text
    person = await records.identify("test", client.account_id, client.account_id)
    [attempt] = await records.attempts_of(person.id)
    assert attempt.status.value == "abandoned"
    assert attempt.answers == ()
    await client.press("Быстрый тест")
    assert "Вопрос 1 из 20" in client.text


async def test_starting_again_offers_to_continue_or_restart(client):
    await consent_adult(client)
    await open_klimov(client)
    for index in range(3):
        await client.press(label_for(index, "signs"))
    await client.send("/tests")
    await client.press("Продолжить «Пять сфер")
    assert "Вопрос 4 из 20" in client.text
    await client.send("/tests")
    assert "Продолжить «Пять сфер профессий» (3 из 20)" in " ".join(client.labels)


async def test_retake_history_and_compare(client):
    await consent_adult(client)
    await open_klimov(client)
    await take_klimov(client, "tech")
    assert "Сравнить" not in " ".join(client.labels)
    await client.press("Пройти ещё раз")
    await take_klimov(client, "people")
    assert "Человек — человек — 8 из 8" in client.text
    await client.press("Сравнить с прошлым")
    text = client.text
    assert "Сравнение" in text
    assert "Человек — человек: 2 → 8 (+6)" in text or "(+" in text
    assert "сменилась" in text
    await client.press("Мои результаты")
    assert client.text.count("Пять сфер профессий") == 2
    assert "Человек — техника" in client.text
    await client.press("2. ")  # the older result
    assert "Человек — техника — 8 из 8" in client.text


async def test_stale_and_forged_buttons_change_nothing(client, records):
    await consent_adult(client)
    await open_klimov(client)
    old = client.button(label_for(0, "tech"))
    await client.press(label_for(0, "tech"))
    repeat = await client.press_token(old.payload)  # the first question's button again: a double tap
    assert repeat.notice == "Уже сделано ✅"
    assert not repeat.replies
    await client.press_token("forged-token")
    assert "неактуальна" in client.text
    person = await records.identify("test", client.account_id, client.account_id)
    attempt = await records.open_attempt(person.id, "klimov")
    assert attempt.answers == ("2",)
    await client.press("Тесты на профориентацию")
    await client.press("Продолжить")
    assert "Вопрос 2 из 20" in client.text


async def test_an_answer_to_an_old_question_is_not_counted_twice(client, engine, records):
    """Two chats of one person: the second answers question 1 after the first did — nothing doubles."""
    await consent_adult(client)
    await open_klimov(client)
    person = await records.identify("test", client.account_id, client.account_id)
    attempt = await records.open_attempt(person.id, "klimov")
    assert await records.record_answer(person.id, attempt.id, 0, "1") is not None
    await client.press(label_for(0, "tech"))  # this chat still shows question 1
    assert "уже ответили" in client.text
    assert "Вопрос 2 из 20" in client.text
    assert (await records.open_attempt(person.id, "klimov")).answers == ("1",)


async def test_bad_input_says_what_is_expected(client):
    await consent_adult(client)
    await open_klimov(client)
    for text in ("7", "может быть", "0", "😀"):
        await client.send(text)
        assert "1 или 2" in client.text
        assert "Вопрос 1 из 20" in client.text
    await client.send("Б")
    assert "Вопрос 2 из 20" in client.text
    await client.send("/tests")
    await client.press("Профиль интересов")
    await client.send("6")
    assert "от 1 (очень нравится) до 5" in client.text
    await client.send("Скорее нравится")
    assert "Вопрос 2 из 30" in client.text


async def test_without_consent_the_tests_explain_why_not(client):
    await client.send("/start")
    await client.press("Выпускник")
    await client.send("23")
    await client.press("Не согласен")
    await client.send("/tests")
    assert "только после согласия" in client.text


async def test_results_are_in_my_data_export_and_go_with_erasure(client, records):
    await consent_adult(client)
    await open_klimov(client)
    await take_klimov(client, "nature")
    await client.send("/mydata")
    assert "Тесты на профориентацию: пройдено 1" in client.text
    assert "Человек — природа" in client.text
    await client.press("Выгрузить")
    data = json.loads(client.documents[0].content)
    [exported] = data["career_tests"]
    assert exported["scores"]["nature"] == 8
    assert len(exported["answers"]) == 20
    person = await records.identify("test", client.account_id, client.account_id)
    await client.send("/mydata")
    await client.press("Удалить мои данные")
    await client.press("Да, удалить")
    assert await records.attempts_of(person.id) == []


async def test_a_parent_sees_the_summary_only_when_the_child_allows(client_factory):
    child = client_factory("teen")
    await consent_adult(child, "pupil", "15")
    code = child.text.split("Код для родителя: ")[1][:10]
    await fill_rest(child, ("Аня", "Самара", "Школа 3", "9"))
    parent = client_factory("mum")
    await parent.send(f"/start inv_{code}")
    await parent.press("Да, я родитель")
    await parent.press("Согласен")
    await parent.press("Подтверждаю")

    await open_klimov(child)
    await take_klimov(child, "signs")
    await parent.send("/tests")
    await parent.press("Результаты детей")
    assert "Аня: результаты скрыты" in parent.text

    await child.press("Мои результаты")
    assert "Родители не видят" in child.text
    await child.press("Показывать итог родителям")
    assert "увидят" in child.text
    await parent.send("/tests")
    await parent.press("Результаты детей")
    assert "Аня, Пять сфер профессий" in parent.text
    assert "Человек — знаковая система" in parent.text

    await child.press("Скрыть итог")
    await parent.send("/tests")
    await parent.press("Результаты детей")
    assert "результаты скрыты" in parent.text


async def test_a_flat_profile_names_no_type_in_the_result_the_comparison_or_the_statistics(
    client_factory, records
):
    flat = client_factory("flat")
    await consent_adult(flat)
    await open_klimov(flat)
    for _ in range(KLIMOV.count):
        await flat.send("1")  # the same button every time
    text = flat.text
    assert "Выраженной сферы пока нет" in text
    assert "ведущ" not in text.casefold()
    assert "Профессии, на которые стоит посмотреть" not in text
    assert "Без выраженного типа профессии не подбираю" in text
    await flat.press("Мои результаты")
    assert "без явного перевеса" in flat.text
    await flat.press("К тестам")
    await flat.press("Быстрый тест")
    await take_klimov(flat, "tech")
    await flat.press("Сравнить с прошлым")
    assert "сменилась" not in flat.text
    assert "Ведущей сферы нет хотя бы в одном из результатов" in flat.text
    assert "Код: — → ТЗ" in flat.text or "Код: — → Т" in flat.text

    other = client_factory("other-flat")
    await consent_adult(other)
    await open_klimov(other)
    for _ in range(KLIMOV.count):
        await other.send("2")
    report = await records.career_report()
    leading = {row.leading for row in report.leading if row.dimension == "municipality"}
    assert leading == {"", "tech"}  # the flat one has no type; «nature» ranked first by order alone
    person = await records.identify("test", "other-flat", "other-flat")
    [attempt] = await records.attempts_of(person.id)
    assert (attempt.leading, attempt.code, attempt.verdict) == ("", "", "flat")


async def test_riasec_at_the_maximum_everywhere_says_no_code(client):
    await consent_adult(client)
    await client.send("/tests")
    await client.press("Профиль интересов")
    for _ in RIASEC.items:
        await client.send("1")
    text = client.text
    assert "Ярко выраженного типа пока нет" in text
    assert "код интересов" not in text
    assert "разница" not in text
    assert "Профессии, на которые стоит посмотреть" not in text


async def test_answers_faster_than_reading_are_flagged(engine, records):
    hurried = DialogClient(engine, account_id="hurried")  # the clock does not move between answers
    await consent_adult(hurried)
    await open_klimov(hurried)
    await take_klimov(hurried, "tech")
    text = hurried.text
    assert "Ответы пришли быстрее, чем их можно прочитать" in text
    assert "Ваша ведущая сфера" not in text
    assert "Две ведущие сферы" not in text
    assert "Профессии, на которые стоит посмотреть" not in text
    await hurried.press("Мои результаты")
    assert "ответы слишком быстрые" in hurried.text
    person = await records.identify("test", "hurried", "hurried")
    [attempt] = await records.attempts_of(person.id)
    assert attempt.leading == ""


async def test_a_full_profile_is_not_asked_to_be_filled_again(client):
    await consent_adult(client, "pupil", "15")
    await fill_rest(client, ("Аня", "Самара", "Школа № 12", "9", "рисую", "вечером"))
    await open_klimov(client)
    await take_klimov(client, "art")
    assert "Профессии, на которые стоит посмотреть" in client.text
    assert "расскажите о себе в профиле" not in client.text
    assert "профтуре или профпробе" in client.text
    assert "Скоро здесь появятся" not in client.text
