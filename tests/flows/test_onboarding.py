"""Arrival, role and the three consent paths, read like transcripts."""

from __future__ import annotations

import pytest

from backend_client.models import ConsentKind, ConsentStatus, GivenBy, Role
from tests.flows.conftest import PUPIL_PROFILE, ROLE_LABELS, choose_role, consent_adult, fill_rest


async def test_first_message_gets_greeting_and_roles(client):
    await client.send("привет")
    assert "Здравствуйте" in client.text
    assert "кто вы" in client.text
    assert len(client.labels) == 6


@pytest.mark.parametrize("role", list(ROLE_LABELS))
async def test_every_role_reaches_consent_and_its_own_menu(client, records, role):
    age = "42" if role == "parent" else "19"
    await choose_role(client, role, age)
    assert "Кто обрабатывает" in client.text
    assert "Как отозвать" in client.text
    await client.press("Согласен")
    assert "Заполним профиль" in client.text
    await client.send("/menu")
    assert "Заполнить профиль" in client.labels[0]
    if role == "parent":
        assert any("Мои дети" in label for label in client.labels)
    else:
        assert not any("Мои дети" in label for label in client.labels)
    person = await client_person(client, records)
    assert person.role is Role(role)
    assert person.consent is ConsentStatus.GRANTED


async def client_person(client, records):
    return await records.identify(client.channel, client.account_id, client.account_id)


async def test_adult_consent_is_recorded_with_version_channel_and_giver(client, records):
    await consent_adult(client)
    person = await client_person(client, records)
    [consent] = await records.consents_of(person.id)
    assert consent.kind is ConsentKind.PROCESSING
    assert consent.given_by is GivenBy.SELF
    assert consent.channel == "test"
    assert consent.version == client.engine.services.consent.version


async def test_age_is_carried_into_the_profile_after_consent(client, records, clock):
    await consent_adult(client, "graduate", "22")
    assert "Как к вам обращаться" in client.text  # the age is not asked twice
    await fill_rest(client, ("Олег", "Самара", "СамГТУ", "Теплоэнергетика"))
    profile = await records.get_profile((await client_person(client, records)).id)
    assert profile.birth_year == clock.now().year - 22
    assert profile.display_name == "Олег"


async def test_declining_stores_nothing_personal_and_keeps_answering(client, records):
    await choose_role(client, "graduate", "23")
    await client.press("Не согласен")
    assert "ничего о вас не сохраняю" in client.text
    person = await client_person(client, records)
    assert person.consent is ConsentStatus.DECLINED
    assert await records.consents_of(person.id) == []
    assert (await records.get_profile(person.id)).is_empty
    await client.send("/help")
    assert "/mydata" in client.text
    await client.send("/profile")
    assert "после согласия" in client.text
    await client.press("Дать согласие")
    await client.press("Согласен")
    assert (await client_person(client, records)).consent is ConsentStatus.GRANTED


async def test_role_can_be_changed_before_consent(client, records):
    await choose_role(client, "graduate", "23")
    await client.press("другую роль")
    await client.press(ROLE_LABELS["pupil"])
    await client.send("15")
    person = await client_person(client, records)
    assert person.role is Role.PUPIL


async def test_typed_answers_work_at_consent(client, records):
    await choose_role(client, "jobseeker", "30")
    await client.send("может быть")
    assert "кнопкой" in client.text
    await client.send("Да")
    assert (await client_person(client, records)).consent is ConsentStatus.GRANTED


async def test_minor_consents_alone_and_a_parent_confirms_later(client_factory, records):
    teen = client_factory("teen")
    await choose_role(teen, "pupil", "15")
    await teen.press("Согласен")
    assert "подтвердить" in teen.text
    code = _code(teen.text)
    assert "Заполним профиль" in teen.text  # not blocked while the parent has not answered

    parent = client_factory("mum")
    await parent.send(f"/start inv_{code}")
    await parent.press("Да, я родитель")
    await parent.press("Согласен")
    assert "не возражаете" in parent.text
    await parent.press("Подтверждаю")
    assert "Подтверждение записано" in parent.text

    teen_person = await records.identify("test", "teen", "teen")
    kinds = {(c.kind, c.given_by) for c in await records.consents_of(teen_person.id)}
    assert (ConsentKind.GUARDIAN_CONFIRMATION, GivenBy.GUARDIAN) in kinds
    assert len(await records.guardians_of(teen_person.id)) == 1


async def test_child_under_14_waits_for_parent_then_continues(client_factory, records):
    child = client_factory("kid")
    await choose_role(child, "pupil", "12")
    assert "меньше 14" in child.text
    code = _code(child.text)
    kid = await records.identify("test", "kid", "kid")
    assert kid.consent is ConsentStatus.AWAITING_GUARDIAN

    await child.send("ну что там?")
    assert "ещё не ответил" in child.text
    await child.send("/profile")
    assert "после согласия" in child.text

    parent = client_factory("dad")
    await parent.send("/start")
    await parent.press(ROLE_LABELS["parent"])
    await parent.send("40")
    await parent.press("Согласен")
    await parent.send("/menu")
    await parent.press("Привязать ребёнка")
    await parent.send(code.lower())
    assert "меньше 14" in parent.text
    await parent.press("Даю согласие за ребёнка")
    assert "Согласие записано" in parent.text

    await child.press("Проверить")
    assert "Родитель дал согласие" in child.text
    assert "Как к вам обращаться" in child.text
    await fill_rest(child, (*PUPIL_PROFILE[:1], "12", *PUPIL_PROFILE[1:]))
    assert "Сохранил" in child.text
    [consent] = await records.consents_of(kid.id)
    assert consent.given_by is GivenBy.GUARDIAN
    await parent.send("/menu")
    await parent.press("Мои дети")
    assert "Аня" in parent.text


async def test_parent_declines_and_child_can_ask_again(client_factory, records):
    child = client_factory("kid")
    await choose_role(child, "pupil", "11")
    code = _code(child.text)
    parent = client_factory("parent")
    await parent.send(f"/start inv_{code}")
    await parent.press("Да, я родитель")
    await parent.press("Согласен")
    await parent.press("Не даю согласие")
    assert "ничего о ребёнке не храню" in parent.text
    await child.send("привет")
    assert "не дал согласие" in child.text
    await child.press("новый код")
    new_code = _code(child.text)
    assert new_code != code
    assert (await records.identify("test", "kid", "kid")).consent is ConsentStatus.AWAITING_GUARDIAN


async def test_child_cannot_use_own_code_and_codes_are_single_use(client_factory):
    child = client_factory("kid")
    await choose_role(child, "pupil", "10")
    code = _code(child.text)
    await child.send(f"/start inv_{code}")
    assert "отправить родителю" in child.text

    first, second = client_factory("p1"), client_factory("p2")
    for parent in (first, second):
        await parent.send("/start")
        await parent.press(ROLE_LABELS["parent"])
        await parent.send("35")
        await parent.press("Согласен")
    await first.send(f"/start inv_{code}")
    await first.press("Даю согласие")
    await second.send(f"/start inv_{code}")
    assert "уже использован" in second.text


async def test_unknown_expired_and_malformed_links(client_factory, clock):
    from datetime import timedelta

    stranger = client_factory("x")
    await stranger.send("/start inv_ZZZZZZZZZZ")
    assert "Такого кода нет" in stranger.text
    await stranger.send("/start campaign_42")
    assert "незнакома" in stranger.text
    await stranger.send("/start <script>")
    assert "повреждена" in stranger.text

    child = client_factory("kid")
    await choose_role(child, "pupil", "9")
    code = _code(child.text)
    clock.advance(timedelta(days=8))
    await stranger.send(f"/start inv_{code}")
    assert "истёк" in stranger.text


async def test_a_pupil_cannot_accept_a_parent_invite(client_factory):
    child = client_factory("kid")
    await choose_role(child, "pupil", "12")
    code = _code(child.text)
    other = client_factory("other-pupil")
    await consent_adult(other, "pupil", "16")
    await other.send(f"/start inv_{code}")
    assert "только родитель" in other.text


def _code(text: str) -> str:
    marker = "Код для родителя: "
    start = text.index(marker) + len(marker)
    return text[start : start + 10]
