"""The operator's desk through DialogClient: campaigns, planned works, emergencies, and the role guard."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from backend_client.broadcasts import CLI, Audience, CampaignDraft, CampaignKind
from backend_client.sql.tables import outbox
from tests.flows.conftest import PUPIL_PROFILE, choose_role, consent_adult, fill_rest

DESK = "Пульт оператора"


async def operator(client_factory, database, account: str = "op1"):
    client = client_factory(account)
    await consent_adult(client)
    await database.broadcasts.grant_operator("test", account, by="test")
    return client


async def plan_works(op, start: str, end: str, text: str) -> None:
    """Planned works from the desk: start, end, the announcement, «Объявить»."""
    await op.press("Объявить плановые работы")
    await op.send(start)
    await op.send(end)
    await op.send(text)
    await op.press("Объявить")


async def test_the_desk_does_not_exist_for_others(client_factory):
    someone = client_factory("u1")
    await consent_adult(someone)
    await someone.send("/menu")
    assert all(DESK not in label for label in someone.labels)
    await someone.send("/operator")
    assert "Такой команды" in someone.text or "не знаю" in someone.text.lower()
    assert all(DESK not in label for label in someone.labels)


async def test_a_revoked_operator_loses_the_desk_at_the_next_press(client_factory, database):
    op = await operator(client_factory, database)
    await op.send("/menu")
    await op.press(DESK)
    assert "Пульт оператора" in op.text
    await database.broadcasts.revoke_operator("test", "op1", by="test")
    await op.press("Новая рассылка")
    assert "Пульт" not in op.text
    assert await database.broadcasts.recent_campaigns(CLI) == []


async def test_a_campaign_is_composed_previewed_sent_and_stopped(client_factory, database):
    for n in range(3):
        await consent_adult(client_factory(f"u{n}"), role="graduate")
    op = await operator(client_factory, database)
    await op.send("/operator")
    await op.press("Новая рассылка")
    await op.send("Ярмарка вакансий в субботу в 11:00, ДК «Звезда».")
    assert "Получателей сейчас: 4" in op.text  # three graduates and the operator
    await op.press("Выпускник")
    assert "Получателей сейчас: 4" in op.text
    await op.press("Школьник")
    await op.press("Выпускник")
    assert "Получателей сейчас: 0" in op.text
    await op.press("Сбросить фильтры")
    await op.press("Далее")
    await op.press("Сейчас")
    assert "Ярмарка вакансий" in op.text
    assert "получателей: 4" in op.text
    await op.press("Отправить")
    assert "Рассылка №1 создана" in op.text
    assert await database.broadcasts.start_due_campaigns() == [1]
    await op.press("Рассылки и статистика")
    await op.press("рассылка · отправляется")
    assert "Получателей: 4" in op.text
    assert "В очереди: 4" in op.text
    await op.press("Остановить рассылку")
    assert "снято сообщений: 4" in op.text
    assert "Отменено или устарело: 4" in op.text


async def test_a_campaign_can_be_scheduled_and_bad_times_are_explained(client_factory, database):
    op = await operator(client_factory, database)  # the clock says Tuesday 1 September 2026, 13:00
    await op.send("/operator")
    await op.press("Новая рассылка")
    await op.send("Новость")
    await op.press("Далее")
    await op.press("Запланировать")
    await op.send("завтра вечером")
    assert "Не понял дату" in op.text
    await op.send("01.09 10:00")  # earlier today: gone, and not taken for next year
    assert "01.09.2026 10:00 уже прошло" in op.text
    await op.send("01.09.2025 10:00")
    assert "01.09.2025 10:00 уже прошло" in op.text
    await op.send("31.08 10:00")  # a day already gone this year is asked back, never moved silently
    assert "31.08 10:00 в этом году уже прошло. Вы имели в виду 31.08.2027 10:00?" in op.text
    await op.press("Нет, введу заново")
    assert "Когда отправить?" in op.text
    await op.send("31.08 10:00")
    await op.press("Да, 31.08.2027 10:00")
    assert "Когда: 31.08.2027 10:00" in op.text
    await op.press("Отправить")
    [campaign] = await database.broadcasts.recent_campaigns(CLI)
    assert campaign.not_before.year == 2027


async def test_a_date_gone_this_year_is_asked_back_for_planned_works_too(client_factory, database):
    op = await operator(client_factory, database)
    await op.send("/operator")
    await op.press("Объявить плановые работы")
    await op.send("01.08 22:00")
    assert "Вы имели в виду 01.08.2027 22:00?" in op.text
    await op.press("Да, 01.08.2027 22:00")
    assert "Когда закончатся?" in op.text
    await op.send("02.08.2027 02:00")
    assert "что будет недоступно?" in op.text


async def test_planned_works_need_three_working_days(client_factory, database):
    op = await operator(client_factory, database)  # the clock says Tuesday 1 September, 13:00 in Samara
    await op.send("/operator")
    await op.press("Объявить плановые работы")
    await op.send("04.09 22:00")
    await op.send("05.09 02:00")
    await op.send("Запись на профтуры будет недоступна.")
    assert "Запись на профтуры будет недоступна" in op.text
    await op.press("Объявить")
    assert "минимум за 3 полных рабочих дня" in op.text
    assert "05.09.2026" in op.text  # Wednesday, Thursday and Friday lie between
    await plan_works(op, "05.09 22:00", "06.09 02:00", "Запись на профтуры будет недоступна.")
    assert "объявлены" in op.text
    assert len(await database.broadcasts.system_messages()) == 1


async def test_everyone_reads_system_messages_from_the_menu_and_operators_call_works_off(
    client_factory, database
):
    op = await operator(client_factory, database)
    reader = client_factory("u1")
    await consent_adult(reader)
    await reader.send("/menu")
    await reader.press("Сообщения системы")
    assert "сообщений системы нет" in reader.text
    await op.send("/operator")
    await op.press("Аварийное сообщение")
    await op.send("Сбой входа через Госуслуги, чиним.")
    assert "Сбой входа" in op.text
    await op.press("Разослать всем сейчас")
    assert "отправляется" in op.text
    await reader.send("/menu")
    await reader.press("Сообщения системы")
    assert "🚨 Аварийное сообщение: Сбой входа через Госуслуги" in reader.text


async def test_the_test_report_has_no_personal_data(client_factory, database):
    op = await operator(client_factory, database)
    await op.send("/operator")
    await op.press("Отчёт по тестам")
    assert "Охват тестированием учеников 8–9 классов: 0 из 0" in op.text


async def test_a_forged_button_is_a_stale_one(client_factory):
    someone = client_factory("u9")
    await consent_adult(someone)
    await someone.press_token("AAAAAAAA")
    assert "неактуальна" in someone.text
    assert all(DESK not in label for label in someone.labels)


async def test_filters_by_town_grade_and_school_narrow_the_audience(client_factory, database):
    pupil = client_factory("p1")
    await choose_role(pupil, "pupil", "15")
    await pupil.press("Согласен")
    await fill_rest(pupil, PUPIL_PROFILE)  # Самара, «Школа № 12», 9th grade
    op = await operator(client_factory, database)
    await op.send("/operator")
    await op.press("Новая рассылка")
    await op.send("Профтур на завод")
    assert "Получателей сейчас: 2" in op.text
    await op.press("Муниципалитет")
    await op.send("Марсово")
    assert "Не нашёл" in op.text
    await op.send("в Самаре")
    assert "Самара" in op.text
    assert "Получателей сейчас: 1" in op.text
    await op.press("Класс или курс")
    await op.send("8")
    assert "Получателей сейчас: 0" in op.text
    await op.press("Класс или курс")
    await op.send("8, 9")
    assert "классы: 8, 9" in op.text
    assert "Получателей сейчас: 1" in op.text
    await op.press("Учебное заведение")
    await op.send("Школа № 12")
    assert "Получателей сейчас: 1" in op.text


async def test_planned_works_are_called_off_from_the_desk(client_factory, database):
    op = await operator(client_factory, database)
    await op.send("/operator")
    await plan_works(op, "07.09 22:00", "08.09 02:00", "Личный кабинет недоступен.")
    await op.press("Сообщения системы")
    assert "Личный кабинет недоступен" in op.text
    await op.press("Отменить работы")
    assert "Работы отменены" in op.text
    assert await database.broadcasts.system_messages() == []


async def settle(database) -> None:
    """What a relay does with every due row: sent and recorded as delivered."""
    outbox = database.outbox
    while rows := await outbox.claim(owner="t", limit=100, lease=timedelta(minutes=2)):
        for row in rows:
            assert await outbox.start_sending(row.id, owner="t")
            await outbox.delivered(row.id, owner="t", sent_message_id=None)


async def outbox_texts(database) -> list[str]:
    async with database.engine.connect() as connection:
        return list((await connection.execute(select(outbox.c.text))).scalars())


async def test_withdrawing_an_emergency_never_says_planned_works_were_cancelled(client_factory, database):
    op = await operator(client_factory, database)
    for n in range(4):
        await consent_adult(client_factory(f"u{n}"))
    await op.send("/operator")
    await op.press("Аварийное сообщение")
    await op.send("Сбой входа через Госуслуги, чиним.")
    await op.press("Разослать всем сейчас")
    assert await database.broadcasts.start_due_campaigns() == [1]
    await op.press("Сообщения системы")
    assert "⛔ Отменить работы №1" not in op.labels
    await op.press("Снять аварийное №1 без сообщения")
    assert "никому ничего не уйдёт" in op.text
    texts = await outbox_texts(database)
    assert len(texts) == 5
    assert all(text.startswith("🚨 Аварийное сообщение") for text in texts)
    assert await database.broadcasts.start_due_campaigns() == []
    assert await database.outbox.counts() == {"cancelled": 5}  # nothing had gone out yet
    assert await database.broadcasts.system_messages() == []


async def test_an_emergency_is_resolved_with_a_notice_when_the_operator_asks(client_factory, database):
    op = await operator(client_factory, database)
    await consent_adult(client_factory("u1"))
    await op.send("/operator")
    await op.press("Аварийное сообщение")
    await op.send("Сбой входа через Госуслуги, чиним.")
    await op.press("Разослать всем сейчас")
    await database.broadcasts.start_due_campaigns()
    await settle(database)
    await op.press("Сообщения системы")
    await op.press("Неполадка №1 устранена")
    assert "Неполадка устранена" in op.text
    await database.broadcasts.start_due_campaigns()
    texts = await outbox_texts(database)
    assert sum(text.startswith("✅ Неполадка устранена") for text in texts) == 2
    assert not any("плановые работы" in text.lower() for text in texts)


async def test_system_messages_have_one_number_and_honest_figures(client_factory, database, clock):
    for n in range(2):
        await consent_adult(client_factory(f"u{n}"))
    refused = client_factory("u9")
    await choose_role(refused, "graduate", "22")
    await refused.press("Не согласен")  # no consent: news skips them, system messages do not
    op = await operator(client_factory, database)
    await database.broadcasts.create_campaign(
        CLI, CampaignDraft(CampaignKind.NEWS, "Новость", Audience(), clock.now())
    )  # campaign №1, so the works' campaigns are №2–4 while the works are №1
    await op.send("/operator")
    await plan_works(op, "07.09 22:00", "08.09 02:00", "Личный кабинет недоступен.")
    assert "Плановые работы №1 объявлены" in op.text
    await op.press("Аварийное сообщение")
    await op.send("Сбой входа")
    await op.press("Разослать всем сейчас")
    assert "Аварийное сообщение №2 отправляется" in op.text
    assert sorted(await database.broadcasts.start_due_campaigns()) == [1, 2, 5]
    await op.press("Рассылки и статистика")
    labels = " | ".join(op.labels)
    assert "Плановые работы №1: объявление · отправляется" in labels
    assert "Плановые работы №1: напоминание накануне · запланирована" in labels
    assert "Аварийное сообщение №2: рассылка всем · отправляется" in labels
    assert "№2 · плановые работы" not in labels
    await op.press("Аварийное сообщение №2")
    assert op.text.startswith("Аварийное сообщение №2 (рассылка всем), отправляется")
    assert "всем пользователям, кто не заблокировал бота" in op.text
    assert "всем, кто дал согласие" not in op.text
    assert "Получателей: 4" in op.text  # the operator, two graduates and the one who did not consent
    await settle(database)
    await op.press("Обновить")
    assert op.text.startswith("Аварийное сообщение №2 (рассылка всем), завершена")
    assert "Доставлено: 4" in op.text
    assert "Остановить рассылку" not in " ".join(op.labels)
    await op.press("Рассылки и статистика")
    assert "Рассылка №1" not in " ".join(op.labels)
    assert "№1 · рассылка · завершена" in " | ".join(op.labels)
