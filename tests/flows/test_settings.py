"""«Уведомления»: modes per category, quiet hours, and the one-tap stop under proactive messages."""

from __future__ import annotations

from datetime import time

from backend_client.outreach import Category, DeliveryMode, QuietHours
from dialogs.ui import public_payload
from tests.flows.conftest import consent_adult


async def settings_of(records, client):
    person = await records.identify(client.channel, client.account_id, client.account_id)
    return await records.notification_settings(person.id)


async def test_a_category_can_be_set_to_digest_or_off(client, records):
    await consent_adult(client)
    await client.send("/settings")
    assert "Новости: сразу" in client.text
    assert "22:00–08:00" in client.text  # an adult's default night
    await client.press("Изменить: Новости")
    await client.press("не присылать")
    await client.press("Изменить: Вакансии")
    await client.press("раз в день")
    assert "Новости: не присылать" in client.text
    settings = await settings_of(records, client)
    assert settings.mode(Category.NEWS) is DeliveryMode.OFF
    assert settings.mode(Category.VACANCIES) is DeliveryMode.DIGEST


async def test_quiet_hours_come_from_presets_and_return_to_the_default(client, records):
    await consent_adult(client, "pupil", "15")
    await client.send("/menu")
    await client.press("Уведомления")
    assert "21:00–09:00" in client.text  # a minor's default night
    await client.press("Изменить тихие часы")
    await client.press("23:00–07:00")
    assert (await settings_of(records, client)).quiet == QuietHours(time(23, 0), time(7, 0))
    await client.press("Изменить тихие часы")
    await client.press("По умолчанию")
    assert (await settings_of(records, client)).quiet is None


async def test_the_stop_button_under_a_message_switches_that_kind_off(client, records):
    await consent_adult(client)
    outcome = await client.press_token(public_payload("stop", "news"))
    assert outcome.notice == "Отключено"
    assert "Больше не пришлю «Новости»" in client.text
    assert (await settings_of(records, client)).mode(Category.NEWS) is DeliveryMode.OFF


async def test_forged_public_payloads_are_stale_buttons(client, records):
    await consent_adult(client)
    for forged in ("~stop:everything", "~grant:operator", "~", "~stop:"):
        await client.press_token(forged)
        assert "кнопка уже неактуальна" in client.text
    assert (await settings_of(records, client)).modes == {}


async def test_settings_wait_for_consent(client):
    await client.send("/start")
    await client.send("/settings")
    assert "после согласия" in client.text
    await client.press_token(public_payload("stop", "news"))
    assert "после согласия" in client.text


async def test_opening_the_quiet_hour_presets_alone_changes_nothing(client, records):
    await consent_adult(client)
    await client.send("/settings")
    await client.press("Изменить тихие часы")
    assert (await settings_of(records, client)).quiet is None
