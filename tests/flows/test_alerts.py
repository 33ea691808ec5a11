"""Vacancy alerts through DialogClient on the real store (SQLite and PostgreSQL) and the real NLU model:
subscribing under a search and from free text, «Мои подписки» (change, pause, exclude, delete), and the
public buttons under an alert (open, «показать все», 👍/👎, «Изменить», «Отписаться» with a reason),
forged ones included."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend_client.broadcasts import CLI
from backend_client.sql.tables import outbox
from backend_client.vacancies.alerts import AlertFrequency
from backend_client.vacancies.models import VacancyQuery
from dialogs.testing import DialogClient
from dialogs.ui import public_payload
from notifications.alerts import alert_message
from notifications.buttons import take
from tests.flows.conftest import choose_role
from tests.flows.jobs_support import SAMARA, draft, graduate, jobs_engine, person_of, put

COOK = VacancyQuery(text="повар", municipality=SAMARA)


@pytest.fixture
def talk(database, clock, nlu_model):
    engine = jobs_engine(database, clock, nlu_model)

    def make(account_id: str = "4001") -> DialogClient:
        return DialogClient(engine, account_id=account_id)

    return make


async def alert_buttons(database) -> tuple[str, list[tuple[str, str]]]:
    """Put together the newest alert as the relay does: (its text, its buttons)."""
    alerts = database.vacancy_alerts
    async with database.engine.connect() as connection:
        keys = (await connection.execute(select(outbox.c.key).order_by(outbox.c.id.desc()))).scalars().all()
    notice = keys[0].removeprefix("alert:").rpartition("|")[0]
    contents = await alerts.take_alert(notice)
    assert contents is not None
    text, buttons = take(alert_message(contents))
    return text, list(buttons)


async def test_subscribe_under_a_search_and_manage_it(talk, database):
    await put(database, draft("Повар", municipality=SAMARA))
    client = talk()
    await graduate(client)
    await client.press("Работа и стажировки")
    await client.send("повар")
    await client.press("Подписаться на такие вакансии")
    assert "Что присылать: «повар» · вся область · любая работа" in client.text
    await client.send("повар-кондитер")  # other words typed while confirming replace them
    assert "«повар-кондитер»" in client.text
    await client.press("Раз в день, в 18:00")
    assert (
        "✅ Подписка сохранена: «повар-кондитер» · вся область · любая работа. Присылаю раз в день"
        in client.text
    )
    await client.press("Мои подписки")
    assert "🔔 Мои подписки (1 из 10):" in client.text
    assert "1. «повар-кондитер» · вся область · любая работа — раз в день, в 18:00" in client.text
    await client.press("1. ")
    assert "Присылаю: раз в день, в 18:00." in client.text
    await client.press("Присылать сразу")
    assert "Присылаю: сразу, как появятся." in client.text
    await client.press("Пауза")
    assert "⏸ Сейчас на паузе" in client.text
    await client.press("Возобновить")
    assert "▶️ Подписка снова работает." in client.text
    await client.press("Исключить слова")
    await client.send("ночь")
    assert "кроме «ночь»" in client.text
    await client.press("Изменить слова")
    await client.send("Избранное")
    assert "это надпись кнопки" in client.text
    await client.send("кондитер")
    assert "🔔 Подписка: «кондитер»" in client.text
    person = await person_of(database, client)
    [saved] = await database.vacancy_alerts.saved_searches(person.id)
    assert (saved.query.text, saved.exclude, saved.frequency, saved.paused) == (
        "кондитер",
        "ночь",
        AlertFrequency.INSTANT,
        False,
    )
    await client.press("Удалить")
    assert "🗑 Подписка удалена: «кондитер»" in client.text
    assert "Подписок пока нет" in client.text
    assert await database.vacancy_alerts.saved_searches(person.id) == []


async def test_free_text_pre_fills_the_subscription(talk, database):
    client = talk()
    await graduate(client)
    await client.send("пиши мне, если появится работа поваром в самаре")
    assert "Что присылать: «повар» · Самара · любая работа" in client.text
    await client.press("Сразу, как появятся")
    assert "Подписка сохранена" in client.text
    await client.send("присылай новые вакансии")  # nothing to go by: which ones?
    assert "Какие вакансии присылать?" in client.text
    await client.send("сварщик")
    assert "Что присылать: «сварщик» · вся область" in client.text
    await client.press("Не подписываться")
    assert "подписку не сохраняю" in client.text
    person = await person_of(database, client)
    assert [s.query.text for s in await database.vacancy_alerts.saved_searches(person.id)] == ["повар"]


async def test_the_limit_consent_and_children(talk, database):
    client = talk()
    await graduate(client)
    person = await person_of(database, client)
    for n in range(10):
        await database.vacancy_alerts.subscribe(person.id, VacancyQuery(text=f"повар {n + 10}"))
    await client.send("пиши мне, если появится работа сварщиком")
    await client.press("Сразу, как появятся")
    assert "У вас уже 10 подписок — это максимум" in client.text
    assert "🔔 Мои подписки (10 из 10):" in client.text
    stranger = talk("4002")
    await choose_role(stranger, "graduate", "22")
    await stranger.press("Не согласен")
    await stranger.send("пиши мне, если появится работа поваром")
    assert "только после согласия" in stranger.text
    child = talk("4003")
    await choose_role(child, "pupil", "12")
    await child.press_token(public_payload("aledit", "1"))
    assert "с 14 лет" in child.text


async def test_the_buttons_under_an_alert(talk, database):
    client = talk()
    await graduate(client)
    person = await person_of(database, client)
    saved = await database.vacancy_alerts.subscribe(person.id, COOK)
    vacancies = await put(
        database, *(draft(f"Повар {n}", source_id=f"c{n}", municipality=SAMARA) for n in range(1, 8))
    )
    text, buttons = await alert_buttons(database)
    assert text.startswith("🔔 Новые вакансии по подписке: «повар» · Самара · любая работа")
    assert "…и ещё 2" in text
    labels = [label for label, _ in buttons]
    assert labels[5:] == [
        "📋 И ещё 2 — показать все",
        "👍 Подходит",
        "👎 Не то",
        "✏️ Изменить подписку",
        "🔕 Отписаться",
    ]
    payload = dict(buttons)
    opened = next(p for label, p in buttons if label.startswith("1. "))
    await client.press_token(opened)
    assert "Источник" in client.text or "Откликнуться" in " ".join(client.labels)
    await client.press_token(payload["📋 И ещё 2 — показать все"])
    assert "🔔 Вакансии из подборки" in client.text
    assert "Страница 1 из 2." in client.text
    await client.press("Ещё")
    assert "6. Повар" in client.text
    await client.press_token(payload["👎 Не то"])
    assert "Похожие буду ставить ниже" in client.text
    await client.press_token(payload["✏️ Изменить подписку"])
    assert "🔔 Подписка: «повар» · Самара" in client.text
    await client.press_token(payload["🔕 Отписаться"])
    assert "🔕 Вы отписались: «повар» · Самара" in client.text
    await client.press("Нашёл(ла) работу")
    assert "Поздравляю с новой работой" in client.text
    assert await database.vacancy_alerts.saved_searches(person.id) == []
    report = await database.vacancy_alerts.alerts_report(CLI)
    assert (report.alerts_sent, report.opened, report.not_useful, report.found_job) == (1, 1, 7, 1)
    assert report.unsubscribes == {"found_job": 1}
    assert len(vacancies) == 7
    assert saved.id > 0


async def test_forged_and_someone_elses_alert_buttons(talk, database):
    owner = talk("4010")
    await graduate(owner)
    person = await person_of(database, owner)
    saved = await database.vacancy_alerts.subscribe(person.id, COOK)
    await put(database, draft("Повар", municipality=SAMARA))
    _, buttons = await alert_buttons(database)
    payload = dict(buttons)
    intruder = talk("4011")
    await graduate(intruder)
    await intruder.press_token(payload["👍 Подходит"])
    assert "отправлена не вам" in intruder.text
    await intruder.press_token(payload["🔕 Отписаться"])
    assert "Этой подписки уже нет" in intruder.text
    await intruder.press_token(public_payload("alall", "1"))
    assert "отправлена не вам" in intruder.text
    for forged in ("alrate:x", "alrate:1:7", "alstop:-1", "alall:", "alopen:abc"):
        await intruder.press_token("~" + forged)
        assert "Эта кнопка уже неактуальна" in intruder.text
    assert [s.id for s in await database.vacancy_alerts.saved_searches(person.id)] == [saved.id]
