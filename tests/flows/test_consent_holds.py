"""Consent that holds (issue 13): typed answers at every consent step, a parent's consent that ends with
its giver, ages read on the safe side, and the waiting side told through the outbox."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from backend_client.models import ConsentKind, ConsentStatus, GivenBy
from backend_client.sql.tables import outbox
from dialogs.flows.consent import guardian_notices
from tests.flows.conftest import PUPIL_PROFILE, ROLE_LABELS, choose_role, consent_adult, fill_rest


def _code(text: str) -> str:
    return text.split("Код для родителя: ")[1][:10]


async def _person(records, client):
    return await records.identify(client.channel, client.account_id, client.account_id)


async def _rows_for(database, person_id: int) -> list[tuple[str, str, str]]:
    """(key, category, text) of every outbox row addressed to the person."""
    async with database.engine.connect() as connection:
        rows = await connection.execute(
            select(outbox.c.key, outbox.c.category, outbox.c.text)
            .where(outbox.c.person_id == person_id)
            .order_by(outbox.c.id)
        )
        return [(r.key, r.category, r.text) for r in rows]


async def _parent(client_factory, account: str = "mum"):
    parent = client_factory(account)
    await consent_adult(parent, "parent", "40")
    return parent


async def _child_with_parent(client_factory, *, typed: bool = False):
    """A 12-year-old whose parent consented (by button or by typing «да») and who filled the profile."""
    child = client_factory("kid")
    await choose_role(child, "pupil", "12")
    code = _code(child.text)
    parent = await _parent(client_factory)
    await parent.send("/menu")
    await parent.press("Привязать ребёнка")
    await parent.send(code)
    if typed:
        await parent.send("да")
    else:
        await parent.press("Даю согласие за ребёнка")
    await child.press("Проверить")
    await fill_rest(child, ("Злата", "12", *PUPIL_PROFILE[1:]))
    return child, parent


# -- typed answers at every consent step ---------------------------------------------------------------
async def test_a_parent_typing_yes_gives_the_consent_for_the_child(client_factory, records):
    child = client_factory("kid")
    await choose_role(child, "pupil", "12")
    code = _code(child.text)
    parent = await _parent(client_factory)
    await parent.send("/menu")
    await parent.press("Привязать ребёнка")
    await parent.send(code)
    assert "Даёте согласие?" in parent.text
    await parent.send("да")
    assert "Согласие записано" in parent.text
    kid = await _person(records, child)
    assert kid.consent is ConsentStatus.GRANTED
    assert [c.given_by for c in await records.consents_of(kid.id)] == [GivenBy.GUARDIAN]
    assert len(await records.guardians_of(kid.id)) == 1


@pytest.mark.parametrize("typed", ["нет", "Не даю согласие", "❌ Не даю согласие"])
async def test_a_parent_typing_no_declines_the_consent(client_factory, records, typed):
    child = client_factory("kid")
    await choose_role(child, "pupil", "11")
    parent = client_factory("mum")
    await parent.send(f"/start inv_{_code(child.text)}")
    await parent.send("да, я родитель")
    await parent.send("согласен")
    await parent.send(typed)
    assert "ничего о ребёнке не храню" in parent.text
    assert (await _person(records, child)).consent is ConsentStatus.DECLINED


@pytest.mark.parametrize("typed", ["да", "Подтверждаю", "✅ подтверждаю"])
async def test_a_parent_typing_the_confirmation_confirms_a_teen(client_factory, records, typed):
    teen = client_factory("teen")
    await choose_role(teen, "pupil", "15")
    await teen.send("Согласен(на)")  # the label as typed, brackets and all
    assert (await _person(records, teen)).consent is ConsentStatus.GRANTED
    parent = client_factory("mum")
    await parent.send(f"/start inv_{_code(teen.text)}")
    await parent.send("Да, я родитель (законный представитель)")
    await parent.send("✅ Согласен(на)")
    await parent.send(typed)
    assert "Подтверждение записано" in parent.text
    kinds = {c.kind for c in await records.consents_of((await _person(records, teen)).id)}
    assert ConsentKind.GUARDIAN_CONFIRMATION in kinds


async def test_an_unclear_answer_to_a_parents_decision_asks_again(client_factory, records):
    child = client_factory("kid")
    await choose_role(child, "pupil", "12")
    parent = await _parent(client_factory)
    await parent.send(f"/start inv_{_code(child.text)}")
    await parent.send("может быть")
    assert "кнопкой" in parent.text
    assert any("Даю согласие" in label for label in parent.labels)
    assert (await _person(records, child)).consent is ConsentStatus.AWAITING_GUARDIAN


# -- a parent's consent ends with its giver --------------------------------------------------------------
async def test_the_parent_sees_the_consent_they_gave_in_my_data_and_the_export(client_factory, records):
    _, parent = await _child_with_parent(client_factory)
    await parent.send("/mydata")
    assert "за ребёнка" in parent.text
    assert "Злата" in parent.text
    await parent.press("Выгрузить")
    data = json.loads(parent.documents[0].content)
    [given] = data["consents_given_for_children"]
    assert given["kind"] == "processing"
    assert given["child_name"] == "Злата"


@pytest.mark.parametrize(("button", "reason"), [("Отозвать согласие", "withdraw"), ("Удалить", "delete")])
async def test_when_the_parent_goes_the_childs_processing_stops_and_the_child_is_told(
    client_factory, records, database, button, reason
):
    child, parent = await _child_with_parent(client_factory)
    kid = await _person(records, child)
    await parent.send("/mydata")
    await parent.press(button)
    await parent.press("Да, удалить")

    kid = await _person(records, child)
    assert kid.consent is ConsentStatus.AWAITING_GUARDIAN
    assert await records.consents_of(kid.id) == []
    assert (await records.get_profile(kid.id)).is_empty
    [(_, category, text)] = [row for row in await _rows_for(database, kid.id) if "ended" in row[0]]
    assert category == "system"
    assert "согласие" in text
    assert "Злата" not in text

    await child.send("/menu")
    assert "новый код" in " ".join(child.labels).lower() or "Код для родителя" in child.text


async def test_the_parent_withdraws_only_the_consent_given_for_the_child(client_factory, records, database):
    child, parent = await _child_with_parent(client_factory)
    await parent.send("/mydata")
    await parent.press("Отозвать согласие за ребёнка")
    assert "Злата" in parent.text
    await parent.press("Да, отозвать")
    assert "отозвано" in parent.text
    mum = await _person(records, parent)
    assert mum.consent is ConsentStatus.GRANTED  # the parent's own data stays
    kid = await _person(records, child)
    assert kid.consent is ConsentStatus.AWAITING_GUARDIAN
    assert await records.children_of(mum.id) == []
    assert len([row for row in await _rows_for(database, kid.id) if "ended" in row[0]]) == 1


async def test_the_child_unlinking_the_giver_ends_the_consent_and_the_parent_is_told(
    client_factory, records, database
):
    child, parent = await _child_with_parent(client_factory)
    mum = await _person(records, parent)
    await child.send("/menu")
    await child.press("Родители")
    await child.press("Отвязать")
    assert "согласие" in child.text  # warned that the consent goes with the link
    await child.press("Да, отвязать")

    kid = await _person(records, child)
    assert kid.consent is ConsentStatus.AWAITING_GUARDIAN
    assert await records.consents_of(kid.id) == []
    assert (await records.get_profile(kid.id)).is_empty
    [(_, category, text)] = await _rows_for(database, mum.id)
    assert category == "system"
    assert "Злата" not in text


async def test_a_consent_invite_answer_told_to_the_child_once(client_factory, records, database):
    child = client_factory("kid")
    await choose_role(child, "pupil", "12")
    code = _code(child.text)
    parent = await _parent(client_factory)
    await parent.send(f"/start inv_{code}")
    await parent.press("Даю согласие за ребёнка")
    kid = await _person(records, child)
    [(_, category, text)] = await _rows_for(database, kid.id)
    assert category == "system"
    assert "Родитель дал согласие" in text
    # The same parent answering the same code again (a redelivery) adds nothing.
    mum = await _person(records, parent)
    told = guardian_notices()
    await records.answer_invite(code, mum.id, accept=True, version="x", channel="test", told=told)
    assert len(await _rows_for(database, kid.id)) == 1


async def test_a_teen_is_told_when_the_parent_declines_to_confirm(client_factory, records, database):
    teen = client_factory("teen")
    await choose_role(teen, "pupil", "15")
    await teen.press("Согласен")
    parent = client_factory("mum")
    await parent.send(f"/start inv_{_code(teen.text)}")
    await parent.press("Да, я родитель")
    await parent.press("Согласен")
    await parent.press("Не подтверждаю")
    [(_, category, text)] = await _rows_for(database, (await _person(records, teen)).id)
    assert category == "system"
    assert "не подтвердил" in text


# -- ages on the safe side -----------------------------------------------------------------------------
async def test_a_birth_year_edit_under_14_routes_to_the_parents_consent(client_factory, records):
    teen = client_factory("teen")
    await choose_role(teen, "pupil", "15")
    await teen.press("Согласен")
    await fill_rest(teen, ("Аня", *PUPIL_PROFILE[1:]))
    await teen.send("/profile")
    await teen.press("Год рождения")
    await teen.send("2014")
    assert "родитель" in teen.text
    person = await _person(records, teen)
    assert person.consent is ConsentStatus.GRANTED  # nothing happens before the confirmation
    await teen.press("Да, удалить данные")
    person = await _person(records, teen)
    assert person.consent is ConsentStatus.AWAITING_GUARDIAN
    assert (await records.get_profile(person.id)).is_empty
    assert await records.consents_of(person.id) == []
    assert "Код для родителя" in teen.text


async def test_a_birth_year_edit_that_is_cancelled_keeps_everything(client_factory, records):
    teen = client_factory("teen")
    await choose_role(teen, "pupil", "15")
    await teen.press("Согласен")
    await fill_rest(teen, ("Аня", *PUPIL_PROFILE[1:]))
    year = (await records.get_profile((await _person(records, teen)).id)).birth_year
    await teen.send("/profile")
    await teen.press("Год рождения")
    await teen.send("2014")
    await teen.press("Нет, оставить")
    person = await _person(records, teen)
    assert person.consent is ConsentStatus.GRANTED
    assert (await records.get_profile(person.id)).birth_year == year


async def test_a_birth_year_at_the_14_boundary_is_not_taken_as_14(client_factory, records, clock):
    clock.set(datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    child = client_factory("kid")
    await child.send("/start")
    await child.press(ROLE_LABELS["pupil"])
    await child.send("2012")  # 13 or 14 in December: not enough to consent alone
    assert "Вы согласны?" not in child.text
    assert (await _person(records, child)).consent is ConsentStatus.NONE
    await child.send("13")
    assert "меньше 14" in child.text


async def test_a_birth_year_on_the_safe_side_is_the_youngest_age(client_factory, records, clock):
    clock.set(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    child = client_factory("kid")
    await choose_role(child, "pupil", "2013")  # 12 or 13: under 14 either way
    assert "меньше 14" in child.text
    assert (await _person(records, child)).consent is ConsentStatus.AWAITING_GUARDIAN
