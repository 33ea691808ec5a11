"""«Обратная связь» as transcripts of both sides: a person writes in one chat, an operator answers in
another; the answer is queued in the outbox signed by the centre; ratings, adding and closing."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import select

from backend_client.feedback import Topic
from backend_client.models import AgeBand, Role
from backend_client.sql.feedback.tables import feedback_messages, feedback_tickets
from backend_client.sql.tables import outbox
from bot.wiring import build_engine
from dialogs.testing import DialogClient
from dialogs.ui import public_payload
from dialogs.views.feedback import RATE, REPLY, closed_notice
from nlu.types import IntentScore, Parse
from tests.flows.conftest import consent_adult
from tests.flows.test_understanding import Scripted

CENTRE = "Региональный центр профориентации"


async def operator(client_factory, database, account: str = "op1"):
    op = client_factory(account)
    await consent_adult(op)
    await database.broadcasts.grant_operator("test", account, by="test")
    return op


async def write_ticket(person, *texts: str, topic: str = "Вопрос", share: str = "Да") -> int:
    await person.send("/menu")
    await person.press("Написать в центр")
    assert "прочитает сотрудник" in person.text
    for text in texts:
        await person.send(text)
    assert f"Записал ({len(texts)})" in person.text
    await person.press(topic)
    assert "Показать сотруднику центра" in person.text
    await person.press(share)
    assert "принято" in person.text
    number = person.text.split("№")[1].split(" ")[0]
    return int(number)


async def queued(database) -> list[tuple[str, str]]:
    async with database.engine.connect() as connection:
        rows = await connection.execute(
            select(outbox.c.key, outbox.c.text)
            .where(outbox.c.key.startswith("feedback:"))
            .order_by(outbox.c.id)
        )
        return [(row.key, row.text) for row in rows]


async def test_a_person_writes_and_an_operator_answers_from_the_desk(client_factory, database):
    person = client_factory("p1")
    await consent_adult(person)
    number = await write_ticket(person, "Не могу записаться на профтур", "Кнопка не нажимается")
    assert "пн–пт 9:00–18:00" in person.text  # the centre's working hours
    assert "Дописать" in " ".join(person.labels)

    op = await operator(client_factory, database)
    await op.send("/operator")
    await op.press("Обращения")
    assert "Открытые обращения (1)" in op.text
    assert f"№{number}" in op.text
    assert "свободно" in op.text
    await op.press(f"Обращение №{number}")
    assert "Не могу записаться на профтур" in op.text
    assert "Кнопка не нажимается" in op.text
    assert "Роль: Выпускник" in op.text  # shared with consent
    await op.press("Взять")
    assert f"Обращение №{number} теперь ваше" in op.text
    await op.press("Ответить")
    await op.send("Попробуйте записаться ещё раз:\nмы исправили кнопку.")
    assert "отправлен" in op.text

    [(key, text)] = await queued(database)
    assert key.startswith(f"feedback:{number}:")
    assert "Попробуйте записаться ещё раз:\nмы исправили кнопку." in text  # its lines kept
    assert CENTRE in text
    assert "op1" not in text  # signed by the centre, never the operator's account
    assert f"~{RATE}:{number}.1" in text
    assert f"~{REPLY}:{number}" in text

    await person.press_token(public_payload(RATE, f"{number}.1"))
    assert "Спасибо за оценку" in person.text
    await person.send("Всё получилось")
    assert "передал" in person.text
    async with database.engine.connect() as connection:
        rating = (await connection.execute(select(feedback_tickets.c.rating))).scalar()
    assert rating == 1

    await person.press_token(public_payload(REPLY, str(number)))
    await person.send("И ещё вопрос про профпробы")
    assert f"Добавил к обращению №{number}" in person.text
    await person.press("Закрыть обращение")
    assert f"Обращение №{number} закрыто" in person.text
    await op.press("Пульт оператора")
    await op.press("Обращения")
    assert "Открытых обращений нет" in op.text


async def test_an_open_ticket_is_shown_again_and_without_consent_only_contacts(client_factory, database):
    person = client_factory("p2")
    await consent_adult(person)
    number = await write_ticket(person, "Хочу предложить идею", topic="Предложение", share="Нет")
    await person.send("/feedback")
    assert f"открыто обращение №{number}" in person.text
    await person.press("Дописать")
    await person.send("Идея: чат с выпускниками")
    assert "Добавил" in person.text

    op = await operator(client_factory, database)
    await op.send("/operator")
    await op.press("Обращения")
    await op.press(f"Обращение №{number}")
    assert "не разрешил показывать" in op.text
    assert "Роль:" not in op.text
    assert "чат с выпускниками" in op.text

    other = client_factory("p3")
    await other.send("/start")
    await other.press("Выпускник")
    await other.send("22")
    await other.press("Не согласен")
    await other.send("/feedback")
    assert "📞" in other.text
    assert "нужно согласие" in other.text


async def test_help_lists_the_centres_contacts(client_factory):
    person = client_factory("p4")
    await consent_adult(person)
    await person.send("/help")
    assert "📞 +7 (846) 200-00-00" in person.text
    assert "✉️ centr@frontdoor.example" in person.text
    assert "/feedback" in person.text


async def test_erasure_keeps_the_figures_and_loses_the_text(client_factory, database):
    person = client_factory("p5")
    await consent_adult(person)
    await write_ticket(person, "Мой телефон 8-900-000-00-00, перезвоните")
    me = await database.records.identify("test", "p5", "p5")
    exported = await database.records.export(me.id)
    assert exported["feedback"][0]["messages"][0]["text"].startswith("Мой телефон")
    await database.records.erase(me.id, reason="test")
    async with database.engine.connect() as connection:
        assert (await connection.execute(select(feedback_messages))).all() == []
        [ticket] = (await connection.execute(select(feedback_tickets))).all()
    assert ticket.messages_in == 1
    assert ticket.topic == "question"


async def test_two_operators_pressing_take_at_once_one_wins(client_factory, database):
    person = client_factory("p6")
    await consent_adult(person)
    number = await write_ticket(person, "Вопрос про практику")
    first = await operator(client_factory, database, "op1")
    second = await operator(client_factory, database, "op2")
    for op in (first, second):
        await op.send("/operator")
        await op.press("Обращения")
        await op.press(f"Обращение №{number}")
    await asyncio.gather(first.press("Взять"), second.press("Взять"))
    told = sorted([first.text, second.text])
    assert sum(f"Обращение №{number} теперь ваше" in text for text in told) == 1
    assert sum("уже взял другой оператор" in text for text in told) == 1
    loser = first if "уже взял" in first.text else second
    assert all("Ответить" not in label for label in loser.labels)  # only the holder answers


async def test_a_non_operator_forging_inbox_buttons_sees_nothing(client_factory, database):
    person = client_factory("p7")
    await consent_adult(person)
    number = await write_ticket(person, "Секретный вопрос про мои данные")
    nosy = client_factory("nosy")
    await consent_adult(nosy)
    for forged in ("AAAAAAAA", public_payload("view", str(number)), public_payload("inbox", "")):
        await nosy.press_token(forged)
        assert "кнопка уже неактуальна" in nosy.text
        assert "Секретный вопрос" not in nosy.text
    await nosy.press_token(public_payload(RATE, f"{number}.0"))  # someone else's answer's button
    assert "Такого обращения у вас нет" in nosy.text
    await nosy.press_token(public_payload(REPLY, str(number)))
    assert "Такого обращения у вас нет" in nosy.text
    async with database.engine.connect() as connection:
        assert (await connection.execute(select(feedback_tickets.c.rating))).scalar() is None


async def test_a_revoked_operators_next_press_is_refused(client_factory, database):
    person = client_factory("p8")
    await consent_adult(person)
    number = await write_ticket(person, "Когда ярмарка вакансий?")
    op = await operator(client_factory, database)
    await op.send("/operator")
    await op.press("Обращения")
    await database.broadcasts.revoke_operator("test", "op1", by="test")
    await op.press(f"Обращение №{number}")
    assert "кнопка уже неактуальна" in op.text
    assert "ярмарка" not in op.text
    await database.broadcasts.grant_operator("test", "op1", by="test")
    await op.send("/operator")
    await op.press("Обращения")
    await op.press(f"Обращение №{number}")
    await op.press("Ответить")
    await database.broadcasts.revoke_operator("test", "op1", by="test")
    await op.send("Ярмарка в субботу")  # typed after the revocation: not sent, and said so
    assert await queued(database) == []
    assert "Ответ не отправлен" in op.text


async def test_two_misunderstood_messages_offer_a_human(client_factory):
    person = client_factory("p9")
    await consent_adult(person)
    await person.send("/menu")
    await person.send("фыва олдж")
    assert "Не то?" in person.text
    await person.send("йцук енгш")
    assert "Похоже, я не могу помочь сам" in person.text
    await person.press("Уведомления")  # something else in between: the row starts again
    await person.send("фыва олдж")
    assert "Не то?" in person.text
    await person.send("йцук енгш")
    assert "Похоже, я не могу помочь сам" in person.text
    await person.press("Передать вопрос человеку")
    assert "прочитает сотрудник" in person.text


async def test_asking_for_a_human_in_free_text_opens_a_ticket(database, clock):
    parse = Parse("operator", 0.95, (IntentScore("operator", 0.95),))
    engine = build_engine(database, database.conversations, clock, nlu=Scripted(parse))
    person = DialogClient(engine, "p10")
    await consent_adult(person)
    await person.send("/menu")
    await person.send("позовите живого человека")
    assert "прочитает сотрудник" in person.text


async def test_nothing_written_in_a_ticket_reaches_the_logs(client_factory, database, caplog):
    caplog.set_level(logging.DEBUG)
    person = client_factory("p11")
    await consent_adult(person)
    number = await write_ticket(person, "Мой адрес улица Тайная дом 7")
    op = await operator(client_factory, database)
    await op.send("/operator")
    await op.press("Обращения")
    await op.press(f"Обращение №{number}")
    await op.press("Ответить")
    await op.send("Ответ с секретным словом Абракадабра")
    await person.press_token(public_payload(RATE, f"{number}.0"))
    await person.send("Комментарий про Тайную улицу")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in ("Тайная", "Тайную", "Абракадабра"):
        assert secret not in logged


async def test_an_eleventh_message_is_not_silently_dropped(client_factory, database):
    person = client_factory("p12")
    await consent_adult(person)
    await person.send("/feedback")
    for number in range(1, 11):
        await person.send(f"Часть {number}")
    assert "Записал (10)" in person.text
    await person.send("Часть 11")
    assert "Записал" not in person.text  # not pretending the 11th was kept
    assert "10 сообщений" in person.text
    await person.press("Вопрос")
    await person.press("Да")
    assert "принято" in person.text
    async with database.engine.connect() as connection:
        texts = (await connection.execute(select(feedback_messages.c.text))).scalars().all()
    assert len(texts) == 10
    assert "Часть 11" not in texts


async def test_a_stale_answer_button_says_so_before_asking_for_the_text(client_factory, database):
    person = client_factory("p13")
    await consent_adult(person)
    first_ticket = await write_ticket(person, "Где взять справку?")
    first = await operator(client_factory, database, "op1")
    second = await operator(client_factory, database, "op2")
    for op in (first, second):
        await op.send("/operator")
        await op.press("Обращения")
        await op.press(f"Обращение №{first_ticket}")
    await first.press("Взять")
    await second.press("Ответить")  # an old screen: the ticket is another operator's now
    assert "уже взял другой оператор" in second.text
    assert "Напишите ответ" not in second.text
    await first.press("Закрыть")
    await second.send("/operator")
    await second.press("Обращения")
    assert f"№{first_ticket}" not in second.text

    second_ticket = await write_ticket(person, "И ещё вопрос")
    await second.send("/operator")
    await second.press("Обращения")
    await second.press(f"Обращение №{second_ticket}")
    await first.send("/operator")
    await first.press("Обращения")
    await first.press(f"Обращение №{second_ticket}")
    await first.press("Закрыть")
    await second.press("Ответить")  # closed meanwhile
    assert f"Обращение №{second_ticket} закрыто" in second.text
    assert "Напишите ответ" not in second.text


async def test_a_ticket_without_an_answer_cannot_be_rated(client_factory, database):
    person = client_factory("p14")
    await consent_adult(person, "pupil", "15")
    number = await write_ticket(person, "Вопрос школьника")
    await person.press_token(public_payload(RATE, f"{number}.1"))  # forged: nothing answered yet
    assert "Спасибо за оценку" not in person.text
    assert "после ответа центра" in person.text
    async with database.engine.connect() as connection:
        assert (await connection.execute(select(feedback_tickets.c.rating))).scalar() is None


async def test_an_operator_typing_a_button_label_sends_nothing(client_factory, database):
    person = client_factory("p15")
    await consent_adult(person)
    number = await write_ticket(person, "Как записаться?")
    op = await operator(client_factory, database)
    await op.send("/operator")
    await op.press("Обращения")
    await op.press(f"Обращение №{number}")
    await op.press("Ответить")
    await op.send("◀ К обращениям")  # a button's label typed (or sent by a messenger's keyboard)
    assert "кнопк" in op.text
    assert await queued(database) == []
    await op.send("Через «Профтуры» в меню")
    assert "отправлен" in op.text


async def test_text_added_to_a_ticket_the_centre_closed_meanwhile_starts_a_new_one(client_factory, database):
    person = client_factory("p16")
    await consent_adult(person)
    number = await write_ticket(person, "Когда профтур на завод?")
    await person.press("Дописать")
    op = await operator(client_factory, database)
    await op.send("/operator")
    await op.press("Обращения")
    await op.press(f"Обращение №{number}")
    await op.press("Закрыть")
    async with database.engine.connect() as connection:
        told = (await connection.execute(select(outbox.c.key, outbox.c.text))).all()
    assert [(row.key, row.text) for row in told] == [
        (f"feedback-closed:{number}|test", closed_notice(number))
    ]
    await person.send("И можно ли взять друга?")
    assert f"Обращение №{number} уже закрыто" in person.text
    assert "новым обращением" in person.text  # what was typed is kept, not lost
    await person.press("Вопрос")
    await person.press("Нет")
    assert f"Обращение №{number + 1} принято" in person.text
    async with database.engine.connect() as connection:
        texts = (await connection.execute(select(feedback_messages.c.text))).scalars().all()
    assert "И можно ли взять друга?" in texts


async def test_a_long_text_is_asked_in_parts_and_the_ticket_says_who_answers(client_factory, database):
    person = client_factory("p17")
    await consent_adult(person)
    await person.send("/feedback")
    await person.send("очень длинно " * 200)
    assert "Отправьте текст частями" in person.text
    number = await write_ticket(person, "Первая часть", "Вторая часть")
    op = await operator(client_factory, database)
    await op.send("/operator")
    await op.press("Обращения")
    await op.press(f"Обращение №{number}")
    assert "Никто из операторов ещё не взял." in op.text
    await op.press("Взять")
    assert "Взято вами." in op.text


async def test_typing_at_the_share_question_keeps_the_draft(client_factory, database):
    person = client_factory("p18")
    await consent_adult(person)
    await person.send("/feedback")
    await person.send("Хочу узнать про стажировки")
    await person.press("Вопрос")
    await person.send("ну не знаю")  # neither yes nor no: asked again, nothing lost
    assert "Обращение пока не отправлено" in person.text
    assert "Не то?" not in person.text
    await person.send("да")
    assert "принято" in person.text
    number = int(person.text.split("№")[1].split(" ")[0])
    op = await operator(client_factory, database)
    await op.send("/operator")
    await op.press("Обращения")
    await op.press(f"Обращение №{number}")
    assert "Хочу узнать про стажировки" in op.text
    assert "Роль: Выпускник" in op.text  # the typed «да» shares, as the button does


async def test_a_full_inbox_says_more_tickets_wait(client_factory, database):
    records = database.records
    for number in range(21):
        person = await records.identify("test", f"many{number}", f"many{number}")
        await records.choose_role(person.id, Role.GRADUATE, AgeBand.ADULT)
        await records.give_own_consent(person.id, version="v1", channel="test")
        await database.feedback.open_ticket(person.id, Topic.QUESTION, [f"Вопрос {number}"], shared=False)
    op = await operator(client_factory, database)
    await op.send("/operator")
    await op.press("Обращения")
    assert "Показаны 20 самых старых" in op.text
    assert "№1 " in op.text
    assert "№21 " not in op.text
