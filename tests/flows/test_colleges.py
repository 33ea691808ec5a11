"""«Колледжи и техникумы» through DialogClient: browsing by place, a card, by profession typed, from a
career result, free text, stale and forged buttons, and an empty or missing catalogue."""

from __future__ import annotations

import pytest

from backend_client.colleges.demo import demo_colleges, seed_demo_colleges
from backend_client.colleges.models import College, Program, StudyForm
from bot.wiring import build_engine
from dialogs.intents import Confidence
from dialogs.testing import DialogClient
from nlu.types import Entity, IntentScore, Parse
from tests.flows.conftest import PUPIL_PROFILE, choose_role, consent_adult, fill_rest
from tests.flows.test_career import Reader, take_klimov
from tests.flows.test_understanding import Scripted


@pytest.fixture
async def demo(database) -> None:
    assert await seed_demo_colleges(database.colleges)


async def pupil(client: DialogClient) -> None:
    await choose_role(client, "pupil", "15")
    await client.press("Согласен")
    await fill_rest(client, PUPIL_PROFILE)  # Самара, grade 9
    await client.send("/menu")


async def test_browse_near_me_a_card_and_other_places(client, demo):
    await pupil(client)
    await client.press("Колледжи и техникумы")
    assert "Где учиться после 9 или 11 класса" in client.text
    await client.press("Рядом со мной: г. о. Самара")
    text = client.text
    assert "Колледжи и техникумы — г. о. Самара:" in text
    assert (
        "Самарский машиностроительный колледж (г. о. Самара) 🤝: Технология машиностроения, Сварщик" in text
    )
    assert "Тольятти" not in text
    assert "Демонстрационный справочник" in text
    await client.press("Самарский машиностроительный колледж")
    card = client.text
    assert "🎓 Самарский машиностроительный колледж" in card
    assert "📍 г. о. Самара, ул. Учебная, 1" in card
    assert "☎️ +7 (846) 000-00-01" in card
    assert "• 15.02.16 Технология машиностроения — очная, после 9 класса, 3 г. 10 мес." in card
    assert "• 15.02.16 Технология машиностроения — заочная, после 11 класса, 3 г. 4 мес." in card
    assert "🤝 Целевое обучение: Машиностроительный завод (демо)" in card
    assert "демонстрационный справочник" in card
    await client.press("Ещё колледжи: г. о. Самара")
    assert "Колледжи и техникумы — г. о. Самара:" in client.text
    await client.press("По городам и районам")
    assert client.labels[:2] == ["г. о. Самара (5)", "г. о. Тольятти (3)"]
    await client.press("г. о. Тольятти (3)")
    assert "Тольяттинский политехнический колледж" in client.text


async def test_by_profession_typed_near_first_and_asked_again_when_unknown(client, demo):
    await pupil(client)
    await client.press("Колледжи и техникумы")
    await client.press("По профессии")
    assert "Какую профессию" in client.text
    await client.send("космонавт")
    assert "Не нашёл профессию «космонавт»" in client.text
    await client.send("на сварщика")
    text = client.text
    assert "Где учат на «Сварщик»:" in text
    assert text.index("📍 г. о. Самара:") < text.index("В других городах и районах:")
    assert text.index("Самарский машиностроительный") < text.index("Тольяттинский политехнический")
    assert "Отрадненский нефтяной техникум" in text
    assert "Технология машиностроения" not in text  # only the programmes of this profession
    await client.send("механика")  # no longer waiting: free text goes to the NLU, not this search
    await client.press("По профессии")
    await client.send("механика")
    assert "Нашлось несколько профессий" in client.text
    await client.press("Автомеханик")
    assert "Тольяттинский политехнический колледж" in client.text
    assert "таких колледжей в справочнике нет" in client.text  # none in Самара


async def test_a_profession_no_college_teaches(client, demo):
    await pupil(client)
    await client.press("Колледжи и техникумы")
    await client.press("По профессии")
    await client.send("архитектор")
    assert "нет колледжей, где учат этим профессиям: Архитектор" in client.text


async def test_from_a_career_result_where_this_is_taught(engine, clock, demo):
    client = Reader(engine, clock, "reader")  # reads each question: the result is not flagged as rushed
    await pupil(client)
    await client.send("/tests")
    await client.press("Быстрый тест")
    await take_klimov(client, "tech")
    assert "Сварщик" in client.text
    await client.press("Где этому учат рядом с вами")
    assert "Где учат профессиям из вашего результата" in client.text
    assert "Сварщик" in client.labels
    assert "Инженер-конструктор автомобилей" not in client.labels  # taught only at universities
    await client.press("Сварщик")
    assert "Где учат на «Сварщик»:" in client.text
    assert "📍 г. о. Самара:" in client.text


async def test_stale_and_forged_buttons(client, database, demo):
    await pupil(client)
    await client.press("Колледжи и техникумы")
    await client.press("Рядом со мной")
    card = client.button("Самарский машиностроительный колледж")
    only = College(
        "tlt-x",
        "Новый колледж",
        "36440",
        "ул. 1",
        "",
        "",
        (Program("15.02.16", "Тех", StudyForm.FULL_TIME, 9, 46),),
        False,
    )
    await database.colleges.replace_colleges([only], "оператор")
    await client.press_token(card.payload)
    assert "Этого колледжа больше нет в справочнике" in client.text
    assert "Колледжи и техникумы Самарской области" in client.text
    await client.press_token("zzzzzzzz")
    assert "кнопка уже неактуальна" in client.text


@pytest.mark.parametrize(
    ("entities", "expected"),
    [
        (
            (Entity("profession", "сварщика", 0, 8), Entity("municipality", "Тольятти", 9, 17)),
            "📍 г. о. Тольятти:",
        ),
        ((Entity("municipality", "Сызрань", 0, 7),), "Колледжи и техникумы — г. о. Сызрань:"),
        ((), "Где учиться после 9 или 11 класса"),
    ],
)
async def test_free_text_opens_the_colleges(database, clock, demo, entities, expected):
    wants = Scripted(Parse("colleges", 0.9, (IntentScore("colleges", 0.9),), entities))
    talk = DialogClient(
        build_engine(database, database.conversations, clock, nlu=wants, confidence=Confidence()), "ft"
    )
    await pupil(talk)
    await talk.send("где учат на сварщика в тольятти")
    assert expected in talk.text


async def test_who_sees_it_and_an_empty_or_missing_catalogue(client, database, clock):
    await consent_adult(client)  # a graduate
    await client.send("/menu")
    assert "Колледжи и техникумы" not in " ".join(client.labels)
    talk = DialogClient(build_engine(database, database.conversations, clock), "empty")
    await pupil(talk)
    await talk.press("Колледжи и техникумы")
    assert "Справочник колледжей пока пуст" in talk.text
    gone = DialogClient(build_engine(database, database.conversations, clock, colleges=None), "none")
    await pupil(gone)
    await gone.press("Колледжи и техникумы")
    assert "сейчас недоступен" in gone.text


def test_the_demo_catalogue_is_labelled_and_its_professions_exist() -> None:
    from dialogs.career.catalogue import catalogue

    known = {p.id for p in catalogue().professions}
    colleges = demo_colleges()
    assert all(c.illustrative for c in colleges)
    assert {i for c in colleges for p in c.programs for i in p.professions} <= known
    assert any(p.targeted for c in colleges for p in c.programs)
