"""«Анкета выпускника» and «Центр занятости» through DialogClient on the real store (SQLite and
PostgreSQL) and the real NLU model: the questionnaire from the menu and from free text, its result with
reasons and next steps, changing and deleting the answers, stale and forged buttons, «Мои данные»; the
operator's invitation to a course; booking, moving and cancelling a slot, a slot taken or withdrawn."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from backend_client.graduates.centres import Service, SlotRow
from backend_client.graduates.survey import Question
from backend_client.sql.tables import outbox
from dialogs.testing import DialogClient
from dialogs.ui import public_payload
from notifications.buttons import take
from tests.flows.conftest import consent_adult, fill_rest
from tests.flows.jobs_support import graduate, jobs_engine, person_of, pupil

TOGLIATTI = "36440"
RISKY = ("Работать", "Пока ничего", "Пока не ищу", "Вакансий мало", "Нет", "Нет", "Нет", "Не знаю, куда идти")


@pytest.fixture
def talk(database, clock, nlu_model):
    engine = jobs_engine(database, clock, nlu_model)

    def make(account_id: str = "7001") -> DialogClient:
        return DialogClient(engine, account_id=account_id)

    return make


async def answer_all(client: DialogClient, labels: tuple[str, ...]) -> None:
    for label in labels:
        await client.press(label)


async def test_the_questionnaire_from_the_menu_scores_and_explains(talk, database):
    client = talk()
    await graduate(client)
    await client.press("Анкета выпускника")
    assert "8 коротких вопросов" in client.text
    assert "не оценка вас" in client.text
    await client.press("Начать")
    assert "Вопрос 1 из 8\nЧто вы планируете после выпуска?" in client.text
    await answer_all(client, RISKY)
    text = client.text
    assert "найти работу в одиночку может быть непросто" in text
    assert "• Опыта работы пока нет.\n  → Подработка, стажировка" in text
    assert "• Пока непонятно, куда двигаться." in text
    assert "не решение о вас" in text
    assert "Записаться в центр занятости" in " ".join(client.labels)
    person = await person_of(database, client)
    saved = await database.graduates.survey(person.id)
    assert saved.answers[Question.SEARCH] == "none"  # codes, never labels
    await client.press("Мои ответы")
    assert "• Как идёт поиск работы? — Пока не ищу" in client.text
    await client.press("Изменить ответы")
    await answer_all(client, ("Работать", "Уже работаю", "Справлюсь сам(а)"))  # settled: a short route
    assert "хорошие шансы" in client.text
    assert "Записаться в центр занятости" not in " ".join(client.labels)
    saved = await database.graduates.survey(person.id)
    assert (saved.version, saved.answers[Question.JOB]) == (2, "employed")
    await client.press("Удалить ответы")
    await client.press("Да, удалить")
    assert "Ответы анкеты удалены" in client.text
    assert await database.graduates.survey(person.id) is None


async def test_deferred_plans_are_not_a_risk(talk):
    client = talk()
    await graduate(client)
    await client.send("/graduate")
    await client.press("Начать")
    await client.press("Служба в армии")
    assert "Вопрос 2 из 2" in client.text
    await client.press("Справлюсь сам(а)")
    assert "работу вы сейчас не ищете — это нормально" in client.text


async def test_free_text_opens_it_and_leaving_half_way_writes_nothing(talk, database):
    client = talk()
    await graduate(client)
    await client.send("помогите с трудоустройством после колледжа")
    assert "Анкета выпускника" in client.text
    await client.press("Начать")
    await client.press("Работать")
    old = client.button("Пока ничего").payload
    await client.press("Не сейчас")
    assert "анкета подождёт" in client.text
    await client.press_token(old)  # an answer of the abandoned questionnaire
    assert "неактуальна" in client.text
    person = await person_of(database, client)
    assert await database.graduates.survey(person.id) is None


async def test_stale_and_forged_answers_write_nothing(talk, database):
    client = talk()
    await graduate(client)
    await client.send("/graduate")
    await client.press("Начать")
    other = client.button("Учиться дальше").payload
    again = client.button("Работать").payload
    await client.press("Работать")
    repeat = await client.press_token(again)  # a double tap: done once
    assert repeat.notice == "Уже сделано ✅"
    await client.press_token(other)  # the first question's other answer: not the question due
    assert "неактуальна" in client.text
    await client.send("/graduate")
    await client.press("Начать")
    await client.press_token(public_payload("graduate", "job.none"))  # a public verb: only opens it
    await client.press_token("forged-token")
    assert "неактуальна" in client.text
    person = await person_of(database, client)
    assert await database.graduates.survey(person.id) is None


async def test_who_is_offered_it(talk):
    second_course = talk("7101")
    await consent_adult(second_course, "college_student", "18")
    await fill_rest(second_course, ("Иван", "Тольятти", "Тольяттинский колледж", "2", "Сварщик"))
    await second_course.send("/menu")
    assert not any("Анкета выпускника" in label for label in second_course.labels)
    await second_course.send("/graduate")  # not offered, but open to a student who asks
    assert "8 коротких вопросов" in second_course.text
    final_course = talk("7102")
    await consent_adult(final_course, "college_student", "19")
    await fill_rest(final_course, ("Мария", "Тольятти", "Тольяттинский колледж", "4", "Повар"))
    await final_course.send("/menu")
    assert any("Анкета выпускника" in label for label in final_course.labels)
    young = talk("7103")
    await pupil(young, "15")
    await young.send("/graduate")
    assert "для студентов колледжей и вузов" in young.text


async def test_my_data_shows_exports_and_erases_the_answers(talk, database):
    client = talk()
    await graduate(client)
    await client.send("/graduate")
    await client.press("Начать")
    await answer_all(client, RISKY)
    await client.send("/mydata")
    assert "Анкета выпускника: ответы сохранены" in client.text
    assert "Запись в центр занятости: нет" in client.text
    person = await person_of(database, client)
    export = await database.records.export(person.id)
    assert export["graduate_survey"]["band"] == "high"
    assert export["graduate_survey"]["answers"]["plans"] == "work"


async def test_an_operator_invites_a_course_once(talk, database):
    student = talk("7201")
    await consent_adult(student, "college_student", "19")
    await fill_rest(student, ("Мария", "Тольятти", "Тольяттинский колледж", "4", "Повар"))
    other = talk("7202")
    await consent_adult(other, "college_student", "18")
    await fill_rest(other, ("Иван", "Тольятти", "Тольяттинский колледж", "2", "Сварщик"))
    op = talk("7203")
    await consent_adult(op)
    await database.broadcasts.grant_operator("test", "7203", by="test")
    await op.send("/invite_graduates семь")
    assert "Напишите курс" in op.text
    await op.send("/invite_graduates 4")
    assert "студентов 4 курса: получат 1 чел." in op.text
    send = op.button("Отправить приглашение").payload
    await op.press_token(send)
    assert "Приглашение поставлено в рассылку № 1" in op.text
    await op.press_token(send)  # the same press again: no second campaign
    assert await database.broadcasts.start_due_campaigns() == [1]
    async with database.engine.connect() as connection:
        rows = (await connection.execute(select(outbox.c.person_id, outbox.c.text))).all()
    invited = await person_of(database, student)
    assert [row.person_id for row in rows] == [invited.id]
    text, buttons = take(rows[0].text)
    assert "анкету выпускника" in text
    [(label, payload)] = buttons
    assert label == "📝 Заполнить анкету"
    await student.press_token(payload)
    assert "8 коротких вопросов" in student.text
    await student.send("/invite_graduates 4")  # not an operator
    assert "Приглашение" not in student.text


async def add_slots(database, clock, *hours: int, capacity: int = 1) -> None:
    base = clock.now().replace(minute=0, second=0, microsecond=0)
    rows = [SlotRow(TOGLIATTI, Service.CONSULTATION, base + timedelta(hours=h), capacity) for h in hours]
    await database.graduates.import_slots(rows)


async def test_booking_from_the_result_move_and_cancel(talk, database, clock):
    await add_slots(database, clock, 30, 54)
    client = talk()
    await graduate(client)  # lives in Тольятти
    await client.send("/graduate")
    await client.press("Начать")
    await answer_all(client, RISKY)
    await client.press("Записаться в центр занятости")
    assert "Центр занятости населения (г. о. Тольятти)" in client.text
    assert "Контакты демонстрационные" in client.text
    await client.press("Консультация")
    assert "Консультация: выберите время" in client.text
    first = client.labels[0]
    await client.press(first)
    assert "Центр занятости увидит ваше имя" in client.text
    await client.press("Записаться")
    assert f"✅ Вы записаны: Консультация, {first}" in client.text
    person = await person_of(database, client)
    booking = await database.graduates.booking(person.id)
    assert booking is not None
    await client.press("Перенести")
    second = client.labels[0]  # the slot they hold is full: only the other one is offered
    await client.press(second)
    await client.press("Записаться")
    assert f"✅ Запись перенесена: Консультация, {second}" in client.text
    moved = await database.graduates.booking(person.id)
    assert moved.slot.id != booking.slot.id
    await client.send("/mydata")
    assert f"Запись в центр занятости: Консультация, {second}" in client.text
    await client.send("/centre")
    await client.press("Отменить запись")
    assert "Запись отменена" in client.text
    assert await database.graduates.booking(person.id) is None


async def test_a_slot_taken_or_withdrawn_meanwhile(talk, database, clock):
    await add_slots(database, clock, 30, 54)
    late, early = talk("7301"), talk("7302")
    await graduate(late)
    await graduate(early)
    for client in (late, early):
        await client.send("/centre")
        await client.press("Консультация")
        await client.press(client.labels[0])
    await early.press("Записаться")
    await late.press("Записаться")
    assert "Это время только что заняли" in late.text
    assert len([label for label in late.labels if "К услугам" not in label]) == 1
    [slot] = [s for s in await database.graduates.slots() if s.taken == 0]
    await late.press(late.labels[0])
    await database.graduates.remove_slot(slot.id)
    await late.press("Записаться")
    assert "Этого времени больше нет" in late.text
    assert "свободного времени пока нет" in late.text
    person = await person_of(database, late)
    assert await database.graduates.booking(person.id) is None


async def test_no_municipality_no_centre(talk):
    client = talk()
    await consent_adult(client, "graduate", "22")
    await fill_rest(client, ("Олег",))  # skips the rest, the municipality too
    await client.send("/centre")
    assert "укажите в профиле город или район" in client.text


def test_slot_time_reads_in_samara_time():
    from zoneinfo import ZoneInfo

    from dialogs.views.graduates import slot_when

    assert slot_when(datetime.fromisoformat("2026-12-09T06:00:00+00:00"), ZoneInfo("Europe/Samara")) == (
        "9 декабря, ср, 10:00"
    )


async def test_the_centre_says_who_it_is_for_in_its_own_words(talk):
    """Found walking the issue: a pupil or a parent who typed /centre was told about «Анкета выпускника»."""
    young = talk("7401")
    await pupil(young, "15")
    await young.send("/centre")
    assert "Запись в центр занятости здесь — для студентов" in young.text
    assert "Анкета выпускника" not in young.text
    assert "Центр занятости" not in " ".join(young.labels)  # and the menu still does not offer it


async def test_an_appointment_that_has_passed_does_not_block_a_new_one(talk, database, clock):
    """Found walking the issue: after the day of the appointment, /centre still showed it as «Ваша запись»
    with «Перенести», and booking again answered «У вас уже есть запись» — for good."""
    await add_slots(database, clock, 30, 24 * 40)
    client = talk()
    await graduate(client)
    await client.send("/centre")
    await client.press("Консультация")
    await client.press(client.labels[0])
    await client.press("Записаться")
    assert "✅ Вы записаны" in client.text
    clock.advance(timedelta(days=3))  # the appointment was yesterday
    await client.send("/centre")
    assert "Ваша запись" not in client.text
    assert "Какая услуга нужна?" in client.text
    await client.press("Консультация")
    [later] = [label for label in client.labels if "К услугам" not in label]
    await client.press(later)
    await client.press("Записаться")
    assert f"✅ Вы записаны: Консультация, {later}" in client.text
    person = await person_of(database, client)
    booking = await database.graduates.booking(person.id)
    assert booking is not None
    assert booking.slot.starts_at > clock.now()


async def test_an_answer_typed_instead_of_pressed(talk, database):
    """Found walking the issue: typing «Работать» at the first question left the questionnaire for the
    vacancies; now a typed button label answers, and anything else is asked back with the buttons."""
    client = talk()
    await graduate(client)
    await client.send("/graduate")
    await client.press("Начать")
    await client.send("работать")
    assert "Вопрос 2 из 8" in client.text
    await client.send("хочу вакансии сварщика")
    assert "Ответьте кнопкой" in client.text
    assert "Вопрос 2 из 8" in client.text
    assert "Пока ничего" in " ".join(client.labels)
    for typed in RISKY[1:]:
        await client.send(typed)
    assert "найти работу в одиночку может быть непросто" in client.text
    person = await person_of(database, client)
    saved = await database.graduates.survey(person.id)
    assert (saved.answers[Question.PLANS], saved.answers[Question.SUPPORT]) == ("work", "direction")
    await client.send("работать")  # the questionnaire is over: free text is free again
    assert "Вопрос" not in client.text


async def test_help_names_what_exists(talk):
    """Found walking the issue: /help said vacancies «ещё появятся» and named none of the graduates'
    commands."""
    client = talk()
    await graduate(client)
    await client.send("/help")
    assert "ещё появятся" not in client.text
    assert "/graduate — анкета выпускника" in client.text
    assert "/centre — запись в центр занятости" in client.text
