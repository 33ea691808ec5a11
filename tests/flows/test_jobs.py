"""«Работа и стажировки» / «Подработка» through DialogClient on the real store: the menu entry by role and
age, search with words, filters as «✕» chips, pages of five, the card, minors and under-14s, and free
text routed with its entities."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from backend_client.vacancies.models import Employer, Employment, Schedule, VacancyKind
from dialogs.testing import DialogClient
from tests.flows.conftest import PUPIL_PROFILE, choose_role, consent_adult, fill_rest
from tests.flows.jobs_support import (
    ADULT_ONLY_NIGHT,
    SAMARA,
    SYZRAN,
    TRUDVSEM_URL,
    draft,
    graduate,
    jobs_engine,
    pupil,
    put,
    tap,
    teen_job,
)


@pytest.fixture
def talk(database, clock, nlu_model):
    engine = jobs_engine(database, clock, nlu_model)

    def make(account_id: str = "2001") -> DialogClient:
        return DialogClient(engine, account_id=account_id)

    return make


async def test_words_chips_and_pages_of_five(talk, database):
    await put(database, *(draft(f"Сварщик {n}", source_id=f"w{n}") for n in range(1, 8)))
    await put(database, draft("Повар", municipality=SAMARA, schedule=Schedule.FULL_DAY))
    client = talk()
    await graduate(client)
    await client.press("Работа и стажировки")
    assert "Напишите, что ищете" in client.text
    await client.send("сварщик")
    text = client.text
    assert "Нашлось вакансий: 7" in text
    assert "Фильтры: «сварщик»" in text
    assert "Повар" not in text
    assert text.count("— ООО «Волга-Металл»") == 5
    assert "от 35 000 ₽ · Тольятти · сменный график · Работа" in text
    assert "Страница 1 из 2." in text
    assert "✕ «сварщик»" in client.labels
    await client.press("Ещё")
    assert "6. Сварщик" in client.text
    assert "7. Сварщик" in client.text
    assert "Ещё ▶" not in client.labels
    await client.press("Назад")
    assert "1. Сварщик" in client.text
    await tap(client, "✕ «сварщик»")  # one tap removes the words: everything is shown
    assert "Нашлось вакансий: 8" in client.text
    assert "Фильтры: не выбраны" in client.text


async def test_filters_toggle_set_and_remove_with_one_tap(talk, database):
    await put(
        database,
        draft("Сварщик", experience_required=True),
        draft("Помощник сварщика", schedule=Schedule.PART_DAY),
        draft("Оператор call-центра", employment=Employment.REMOTE, salary_from=25_000, municipality=SAMARA),
        draft("Стажёр-технолог", kind=VacancyKind.INTERNSHIP, salary_from=None),
    )
    client = talk()
    await graduate(client)
    await client.press("Работа и стажировки")
    await client.press("Фильтры")
    assert "Сейчас фильтров нет" in client.text
    await client.press("Без опыта")
    assert "Сейчас: без опыта" in client.text
    assert "✅ Без опыта" in client.labels
    await client.press("Зарплата")
    await client.send("мильярд")
    assert "Напишите сумму в рублях числом" in client.text
    await client.send("500000000")
    assert "не похожа на месячную зарплату" in client.text
    await client.send("30 тысяч")
    assert "Сейчас: от 30 000 ₽ · без опыта" in client.text
    await client.press("Город")
    await client.send("в Тольятти")
    assert "Сейчас: Тольятти · от 30 000 ₽ · без опыта" in client.text
    await client.press("Показать вакансии")
    text = client.text
    assert "Нашлось вакансий: 1" in text
    assert "Помощник сварщика" in text  # no experience, 35 000, Тольятти
    assert {"✕ Тольятти", "✕ от 30 000 ₽", "✕ без опыта"} <= set(client.labels)
    await tap(client, "✕ Тольятти")
    assert "Нашлось вакансий: 1" in client.text  # the remote one pays 25 000: still filtered out
    await tap(client, "✕ от 30 000 ₽")
    assert "Нашлось вакансий: 3" in client.text  # everything but the one that needs experience
    assert "Фильтры: без опыта" in client.text
    await client.press("Фильтры")
    await client.press("Стажировка")
    await client.press("Показать вакансии")
    assert "Нашлось вакансий: 1" in client.text
    assert "Стажёр-технолог" in client.text
    assert "не указана" in client.text


async def test_nothing_found_says_so_with_the_chips_to_widen(talk, database):
    await put(database, draft("Сварщик"))
    client = talk()
    await graduate(client)
    await client.press("Работа и стажировки")
    await client.send("космонавт")
    assert "вакансий не нашлось" in client.text
    await tap(client, "✕ «космонавт»")
    assert "Нашлось вакансий: 1" in client.text


async def test_the_card_has_pay_schedule_address_requirements_and_the_source_link(talk, database):
    long_requirements = "Опыт сварки полуавтоматом. " * 30
    await put(
        database,
        draft(
            "Электрогазосварщик",
            source="trudvsem",
            source_id="5f1d2c3a",
            source_url=TRUDVSEM_URL,
            salary_from=45_000,
            salary_to=60_000,
            requirements=long_requirements,
            experience_required=True,
        ),
    )
    client = talk()
    await graduate(client)
    await client.press("Работа и стажировки")
    await client.press("Все вакансии")
    await client.press("1. Электрогазосварщик")
    card = client.text
    assert "💼 Электрогазосварщик" in card
    assert "Работа · ООО «Волга-Металл»" in card
    assert "Зарплата: 45 000–60 000 ₽" in card
    assert "График: сменный график, полная занятость" in card
    assert "Адрес: Тольятти, ул. Заводская, 1" in card
    assert "Требования: Опыт сварки" in card
    assert "…" in card
    assert len(card) < 1500  # the start of a long text: the source has the rest
    assert "Опыт: нужен" in card
    assert f"Источник: Работа России — {TRUDVSEM_URL}" in card
    assert "Откликнуться" in " ".join(client.labels)
    await client.press("К списку")
    assert "1. Электрогазосварщик" in client.text


async def test_a_fourteen_year_old_sees_only_what_the_law_allows(talk, database, clock):
    await put(
        database,
        draft("Ночной грузчик", **ADULT_ONLY_NIGHT),
        draft("Продавец-кассир", schedule=Schedule.FULL_DAY),  # 8 hours a day: not at 14
        draft("Продавец табака", min_age=16, schedule=Schedule.PART_DAY, hazards=frozenset()),
        teen_job("Помощник вожатого"),
        teen_job("Уборка парка", source_id="park"),
    )
    client = talk()
    await pupil(client, "14")
    assert "Подработка" in " ".join(client.labels)
    assert "Работа и стажировки" not in " ".join(client.labels)
    await client.press("Подработка")
    assert "только вакансии, которые по закону можно" in client.text
    await client.press("Все вакансии")
    text = client.text
    assert "Нашлось вакансий: 2" in text
    assert "Помощник вожатого" in text
    assert "Уборка парка" in text
    for adult_only in ("Ночной грузчик", "Продавец-кассир", "Продавец табака"):
        assert adult_only not in text
    await client.send("грузчик")  # typed words never reach past the law either
    assert "Ночной грузчик" not in client.text
    assert "Подходящих для вашего возраста вакансий" in client.text
    await tap(client, "✕ «грузчик»")
    await client.press("1. ")
    card = client.text
    # The clock's 1 September is a school day: half the week and 2.5 hours a day at 14 (ст. 92, 94).
    assert "не больше 2,5 ч в день и 12 ч в неделю" in card
    assert "(учебный год)" in card
    assert "письменного согласия одного из родителей" in card


async def test_a_sixteen_year_old_on_holiday_sees_the_holiday_limits(talk, database, clock):
    # Winter holidays; on the last day of the year a stored birth year gives the exact age typed.
    clock.set(datetime(2026, 12, 31, 9, 0, tzinfo=UTC))
    await put(database, teen_job("Курьер", hours_per_day=4, hours_per_week=20))
    client = talk()
    await pupil(client, "16")
    await client.press("Подработка")
    await client.press("Все вакансии")
    await client.press("1. Курьер")
    assert "Для вашего возраста по закону (каникулы): не больше 7 ч в день и 35 ч в неделю" in client.text
    assert "согласия одного из родителей" not in client.text  # that is the 14-year-olds' rule


async def test_under_fourteen_gets_a_kind_explanation_and_no_vacancies(talk, database):
    await put(database, teen_job("Помощник вожатого"))
    child, parent = talk("kid"), talk("mum")
    await choose_role(child, "pupil", "12")
    code = re.search(r"[A-Z0-9]{10}", child.text).group(0)
    await consent_adult(parent, "parent", "40")
    await parent.send("/menu")
    await parent.press("Привязать ребёнка")
    await parent.send(code)
    await parent.press("Даю согласие за ребёнка")
    await child.press("Проверить")
    await fill_rest(child, ("Злата", "12", *PUPIL_PROFILE[1:]))
    await child.send("/menu")
    assert not any("Работа" in label or "Подработка" in label for label in child.labels)
    await child.send("подработка на лето")
    assert "с 14 лет" in child.text
    assert "Помощник вожатого" not in child.text
    assert "Пройти тест" in " ".join(child.labels)


async def test_the_menu_entry_by_role(talk, database):
    jobseeker, parent = talk("js"), talk("parent")
    await consent_adult(jobseeker, "jobseeker", "35")
    await jobseeker.send("/menu")
    assert "💼 Работа и стажировки" in jobseeker.labels
    await consent_adult(parent, "parent", "40")
    await parent.send("/menu")
    assert not any("Работа" in label or "Подработка" in label for label in parent.labels)


@pytest.mark.parametrize(
    ("typed", "chips", "found", "hidden"),
    [
        (
            "ищу работу сварщиком в тольятти без опыта",
            ("✕ «сварщик»", "✕ Тольятти", "✕ без опыта"),
            "Сварщик без опыта",
            "Сварщик 5 разряда",
        ),
        (
            "стажировка для программиста",
            ("✕ «программист»", "✕ Стажировка", "✕ Практика"),
            "Стажёр-программист",
            "Программист",
        ),
        (
            "подработка на лето в сызрани",
            ("✕ Сызрань", "✕ Подработка"),
            "Уборка набережной",
            "Сварщик без опыта",
        ),
    ],
)
async def test_free_text_opens_the_search_with_its_entities(talk, database, typed, chips, found, hidden):
    await put(
        database,
        draft("Сварщик без опыта"),
        draft("Сварщик 5 разряда", experience_required=True),
        draft("Программист", employer=Employer("ООО «Код»"), municipality=SAMARA),
        draft("Стажёр-программист", kind=VacancyKind.INTERNSHIP, employer=Employer("ООО «Код»")),
        teen_job("Уборка набережной", municipality=SYZRAN, min_age=16),
    )
    client = talk()
    await graduate(client)
    await client.send(typed)
    assert set(chips) <= set(client.labels), client.labels
    assert found in client.text
    assert hidden not in client.text


async def test_a_sentence_typed_on_the_results_is_understood(talk, database):
    await put(
        database,
        draft("Программист", employer=Employer("ООО «Код»"), municipality=SAMARA),
        draft("Программист 1С", employer=Employer("ООО «Код»"), experience_required=True),
    )
    client = talk()
    await graduate(client)
    await client.press("Работа и стажировки")
    await client.press("Все вакансии")
    await client.send("программистом в самаре без опыта")
    assert {"✕ «программист»", "✕ Самара", "✕ без опыта"} <= set(client.labels)
    assert "Нашлось вакансий: 1" in client.text
    await client.send("хочу пройти тест на профориентацию")  # another wish: the search lets it go
    assert "Быстрый тест" in " ".join(client.labels)
