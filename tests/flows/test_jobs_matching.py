"""«Подобрать по профилю» through DialogClient on the real store: vacancies ranked for the person with the
reasons shown (specialty, home, the career test), and a minor's matches kept within the law."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dialogs.testing import DialogClient
from tests.flows.conftest import consent_adult
from tests.flows.jobs_support import (
    ADULT_ONLY_NIGHT,
    SAMARA,
    draft,
    jobs_engine,
    pupil,
    put,
    student,
    teen_job,
)
from tests.flows.test_career import label_for

KLIMOV_ITEMS = 20


@pytest.fixture
def talk(database, clock, nlu_model):
    engine = jobs_engine(database, clock, nlu_model)

    def make(account_id: str = "4001") -> DialogClient:
        return DialogClient(engine, account_id=account_id)

    return make


async def take_klimov_for_technics(client: DialogClient, clock) -> None:
    await client.send("/tests")
    await client.press("Быстрый тест")
    for index in range(KLIMOV_ITEMS):
        clock.advance(timedelta(seconds=5))  # reading the question: answers faster than that are flagged
        await client.press(label_for(index, "tech"))
    assert "Человек — техника" in client.text


async def test_matches_come_with_their_reasons(talk, database, clock):
    await put(
        database,
        draft("Повар", municipality=SAMARA, experience_required=True),
        draft("Слесарь-ремонтник", municipality=SAMARA, experience_required=True),
        draft("Мастер сварочного участка"),
    )
    client = talk()
    await student(client)  # Тольятти, «Сварочное производство»
    await take_klimov_for_technics(client, clock)
    await client.send("/menu")
    await client.press("Работа и стажировки")
    await client.press("Подобрать по профилю")
    text = client.text
    assert "Подобрано по вашему профилю" in text
    assert text.index("1. Мастер сварочного участка") < text.index("Слесарь-ремонтник")
    welder = text[text.index("1. Мастер") : text.index("2. ")]
    assert "вы учитесь на «Сварочное производство»" in welder
    assert "рядом с домом" in welder
    fitter = text[text.index("Слесарь-ремонтник") :]
    assert "подходит по тесту: Человек — техника" in fitter.split("\n3.")[0]
    await client.press("1. Мастер")
    assert "💼 Мастер сварочного участка" in client.text
    await client.press("К списку")
    assert "Подобрано по вашему профилю" in client.text


async def test_an_empty_profile_is_told_how_to_get_matches(talk, database):
    client = talk()
    await consent_adult(client, "jobseeker", "30")
    await client.send("/menu")
    await client.press("Работа и стажировки")
    await client.press("Подобрать по профилю")
    assert "Пока нечего подобрать" in client.text
    assert "Заполнить профиль" in " ".join(client.labels)


async def test_a_minors_matches_stay_within_the_law(talk, database):
    await put(
        database,
        draft("Ночной продавец", municipality=SAMARA, **ADULT_ONLY_NIGHT),
        teen_job("Помощник вожатого"),
    )
    client = talk()
    await pupil(client, "15")
    await client.press("Подработка")
    await client.press("Подобрать по профилю")
    assert "Помощник вожатого" in client.text
    assert "Ночной продавец" not in client.text
