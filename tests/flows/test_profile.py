"""«Мой профиль»: the first fill-in per role, validation with friendly messages, skipping and editing."""

from __future__ import annotations

import pytest

from tests.flows.conftest import consent_adult, fill_rest

ROLE_ANSWERS = {
    "pupil": ("16", ("Аня", "Самара", "Школа № 12", "9")),
    "college_student": ("18", ("Иван", "Тольятти", "Тольяттинский политехнический колледж", "2", "Сварщик")),
    "university_student": ("20", ("Маша", "Сызрань", "СамГТУ", "3", "Химическая технология")),
    "graduate": ("23", ("Олег", "Кинель", "Самарский университет", "Информатика")),
    "parent": ("45", ("Елена Петровна", "Чапаевск")),
    "jobseeker": ("35", ("Сергей", "Отрадный", "Водитель")),
}


@pytest.mark.parametrize("role", list(ROLE_ANSWERS))
async def test_each_role_fills_its_profile(client, records, role):
    age, answers = ROLE_ANSWERS[role]
    await consent_adult(client, role, age)
    await fill_rest(client, answers)
    assert "Сохранил" in client.text
    person = await records.identify("test", client.account_id, client.account_id)
    profile = await records.get_profile(person.id)
    assert profile.display_name == answers[0]
    assert profile.municipality is not None
    for answer in answers:
        assert answer in client.text or answer in (
            "Самара",
            "Тольятти",
            "Сызрань",
            "Кинель",
            "Чапаевск",
            "Отрадный",
        )


async def test_invalid_answers_are_explained_and_nothing_is_stored(client, records):
    await consent_adult(client, "pupil", "15")
    await client.send("12345")
    assert "цифр" in client.text
    await client.send("Аня")
    await client.send("Марс")
    assert "Не нашёл" in client.text
    await client.send("в самаре")
    await client.send("Школа 5")
    await client.send("12")
    assert "от 5 до 11" in client.text
    await client.send("9 класс")
    assert "увлекаетесь" in client.text
    await client.send("😀😀😀")
    assert "словами" in client.text
    await client.press("Пропустить")
    await client.send("когда-нибудь")
    assert "утро, день, вечер" in client.text
    await client.send("вечером")
    assert "Сохранил" in client.text
    person = await records.identify("test", client.account_id, client.account_id)
    profile = await records.get_profile(person.id)
    assert (profile.grade, profile.municipality, profile.interests, profile.contact_time) == (
        9,
        "36401",
        None,
        "evening",
    )


async def test_districts_are_chosen_from_the_second_list(client, records):
    await consent_adult(client, "jobseeker", "40")
    await client.send("Сергей")
    await client.press("Другой район")
    await client.press("Волжский")
    person = await records.identify("test", client.account_id, client.account_id)
    assert "Профессия" in client.text
    await client.send("Тракторист")
    await fill_rest(client, ())
    assert (await records.get_profile(person.id)).municipality == "36214"


async def test_a_guessed_municipality_is_confirmed_or_asked_again(client, records):
    await consent_adult(client, "jobseeker", "40")
    await client.send("Сергей")
    await client.send("сызран")
    assert "Вы имели в виду г. о. Сызрань?" in client.text
    await client.press("Нет")
    assert "Где вы живёте?" in client.text
    await client.send("Сызранский район")
    assert "Профессия" in client.text
    person = await records.identify("test", client.account_id, client.account_id)
    await client.send("Водитель")
    await fill_rest(client, ())
    assert (await records.get_profile(person.id)).municipality == "36242"


async def test_every_field_can_be_edited(client, records):
    await consent_adult(client, "college_student", "18")
    await fill_rest(client, ROLE_ANSWERS["college_student"][1])
    await client.press("Имя")
    await client.send("Ваня")
    await client.press("Курс")
    await client.send("7")
    assert "от 1 до 5" in client.text
    await client.send("3")
    await client.press("Удобное время")
    await client.press("Утро")
    await client.press("Интересы")
    await client.send("робототехника, футбол")
    person = await records.identify("test", client.account_id, client.account_id)
    profile = await records.get_profile(person.id)
    assert (profile.display_name, profile.course, profile.contact_time) == ("Ваня", 3, "morning")
    assert profile.interests == "робототехника, футбол"
    assert "Ваня" in client.text


async def test_abandoned_profile_keeps_nothing_and_can_resume_from_menu(client, records):
    await consent_adult(client, "graduate", "24")
    await client.send("Олег")
    await client.press("Отменить")
    assert "Ничего из ответов не сохранено" in client.text
    person = await records.identify("test", client.account_id, client.account_id)
    assert (await records.get_profile(person.id)).is_empty
    await client.press("Заполнить профиль")
    assert "Как к вам обращаться" in client.text


async def test_birth_year_edit_accepts_year_and_rejects_future(client, records, clock):
    await consent_adult(client, "graduate", "24")
    await fill_rest(client, ROLE_ANSWERS["graduate"][1])
    await client.press("Год рождения")
    await client.send(str(clock.now().year + 1))
    assert "в будущем" in client.text
    await client.send("2001")
    person = await records.identify("test", client.account_id, client.account_id)
    assert (await records.get_profile(person.id)).birth_year == 2001
