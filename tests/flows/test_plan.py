"""«Мой план» and the check-ins as transcripts, on SQLite and PostgreSQL: the person sees the steps the
centre agreed, marks them done once (from the plan or under a reminder), gives a graduation date and
answers a check-in in two taps; forged and other people's buttons find nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest

from backend_client.broadcasts import CLI
from backend_client.plans import StepDraft
from bot.wiring import build_engine
from dialogs.context import Ctx
from dialogs.flow import Flow, on_press
from dialogs.testing import DialogClient
from dialogs.ui import public_payload
from tests.flows.conftest import consent_adult, fill_rest

TODAY = date(2026, 9, 1)  # the manual clock's day in Samara
GRADUATE = ("Олег", "Кинель", "СамГТУ", "Информатика")


async def graduate(client: DialogClient) -> int:
    await consent_adult(client, "graduate", "22")
    await fill_rest(client, GRADUATE)
    return await _person(client)


async def _person(client: DialogClient) -> int:
    person = await client.engine.services.records.identify(
        client.channel, client.account_id, client.account_id
    )
    return int(person.id)


async def add(database, account: str, text: str, due: date, place: str = "") -> int:
    step, _ = await database.plans.add_step(CLI, "test", account, StepDraft(text, due, place), today=TODAY)
    return step.id


async def test_the_plan_shows_the_steps_and_a_step_is_done_once(client, database):
    await graduate(client)
    await client.send("/menu")
    await client.press("Мой план")
    assert "пока нет шагов" in client.text
    await add(database, "1001", "Отправить резюме", date(2026, 9, 15), "hh.ru")
    await add(database, "1001", "Прийти в ЦЗН", date(2026, 9, 3), "Кинель, ул. Мира, 1")
    await client.send("/menu")
    await client.press("Мой план")
    assert "1. Прийти в ЦЗН — до 3 сентября (Кинель, ул. Мира, 1)" in client.text
    assert "2. Отправить резюме — до 15 сентября (hh.ru)" in client.text
    done = client.button("Сделано: 1")
    await client.press("Сделано: 1")
    assert "Отмечено: «Прийти в ЦЗН»" in client.text
    await client.press_token(done.payload)  # the same press again (a double tap): nothing more
    assert client.last.notice
    await client.press("Мой план")
    assert "1. ✅ Прийти в ЦЗН — сделано" in client.text
    assert "Сделано: 1" not in " ".join(client.labels)


async def test_done_under_a_reminder_finds_only_the_pressers_own_step(client_factory, database):
    mine, other = client_factory("1001"), client_factory("2002")
    await graduate(mine)
    await graduate(other)
    step = await add(database, "1001", "Отправить резюме", date(2026, 9, 15))
    await other.press_token(public_payload("plandone", str(step)))
    assert "не найден в вашем плане" in other.text
    await mine.press_token(public_payload("plandone", "12x"))  # forged
    assert "кнопка уже неактуальна" in mine.text
    await mine.press_token(public_payload("plandone", str(step + 500)))
    assert "не найден в вашем плане" in mine.text
    await mine.press_token(public_payload("plandone", str(step)))
    assert "Отмечено: «Отправить резюме»" in mine.text
    await mine.press_token(public_payload("plandone", str(step)))  # the reminder's button once more
    assert "уже отмечен как сделанный" in mine.text
    [kept] = await database.plans.plan_of(await _person(mine))
    assert kept.done


async def test_the_graduation_date_is_asked_back_until_it_reads(client):
    await graduate(client)
    await client.send("/menu")
    await client.press("Мой план")
    assert "Когда вы окончили" in client.text
    await client.press("Указать дату выпуска")
    for bad in ("когда-нибудь", "13.2026", "Мой план прошлым летом"):
        await client.send(bad)
        assert "Не понял дату" in client.text
    await client.send("06.1999")
    assert "не раньше 2021 и не позже 2028" in client.text
    await client.send("в июне 2026 года")
    assert "Записал: выпуск — июнь 2026" in client.text
    assert "Выпуск: июнь 2026" in client.text


async def _graduated_in_june(client: DialogClient) -> None:
    await graduate(client)
    await client.send("/menu")
    await client.press("Мой план")
    await client.press("Указать дату выпуска")
    await client.send("06.2026")


class CentreStandIn(Flow):
    """The employment-centre conversation is another room (flow ``graduate``); this stands in for it to
    show the button reaches it by name."""

    name = "graduate"

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        ctx.say("ЦЗН: вход")

    @on_press("centre")
    async def centre(self, ctx: Ctx) -> None:
        ctx.say("ЦЗН: запись на приём")


async def test_a_check_in_in_two_taps_and_those_searching_are_offered_the_centre(database, clock):
    plain = build_engine(database, database.conversations, clock)
    engine = build_engine(
        database, database.conversations, clock, flows=[*plain.flows.values(), CentreStandIn()]
    )
    client = DialogClient(engine, account_id="1001")
    await _graduated_in_june(client)
    assert "Рассказать, как дела" in " ".join(client.labels)  # three months since June have passed
    await client.press("Рассказать, как дела")
    assert client.labels[:6] == [
        "💼 Работаю",
        "📚 Учусь",
        "🎖 Служу в армии",
        "🔎 Ищу работу",
        "👶 В декрете",
        "Другое",
    ]
    await client.press("Ищу работу")
    assert "Поиск работы — это нормально" in client.text
    await client.press("Обратиться в центр занятости")
    assert client.text == "ЦЗН: запись на приём"
    [outcome] = await database.plans.outcomes_of(await _person(client))
    assert (outcome.months, outcome.status.value) == (3, "searching")


async def test_a_check_in_answer_under_the_message_is_kept_once(client):
    await _graduated_in_june(client)
    await client.press_token(public_payload("checkin", "3:working"))
    assert "Рад, что всё сложилось" in client.text
    await client.press_token(public_payload("checkin", "3:searching"))
    assert "уже записан: «💼 Работаю»" in client.text
    await client.press_token(public_payload("checkin", "12:working"))
    assert "спрашивать рано" in client.text
    await client.press_token(public_payload("checkin", "3:rich"))  # forged
    assert "кнопка уже неактуальна" in client.text
    await client.send("/menu")
    await client.press("Мой план")
    assert "Рассказать, как дела" not in " ".join(client.labels)  # settled: asked no more


async def test_without_consent_nothing_is_shown_or_kept(client, database):
    await client.send("/start")
    await client.press("Выпускник")
    await client.send("22")
    await client.press_token(public_payload("plandone", "1"))
    assert "только после согласия" in client.text
    await client.press_token(public_payload("checkin", "3:working"))
    assert "только после согласия" in client.text


async def test_my_data_and_the_export_hold_the_plan(client, database):
    await _graduated_in_june(client)
    await add(database, "1001", "Отправить резюме", date(2026, 9, 15))
    await client.press_token(public_payload("checkin", "3:searching"))
    await client.send("/mydata")
    assert "План: шагов — 1, сделано — 0; выпуск: 06.2026; ответов о трудоустройстве: 1" in client.text
    await client.press("Выгрузить")
    [document] = client.documents
    plan = json.loads(document.content)["plan"]
    assert plan["graduated_on"] == "2026-06-01"
    assert [step["text"] for step in plan["steps"]] == ["Отправить резюме"]
    assert plan["check_ins"][0]["answer"] == "searching"


@pytest.mark.parametrize("role", ["pupil", "parent", "jobseeker"])
async def test_the_plan_is_not_in_other_roles_menus(client, role):
    ages = {"pupil": "15", "parent": "40", "jobseeker": "30"}
    await consent_adult(client, role, ages[role])
    await client.send("/menu")
    assert "Мой план" not in " ".join(client.labels)


async def test_without_the_store_the_plan_says_it_is_unavailable(database, clock):
    client = DialogClient(
        build_engine(database, database.conversations, clock, plans=None), account_id="1001"
    )
    await graduate(client)
    await client.send("/menu")
    await client.press("Мой план")
    assert "«Мой план» сейчас недоступен" in client.text
    await client.press_token(public_payload("plandone", "1"))
    assert "«Мой план» сейчас недоступен" in client.text


async def test_a_check_in_answer_typed_instead_of_pressed(client, database):
    """Found walking the issue: typing «ищу работу» at the check-in opened the vacancies and kept nothing;
    now a typed answer's label counts, and other text is asked back with the answers."""
    await _graduated_in_june(client)
    await client.press("Рассказать, как дела")
    await client.send("ну так себе")
    assert "Ответьте, пожалуйста, кнопкой" in client.text
    assert "Ищу работу" in " ".join(client.labels)
    await client.send("ищу работу")
    assert "Поиск работы — это нормально" in client.text
    [outcome] = await database.plans.outcomes_of(await _person(client))
    assert (outcome.months, outcome.status.value) == (3, "searching")
