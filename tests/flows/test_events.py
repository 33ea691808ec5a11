"""«Профтуры и профпробы» through DialogClient: list, card, sign up, «Мои записи», cancel, consent,
a place taken meanwhile, paging, free text and stale buttons."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend_client.broadcasts import CLI
from backend_client.events import EventAudience, EventDraft, EventKind
from backend_client.models import Role
from bot.wiring import build_engine
from dialogs.intents import Confidence
from dialogs.testing import DialogClient
from nlu.types import Entity, IntentScore, Parse
from tests.flows.conftest import PUPIL_PROFILE, choose_role, consent_adult, fill_rest
from tests.flows.test_understanding import Scripted

SAMARA, TOGLIATTI = "36401", "36440"


def draft(clock, title: str, *, days: int = 2, place: str = SAMARA, capacity: int = 10, **audience):
    # The clock starts on Tuesday 2026-09-01 09:00 UTC (13:00 in Samara); events start at 10:00 local.
    start = (clock.now() + timedelta(days=days)).replace(hour=6, minute=0)
    return EventDraft(
        kind=EventKind.EXCURSION,
        title=title,
        organisation="Завод «Прогресс»",
        municipality=place,
        address="ул. Заводская, 1",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=capacity,
        audience=EventAudience(**audience),
    )


async def pupil(client: DialogClient) -> None:
    await choose_role(client, "pupil", "15")
    await client.press("Согласен")
    await fill_rest(client, PUPIL_PROFILE)  # Самара, grade 9
    await client.send("/menu")


async def test_sign_up_see_it_in_my_records_and_cancel(client, records, clock):
    await records.create_event(CLI, draft(clock, "Профтур в Тольятти", days=1, place=TOGLIATTI))
    home = await records.create_event(CLI, draft(clock, "Профтур на авиазавод", days=3, capacity=5))
    await records.create_event(CLI, draft(clock, "Только для студентов", roles=(Role.COLLEGE_STUDENT,)))
    await pupil(client)
    await client.press("Профтуры и профпробы")
    text = client.text
    assert "Профтуры и профпробы — ближайшие" in text
    assert text.index("Профтур на авиазавод") < text.index("Профтур в Тольятти")  # own town first
    assert "04.09, 10:00 · Самара" in text
    assert "Только для студентов" not in text
    await client.press("1. Профтур на авиазавод")
    card = client.text
    assert "Когда: пт, 4 сентября, 10:00–12:00 (время самарское)" in card
    assert "Где: г. о. Самара, ул. Заводская, 1" in card
    assert "Свободных мест: 5 из 5" in card
    await client.press("Записаться")
    assert "вы записаны" in client.text
    assert "Свободных мест: 4 из 5" in client.text
    assert "✅ Вы записаны." in client.text
    assert "Записаться" not in " ".join(client.labels)
    person = await records.identify("test", client.account_id, client.account_id)
    assert [s.event.id for s in await records.signups_of(person.id)] == [home.id]
    await client.press("Мои записи")
    assert "04.09, 10:00 · Профтур: Профтур на авиазавод" in client.text
    await client.press("1. Профтур на авиазавод")
    await client.press("Отменить запись")
    assert "Отменить запись на «Профтур на авиазавод»?" in client.text
    await client.press("Да, отменить запись")
    assert "Запись отменена" in client.text
    assert "Свободных мест: 5 из 5" in client.text
    assert await records.signups_of(person.id) == []
    await client.press("Мои записи")
    assert "пока нет записей" in client.text
    await client.send("/mydata")
    assert "Записи на профтуры и профпробы: действующих 0, всего 1" in client.text


async def test_without_consent_the_catalogue_shows_but_signing_up_asks_for_consent(database, clock):
    records = database.records
    await records.create_event(CLI, draft(clock, "Профпроба «Повар»"))
    wants_events = Scripted(Parse("events", 0.9, (IntentScore("events", 0.9),)))
    talk = DialogClient(
        build_engine(database, database.conversations, clock, nlu=wants_events, confidence=Confidence()), "nc"
    )
    await choose_role(talk, "pupil", "15")
    await talk.press("Не согласен")
    await talk.send("/menu")
    assert "Профтуры и профпробы" not in " ".join(talk.labels)  # the menu offers consent first
    await talk.send("какие есть профтуры")
    assert "Профпроба «Повар»" in talk.text
    assert "Мои записи" not in " ".join(talk.labels)
    await talk.press("1. Профпроба")
    await talk.press("Записаться")
    assert "только после согласия" in talk.text
    assert "Дать согласие" in " ".join(talk.labels)
    person = await records.identify("test", "nc", "nc")
    assert await records.signups_of(person.id, active_only=False) == []


async def test_the_last_place_taken_meanwhile(client_factory, records, clock):
    event = await records.create_event(CLI, draft(clock, "Профпроба «Сварщик»", capacity=1))
    first, second = client_factory("a"), client_factory("b")
    for client in (first, second):
        await pupil(client)
        await client.press("Профтуры и профпробы")
        await client.press("1. Профпроба")
    await first.press("Записаться")
    assert "вы записаны" in first.text
    await second.press("Записаться")  # the card was opened while a place was free
    assert "места только что закончились" in second.text
    assert "Записаться" not in " ".join(second.labels)
    assert (await records.event(event.id)).taken == 1


async def test_pages_of_five(client, records, clock):
    for number in range(7):
        await records.create_event(CLI, draft(clock, f"Событие {number + 1}", days=number + 1))
    await pupil(client)
    await client.press("Профтуры и профпробы")
    assert "5. " in client.text
    assert "6. " not in client.text
    await client.press("Ещё")
    assert "6. " in client.text
    assert "7. " in client.text
    assert "Ещё" not in " ".join(client.labels)
    await client.press("Назад")
    assert "1. " in client.text


async def test_stale_buttons_change_nothing(client, records, clock):
    await records.create_event(CLI, draft(clock, "Профтур"))
    await pupil(client)
    await client.press("Профтуры и профпробы")
    await client.press("1. Профтур")
    join = client.button("Записаться")
    await client.press("Все мероприятия")
    await client.press_token(join.payload)
    assert "кнопка уже неактуальна" in client.text
    person = await records.identify("test", client.account_id, client.account_id)
    assert await records.signups_of(person.id) == []


async def test_graduates_find_the_events_that_list_them_in_the_menu(client, records, clock):
    await records.create_event(CLI, draft(clock, "Профпроба для выпускников", roles=(Role.GRADUATE,)))
    await consent_adult(client)  # a graduate, 22
    await client.send("/menu")
    await client.press("Профтуры и профпробы")
    assert "Профпроба для выпускников" in client.text
    assert "Для кого: выпускники" in (await client.press("1. Профпроба")).texts[0]


@pytest.mark.parametrize(
    ("intent", "entities", "expected"),
    [
        (
            "events",
            (Entity("municipality", "Тольятти", 0, 8), Entity("date", "tomorrow", 9, 15)),
            "Тольятти, 2 сентября",
        ),
        ("event_signup", (), "ближайшие"),
        ("my_registrations", (), "пока нет записей"),
        ("cancel_registration", (), "пока нет записей"),
    ],
)
async def test_free_text_opens_the_events(database, clock, intent, entities, expected):
    records = database.records
    await records.create_event(CLI, draft(clock, "Завтра в Тольятти", days=1, place=TOGLIATTI))
    await records.create_event(CLI, draft(clock, "Послезавтра в Самаре", days=2))
    scripted = Scripted(Parse(intent, 0.9, (IntentScore(intent, 0.9),), entities))
    client = DialogClient(
        build_engine(database, database.conversations, clock, nlu=scripted, confidence=Confidence()), "nlu-ev"
    )
    await pupil(client)
    await client.send("хочу на профтур")
    assert expected in client.text
    if intent == "events":
        assert "Завтра в Тольятти" in client.text
        assert "Послезавтра в Самаре" not in client.text


async def test_a_parent_asking_for_profturs_in_a_town_sees_the_childrens_events(database, clock):
    records = database.records
    await records.create_event(
        CLI, draft(clock, "Профтур для девятиклассников", place=TOGLIATTI, roles=(Role.PUPIL,))
    )
    entities = (Entity("municipality", "Тольятти", 0, 8),)
    scripted = Scripted(Parse("events", 0.9, (IntentScore("events", 0.9),), entities))
    parent = DialogClient(build_engine(database, database.conversations, clock, nlu=scripted), "mum-events")
    await consent_adult(parent, "parent", "41")
    await fill_rest(parent, ("Елена", "Самара"))
    await parent.send("какие профтуры есть в Тольятти")
    assert "Профтур для девятиклассников" in parent.text
    await parent.press("1. Профтур")
    assert "Записаться может сам участник" in parent.text
    assert "Записаться" not in " ".join(parent.labels)


async def test_an_event_card_names_the_configured_zone(database, clock):
    from zoneinfo import ZoneInfo

    records = database.records
    await records.create_event(CLI, draft(clock, "Профтур на авиазавод"))
    for zone, said in (("Europe/Moscow", "(время московское)"), ("Asia/Yekaterinburg", "(местное время)")):
        engine = build_engine(database, database.conversations, clock, timezone=ZoneInfo(zone))
        client = DialogClient(engine, f"zone-{zone}")
        await pupil(client)
        await client.press("Профтуры и профпробы")
        await client.press("1. Профтур на авиазавод")
        assert said in client.text
        assert "самарское" not in client.text
