"""The operators' ``/plan`` as transcripts: a step recorded once for the person behind an account, the
plan listed, a step closed and moved; bad dates, unknown or erased people get a clear answer and nothing
is written; to everyone else the command does not exist."""

from __future__ import annotations

from datetime import date

from dialogs.testing import DialogClient
from tests.flows.conftest import consent_adult, fill_rest


async def people(client_factory, database) -> tuple[DialogClient, DialogClient, int]:
    """An operator's chat and a consenting graduate's (account ``test:1001``)."""
    operator, person = client_factory("op"), client_factory("1001")
    await database.broadcasts.grant_operator("test", "op", by="test")
    await consent_adult(person, "graduate", "22")
    await fill_rest(person, ("Олег", "Кинель", "СамГТУ", "Информатика"))
    found = await database.records.identify("test", "1001", "1001")
    return operator, person, int(found.id)


async def test_an_operator_records_lists_closes_and_moves_steps(client_factory, database):
    operator, person, person_id = await people(client_factory, database)
    await operator.send("/plan")
    assert "/plan КАНАЛ:ID ДД.ММ.ГГГГ" in operator.text
    await operator.send("/plan test:1001 20.09.2026 Отправить резюме на hh.ru; сайт hh.ru")
    assert "Шаг №1 записан: «Отправить резюме на hh.ru» до 20 сентября" in operator.text
    await operator.send("/plan test:1001 20.09.2026 Отправить резюме на hh.ru; сайт hh.ru")
    assert "Такой шаг уже есть (№1)" in operator.text
    await operator.send("/plan test:1001 05.09.2026 Прийти в ЦЗН")
    visit = operator.text.partition("№")[2].partition(" ")[0]  # PostgreSQL's ids may skip a number
    await operator.send("/plan test:1001")
    assert operator.text.splitlines() == [
        "План test:1001:",
        f"№{visit} · в работе · до 5 сентября · Прийти в ЦЗН",
        "№1 · в работе · до 20 сентября · Отправить резюме на hh.ru",
    ]
    await operator.send(f"/plan move {visit} 07.09.2026")
    assert operator.text == f"№{visit} · в работе · до 7 сентября · Прийти в ЦЗН"
    await operator.send(f"/plan done {visit}")
    assert operator.text == f"№{visit} · сделано · до 7 сентября · Прийти в ЦЗН"
    await operator.send(f"/plan move {visit} 10.09.2026")
    assert operator.text == "Этот шаг уже сделан — переносить его не нужно."
    steps = await database.plans.plan_of(person_id)
    assert [(s.text, s.place, s.due_on, s.done) for s in steps] == [
        ("Прийти в ЦЗН", "", date(2026, 9, 7), True),
        ("Отправить резюме на hh.ru", "сайт hh.ru", date(2026, 9, 20), False),
    ]
    await person.send("/menu")
    await person.press("Мой план")
    assert "2. Отправить резюме на hh.ru — до 20 сентября (сайт hh.ru)" in person.text


async def test_bad_input_gets_a_clear_answer_and_writes_nothing(client_factory, database):
    operator, _, person_id = await people(client_factory, database)
    answers = {
        "/plan test:1001 31.02.2026 Резюме": "Не понял срок «31.02.2026»",
        "/plan test:1001 завтра Резюме": "Не понял срок «завтра»",
        "/plan test:1001 01.08.2026 Резюме": "Срок уже прошёл",
        "/plan test:1001 20.09.2026": "Текст шага пустой",
        "/plan test:1001 20.09.2026 " + "очень " * 60: "длиннее 300 символов",
        "/plan 1001 20.09.2026 Резюме": "Укажите аккаунт как КАНАЛ:ID",
        "/plan test:nobody 20.09.2026 Резюме": "Человек test:nobody не найден",
        "/plan done x": "/plan КАНАЛ:ID",
        "/plan done 999": "не найден",
        "/plan move 999 20.09.2026": "не найден",
    }
    for command, answer in answers.items():
        await operator.send(command)
        assert answer in operator.text, command
    assert await database.plans.plan_of(person_id) == []


async def test_a_step_for_someone_who_erased_their_data(client_factory, database):
    operator, person, person_id = await people(client_factory, database)
    await operator.send("/plan test:1001 20.09.2026 Резюме")
    await person.send("/mydata")
    await person.press("Удалить мои данные")
    await person.press("Да, удалить")
    await operator.send("/plan test:1001 21.09.2026 Прийти в ЦЗН")
    assert (
        "не найден: такого аккаунта нет или человек удалил свои данные. Ничего не записано." in operator.text
    )
    await operator.send("/plan test:1001")
    assert "не найден" in operator.text
    assert "Ничего не записано" not in operator.text  # only looking: nothing was being written
    assert await database.plans.plan_of(person_id) == []


async def test_no_consent_no_plan(client_factory, database):
    operator, silent = client_factory("op"), client_factory("2002")
    await database.broadcasts.grant_operator("test", "op", by="test")
    await silent.send("/start")
    await silent.press("Выпускник")
    await silent.send("22")
    await operator.send("/plan test:2002 20.09.2026 Резюме")
    assert "нет согласия на обработку данных" in operator.text
    await operator.send("/plan test:2002")
    assert operator.text == "У test:2002 нет согласия на обработку данных — план не хранится."


async def test_the_command_does_not_exist_for_others_and_stops_at_revocation(client_factory, database):
    operator, person, person_id = await people(client_factory, database)
    await person.send("/plan test:1001 20.09.2026 Сам себе шаг")
    assert "Такой команды я не знаю" in person.text
    await database.broadcasts.revoke_operator("test", "op", by="test")
    await operator.send("/plan test:1001 20.09.2026 Резюме")
    assert await database.plans.plan_of(person_id) == []
    assert operator.text == person.text


async def test_the_usage_names_done_and_move_and_a_move_without_a_date_shows_it(client_factory, database):
    """Found walking the issue: ``/plan move 7`` answered «Не понял срок «»», and the usage never named
    ``/plan done`` and ``/plan move``."""
    operator, _, _ = await people(client_factory, database)
    await operator.send("/plan")
    assert "/plan done НОМЕР" in operator.text
    assert "/plan move НОМЕР ДД.ММ.ГГГГ" in operator.text
    await operator.send("/plan move 7")
    assert "«»" not in operator.text
    assert "/plan move НОМЕР ДД.ММ.ГГГГ" in operator.text


async def test_no_plan_for_a_pupil_or_a_parent(client_factory, database):
    """Found walking the issue: an operator could record a step for a 15-year-old pupil or a parent (a
    mistyped account), told «Человек увидит его в «Мой план»» — a menu those roles do not have — and the
    person got deadline reminders meant for a graduate."""
    operator = client_factory("op")
    await database.broadcasts.grant_operator("test", "op", by="test")
    young, parent = client_factory("3003"), client_factory("4004")
    await consent_adult(young, "pupil", "15")  # a pupil's own consent at 15
    await consent_adult(parent, "parent", "40")
    for account in ("3003", "4004"):
        await operator.send(f"/plan test:{account} 20.09.2026 Отправить резюме")
        assert "только студентам и выпускникам" in operator.text
        assert "Шаг №" not in operator.text
        found = await database.records.identify("test", account, account)
        assert await database.plans.plan_of(int(found.id)) == []
