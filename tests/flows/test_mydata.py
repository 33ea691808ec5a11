"""«Мои данные»: see everything, export it as JSON, delete it (or withdraw consent)."""

from __future__ import annotations

import json

import pytest

from backend_client.models import ConsentStatus
from dialogs.flows.mydata import channel_name
from tests.flows.conftest import ROLE_LABELS, consent_adult, fill_rest


async def test_my_data_shows_everything_stored(client):
    await consent_adult(client, "graduate", "23")
    await fill_rest(client, ("Олег", "Кинель", "СамГТУ", "Информатика"))
    await client.send("/mydata")
    for fact in ("Олег", "Кинель", "СамГТУ", "Информатика", "Согласия", "вы сами", "Аккаунты"):
        assert fact in client.text


async def test_export_is_a_json_document_with_the_profile(client):
    await consent_adult(client, "graduate", "23")
    await fill_rest(client, ("Олег", "Кинель", "СамГТУ", "Информатика"))
    await client.send("/mydata")
    await client.press("Выгрузить")
    [document] = client.documents
    assert document.filename.endswith(".json")
    data = json.loads(document.content)
    assert data["profile"]["display_name"] == "Олег"
    assert data["consents"]


@pytest.mark.parametrize(
    ("button", "reason"), [("Удалить мои данные", "delete"), ("Отозвать согласие", "withdraw")]
)
async def test_erasing_removes_personal_data_and_starts_afresh(client_factory, records, button, reason):
    child = client_factory("teen")
    await consent_adult(child, "pupil", "15")
    code = child.text.split("Код для родителя: ")[1][:10]
    await fill_rest(child, ("Аня", "Самара", "Школа 3", "8"))
    parent = client_factory("mum")
    await parent.send(f"/start inv_{code}")
    await parent.press("Да, я родитель")
    await parent.press("Согласен")
    await parent.press("Подтверждаю")
    old = await records.identify("test", "teen", "teen")

    await child.send("/mydata")
    await child.press(button)
    assert "безвозвратно" in child.text
    await child.press("Да, удалить")
    assert "удалены" in child.text

    audit = await records.audit_log()
    assert audit[-1].action == "data_erased"
    assert "Аня" not in json.dumps([entry.details for entry in audit], ensure_ascii=False)
    assert (await records.counters()).get("people_erased") == 1
    mum = await records.identify("test", "mum", "mum")
    assert await records.children_of(mum.id) == []

    await child.send("привет")
    assert "Здравствуйте" in child.text
    fresh = await records.identify("test", "teen", "teen")
    assert fresh.id != old.id
    assert fresh.consent is ConsentStatus.NONE


async def test_erase_can_be_cancelled(client, records):
    await consent_adult(client, "graduate", "30")
    await client.send("/mydata")
    await client.press("Удалить мои данные")
    await client.press("Нет, оставить")
    assert "Всё, что я храню" in client.text
    person = await records.identify("test", client.account_id, client.account_id)
    assert person.consent is ConsentStatus.GRANTED


async def test_without_consent_my_data_says_nothing_personal_is_kept(client):
    await client.send("/start")
    await client.press(ROLE_LABELS["graduate"])
    await client.send("25")
    await client.press("Не согласен")
    await client.send("/mydata")
    assert "Персональных данных о вас я не храню" in client.text


async def test_children_and_guardians_can_unlink_each_other(client_factory, records):
    teen = client_factory("teen")
    await consent_adult(teen, "pupil", "16")
    code = teen.text.split("Код для родителя: ")[1][:10]
    await fill_rest(teen, ("Петя", "Самара", "Лицей 1", "10"))
    parent = client_factory("dad")
    await parent.send(f"/start inv_{code}")
    await parent.press("Да, я родитель")
    await parent.press("Согласен")
    await parent.press("Подтверждаю")

    await teen.send("/menu")
    await teen.press("Родители")
    assert "Привязанные родители" in teen.text
    await teen.press("Отвязать")
    await teen.press("Да, отвязать")
    assert "связь удалена" in teen.text
    person = await records.identify("test", "teen", "teen")
    assert await records.guardians_of(person.id) == []

    await teen.press("Пригласить родителя")
    link_code = teen.text.split("Код для родителя: ")[1][:10]
    await parent.send(f"/start inv_{link_code}")
    await parent.press("Подтверждаю")  # the confirmation ended with the old link: it is asked again
    await parent.send("/menu")
    await parent.press("Мои дети")
    assert "Петя" in parent.text
    await parent.press("Отвязать: Петя")
    await parent.press("Да, отвязать")
    assert await records.guardians_of(person.id) == []


def test_a_messenger_is_named_by_its_text_and_a_new_one_by_its_own_name():
    assert channel_name("vk") == "ВКонтакте"
    assert channel_name("telegram") == "Telegram"
    assert channel_name("max") == "max"  # no text yet: shown as it is, no edit of «Мои данные» needed
