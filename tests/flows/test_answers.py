"""Answers that mean what was typed: transcripts of what people typed and what the bot kept (both databases).

Button words are never values, a place outside the region is never taken for one inside it, an age or a
time that says something else is refused, a guess is confirmed before it is kept.
"""

from __future__ import annotations

from backend_client.models import AgeBand, ConsentStatus, Role
from dialogs.testing import DialogClient
from tests.flows.conftest import choose_role, consent_adult, fill_rest


async def _profile(client: DialogClient, records):
    person = await records.identify("test", client.account_id, client.account_id)
    return await records.get_profile(person.id)


async def test_a_skip_word_is_not_a_profession_and_an_old_label_is_not_a_name(client, records):
    await consent_adult(client, "jobseeker", "35")
    assert "Как к вам обращаться" in client.text
    await client.send("Выбрать другую роль")  # the consent screen's button, typed from memory
    assert "«↩️ Выбрать другую роль» — это надпись кнопки, а не ответ" in client.text
    assert "Как к вам обращаться" in client.text
    await client.send("Сергей")
    await client.send("Отрадный")
    assert "Профессия или желаемая работа" in client.text
    await client.send("Пропустить")  # a required question: no skip button, and the word is not a job
    assert "пропустить нельзя" in client.text
    assert "Профессия или желаемая работа" in client.text
    await client.send("⏭ Пропустить")
    assert "пропустить нельзя" in client.text
    await client.send("Водитель")
    await fill_rest(client, ())
    assert "Сохранил" in client.text
    profile = await _profile(client, records)
    assert (profile.display_name, profile.specialty) == ("Сергей", "Водитель")


async def test_a_typed_label_of_the_step_presses_it(client, records):
    await consent_adult(client, "graduate", "23")
    await client.send("Олег")
    await client.send("Кинель")
    await client.send("СамГТУ")
    await client.send("Информатика")
    await client.send("пропустит")  # a typo of «Пропустить» at an optional question is that button
    assert "Когда вам удобнее" in client.text
    await client.send("Отменить")  # the cancel button, typed
    assert "заполнение профиля отложено" in client.text
    assert (await _profile(client, records)).is_empty


async def test_skipping_while_editing_keeps_the_saved_value(client, records):
    await consent_adult(client, "graduate", "23")
    await fill_rest(client, ("Олег", "Кинель", "СамГТУ", "Информатика", "шахматы", "вечером"))
    assert "Сохранил" in client.text
    await client.press("Интересы")
    await client.press("Пропустить")
    assert "оставил как было" in client.text
    assert "Интересы: шахматы" in client.text
    await client.press("Удобное время")
    await client.send("пропустить")
    assert "оставил как было" in client.text
    profile = await _profile(client, records)
    assert (profile.interests, profile.contact_time) == ("шахматы", "evening")


async def test_places_outside_the_region_are_not_taken_for_places_in_it(client, records):
    await consent_adult(client, "jobseeker", "35")
    await client.send("Сергей")
    for elsewhere in ("Самарканд", "Кинешма", "Красноярск"):
        await client.send(elsewhere)
        assert "Не нашёл такой город или район Самарской области" in client.text, elsewhere
        assert "Где вы живёте?" in client.text
    assert (await _profile(client, records)).municipality is None
    await client.send("Кинель-Черкассы")  # the district's centre: its own municipality, not Кинель
    assert "Профессия" in client.text
    await client.send("Тракторист")
    await fill_rest(client, ())
    assert "Кинель-Черкасский район" in client.text
    assert (await _profile(client, records)).municipality == "36220"


async def test_a_guessed_place_is_confirmed_by_a_typed_yes(client, records):
    await consent_adult(client, "jobseeker", "35")
    await client.send("Сергей")
    await client.send("Тольяти")
    assert "Вы имели в виду г. о. Тольятти?" in client.text
    assert client.labels == ["✅ Да", "✏️ Нет, напишу иначе"]
    assert (await _profile(client, records)).is_empty
    await client.send("да")
    assert "Профессия" in client.text
    await client.send("Сварщик")
    await fill_rest(client, ())
    assert (await _profile(client, records)).municipality == "36440"


async def test_ages_that_say_something_else_are_refused(client, records):
    await client.send("/start")
    await client.press("Школьник")
    for typed in ("-15", "через 15 лет", "15 месяцев", "15 кг"):
        await client.send(typed)
        assert "Напишите возраст одним числом" in client.text, typed
    person = await records.identify("test", client.account_id, client.account_id)
    assert person.age_band is None  # nothing decided on an answer that was not an age
    await client.send("мне 15 лет")
    assert "согласие" in client.text
    person = await records.identify("test", client.account_id, client.account_id)
    assert person.age_band is AgeBand.MINOR


async def test_a_negated_contact_time_is_not_taken_for_itself(client, records):
    await consent_adult(client, "parent", "45")
    await client.send("Елена")
    await client.send("Чапаевск")
    assert "Когда вам удобнее" in client.text
    await client.send("не утром")
    assert "Понял, когда вам неудобно" in client.text
    assert (await _profile(client, records)).is_empty
    await client.send("только не утром, лучше вечером")
    assert "Сохранил" in client.text
    assert (await _profile(client, records)).contact_time == "evening"


async def test_a_role_change_keeps_the_consent_when_its_path_stays(client, records):
    await consent_adult(client, "graduate", "22")
    await fill_rest(client, ("Олег", "Кинель", "СамГТУ", "Информатика"))
    await client.send("/start")
    assert "С возвращением" in client.text
    assert "Сменить роль" in client.text  # /start says where the role is changed
    await client.send("/profile")
    await client.press("Сменить роль")
    assert "Сейчас ваша роль — «Выпускник / молодой специалист»" in client.text
    await client.press("Да, сменить роль")
    assert "Выпускник" not in " ".join(client.labels)
    await client.press("Студент вуза")
    await client.send("20")
    assert "теперь ваша роль — «Студент вуза»" in client.text
    assert "Курс: —" in client.text
    person = await records.identify("test", client.account_id, client.account_id)
    assert (person.role, person.consent) == (Role.UNIVERSITY_STUDENT, ConsentStatus.GRANTED)
    profile = await records.get_profile(person.id)
    assert (profile.display_name, profile.municipality) == ("Олег", "36408")


async def test_a_role_change_that_needs_a_parent_routes_to_the_parents_consent(client, records):
    await consent_adult(client, "college_student", "16")
    await fill_rest(client, ("Иван", "Тольятти", "Колледж", "1", "Сварка"))
    await client.send("/profile")
    await client.press("Сменить роль")
    await client.press("Да, сменить роль")
    await client.press("Школьник")
    await client.send("13")
    assert "согласие на обработку данных даёт родитель" in client.text
    person = await records.identify("test", client.account_id, client.account_id)
    assert person.consent is ConsentStatus.GRANTED  # nothing happens before the confirmation
    await client.press("Да, удалить данные")
    assert "Код для родителя" in client.text
    person = await records.identify("test", client.account_id, client.account_id)
    assert (person.role, person.age_band, person.consent) == (
        Role.PUPIL,
        AgeBand.CHILD,
        ConsentStatus.AWAITING_GUARDIAN,
    )
    assert (await records.get_profile(person.id)).is_empty
    assert await records.consents_of(person.id) == []


async def test_an_operator_who_never_onboarded_gets_the_desk_on_menu(client, database):
    await database.broadcasts.grant_operator("test", client.account_id, by="test")
    await client.send("/menu")
    assert "Пульт оператора" in client.text
    assert "Расскажите, кто вы" not in client.text


async def test_words_about_what_exists_are_true(client):
    await client.send("привет")
    assert "скоро — пройти тест" not in client.text
    assert "пройти тест на профориентацию, записаться на профтур" in client.text
    await choose_role(client, "graduate", "22")
    await client.press("Согласен")
    await client.send("/help")
    assert "начать сначала" not in client.text  # /start does not start over: it greets
    assert "Сменить роль" in client.text
    assert "часть возможностей ещё появится" not in client.text
