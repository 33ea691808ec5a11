"""Applying, «Избранное», «Мои отклики» and «Работодатель ответил?» through DialogClient on the real store:
one application per press, forged and stale buttons, closed vacancies, consent, someone else's
application."""

from __future__ import annotations

import pytest

from backend_client.models import ConsentStatus
from backend_client.vacancies.models import ApplicationStatus, Hazard
from bot.wiring import build_engine
from dialogs.testing import DialogClient
from dialogs.ui import public_payload
from tests.flows.conftest import choose_role
from tests.flows.jobs_support import (
    TRUDVSEM_URL,
    close,
    draft,
    graduate,
    jobs_engine,
    person_of,
    pupil,
    put,
    teen_job,
)


@pytest.fixture
def talk(database, clock, nlu_model):
    engine = jobs_engine(database, clock, nlu_model)

    def make(account_id: str = "3001") -> DialogClient:
        return DialogClient(engine, account_id=account_id)

    return make


async def open_first(client: DialogClient) -> None:
    await client.press("Работа и стажировки")
    await client.press("Все вакансии")
    await client.press("1. ")


async def test_apply_with_a_message_once_and_see_it_in_my_applications(talk, database):
    welder = draft("Сварщик", source="trudvsem", source_id="t1", source_url=TRUDVSEM_URL)
    await put(database, welder)
    client = talk()
    await graduate(client)
    await open_first(client)
    await client.press("Откликнуться")
    assert "Напишите короткое сообщение работодателю" in client.text
    await client.send("а" * 600)
    assert "не больше 500 символов" in client.text
    await client.send("Пропустить ⏭")  # the skip button's words typed: no message, still one application
    text = client.text
    assert "✅ Отклик на «Сварщик» записан." in text
    assert "Через неделю я спрошу, ответил ли он" in text
    assert TRUDVSEM_URL in text  # the way to the employer is the source, never a person's contacts
    person = await person_of(database, client)
    applications = await database.vacancies.applications_of(person.id)
    assert [(a.message, a.status) for a in applications] == [("", ApplicationStatus.SENT)]
    await client.press("Мои отклики")
    assert "01.09 · Сварщик — отправлен" in client.text
    await client.press("1. Сварщик")
    assert "✅ Вы откликнулись 01.09." in client.text
    assert "Откликнуться" not in " ".join(client.labels)
    await client.send("/mydata")
    assert "Отклики на вакансии: 1; вакансий в избранном: 0" in client.text


async def test_a_typed_message_is_kept_and_a_label_is_not_a_message(talk, database):
    await put(database, draft("Сварщик"))
    client = talk()
    await graduate(client)
    await open_first(client)
    await client.press("Откликнуться")
    await client.send("Избранное")
    assert "это надпись кнопки" in client.text
    await client.send("Учусь на сварщика, могу выходить с понедельника.")
    assert "записан" in client.text
    assert "центр занятости" in client.text  # no source link: the centre helps reach the employer
    person = await person_of(database, client)
    [application] = await database.vacancies.applications_of(person.id)
    assert application.message == "Учусь на сварщика, могу выходить с понедельника."


async def test_a_double_press_applies_once(talk, database):
    await put(database, draft("Сварщик"))
    client = talk()
    await graduate(client)
    await open_first(client)
    await client.press("Откликнуться")
    skip = client.button("Пропустить")
    await client.press_token(skip.payload)
    assert "записан" in client.text
    await client.press_token(skip.payload)  # a double tap: the screen already shows what it did
    assert client.last.notice
    person = await person_of(database, client)
    assert len(await database.vacancies.applications_of(person.id)) == 1


async def test_a_vacancy_closed_while_its_card_was_open_is_politely_refused(talk, database):
    welder = draft("Сварщик")
    await put(database, welder)
    client = talk()
    await graduate(client)
    await open_first(client)
    await close(database, welder)
    await client.press("Откликнуться")
    assert "откликнуться на «Сварщик» уже нельзя" in client.text
    person = await person_of(database, client)
    assert await database.vacancies.applications_of(person.id) == []


async def test_closed_between_the_question_and_the_answer(talk, database):
    welder = draft("Сварщик")
    await put(database, welder)
    client = talk()
    await graduate(client)
    await open_first(client)
    await client.press("Откликнуться")
    await close(database, welder)
    await client.send("Готов начать завтра")
    assert "уже нельзя" in client.text
    person = await person_of(database, client)
    assert await database.vacancies.applications_of(person.id) == []


async def test_an_old_button_is_stale_and_changes_nothing(talk, database):
    await put(database, draft("Сварщик"))
    client = talk()
    await graduate(client)
    await open_first(client)
    apply = client.button("Откликнуться")
    await client.press("К списку")
    await client.press_token(apply.payload)
    assert "кнопка уже неактуальна" in client.text
    person = await person_of(database, client)
    assert await database.vacancies.applications_of(person.id) == []


async def test_a_vacancy_no_longer_legal_for_a_minor_is_refused(talk, database):
    job = teen_job("Помощник вожатого")
    await put(database, job)
    client = talk()
    await pupil(client, "15")
    await client.press("Подработка")
    await client.press("Все вакансии")
    await client.press("1. Помощник вожатого")
    apply = client.button("Откликнуться")
    await put(database, teen_job("Помощник вожатого", hazards=frozenset({Hazard.NIGHT})))  # changed meanwhile
    await client.press_token(apply.payload)
    assert "уже нельзя" in client.text
    assert "Помощник вожатого" in client.text
    await client.press("Все вакансии")
    assert "Помощник вожатого" not in client.text  # and the list never shows it again
    person = await person_of(database, client)
    assert await database.vacancies.applications_of(person.id) == []


async def test_favourites_keep_a_closed_vacancy_and_say_so(talk, database):
    welder, cook = draft("Сварщик"), draft("Повар")
    await put(database, welder, cook)
    client = talk()
    await graduate(client)
    await client.press("Работа и стажировки")
    await client.send("сварщик")
    await client.press("1. Сварщик")
    await client.press("В избранное")
    assert "⭐ Добавлено в избранное." in client.text
    assert "⭐ В избранном." in client.text
    await close(database, welder)
    await client.press("К разделу")
    await client.press("Избранное")
    assert "1. Сварщик — ООО «Волга-Металл» — вакансия закрыта" in client.text
    await client.press("1. Сварщик")
    assert "❌ Вакансия закрыта" in client.text
    assert "Откликнуться" not in " ".join(client.labels)
    await client.press("Убрать из избранного")
    assert "Убрано из избранного." in client.text
    await client.press("К списку")
    assert "В избранном пока пусто" in client.text


async def test_without_consent_search_works_but_nothing_is_stored(talk, database):
    await put(database, draft("Сварщик"))
    client = talk()
    await choose_role(client, "graduate", "22")
    await client.press("Не согласен")
    await client.send("ищу работу сварщиком")
    assert "Сварщик" in client.text
    await client.press("1. Сварщик")
    await client.press("В избранное")
    assert "только после согласия" in client.text
    await client.send("ищу работу сварщиком")
    await client.press("1. Сварщик")
    await client.press("Откликнуться")
    assert "только после согласия" in client.text
    person = await person_of(database, client)
    assert person.consent is ConsentStatus.DECLINED
    assert await database.vacancies.applications_of(person.id) == []
    assert await database.vacancies.saved(person.id) == []


async def test_the_follow_up_answer_is_recorded_and_someone_elses_is_refused(talk, database):
    await put(database, draft("Сварщик"))
    client, other = talk("a"), talk("b")
    await graduate(client)
    await open_first(client)
    await client.press("Откликнуться")
    await client.press("Пропустить")
    person = await person_of(database, client)
    [application] = await database.vacancies.applications_of(person.id)
    await client.press_token(public_payload("followup", f"{application.id}:yes"))
    assert "работодатель ответил" in client.text
    [answered] = await database.vacancies.applications_of(person.id)
    assert answered.status is ApplicationStatus.ANSWERED
    await client.press("Мои отклики")
    assert "Сварщик — работодатель ответил" in client.text

    await graduate(other)
    await other.press_token(public_payload("followup", f"{application.id}:no"))  # forged: not theirs
    assert "не найден среди ваших" in other.text
    [still] = await database.vacancies.applications_of(person.id)
    assert still.status is ApplicationStatus.ANSWERED
    await other.press_token(public_payload("followup", "x:maybe"))
    assert "кнопка уже неактуальна" in other.text


async def test_without_the_catalogue_the_section_says_it_is_unavailable(database, clock):
    engine = build_engine(database, database.conversations, clock, vacancies=None)  # no work catalogue
    client = DialogClient(engine, "3009")
    await graduate(client)
    await client.press_token(public_payload("followup", "1:yes"))
    assert "сейчас недоступен" in client.text
    assert "Мой профиль" in " ".join(client.labels)
