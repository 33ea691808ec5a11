"""Exactly once per press, across replicas: two engines share one PostgreSQL and one Redis, as two bot
instances behind a webhook do, and every effect's press is delivered twice, three ways:

- the same update to both replicas at once (the webhook retried while the first was still busy);
- a double tap: two updates carrying the same button, landing on the two replicas at once;
- the state save fails after the effect committed (Redis blipped), and the person presses the
  still-valid button again (or the update is redelivered) on the other replica.

Each effect (a campaign, planned works, an emergency, a sign-up, a consent, a parent's consent for a
child, an erasure) must exist once, and the second press must not say "busy" about work that was done.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from backend_client.broadcasts import CLI
from backend_client.kv.redis_store import RedisConversationStore
from backend_client.ports import Receipt
from backend_client.sql import Database, open_database
from backend_client.sql.tables import campaigns, consents, event_signups, people, system_messages
from bot.wiring import build_engine
from dialogs.engine import Engine
from dialogs.testing import DialogClient
from dialogs.ui import Incoming, Outcome
from tests.conftest import clean_postgres, flushed_redis
from tests.flows.conftest import ROLE_LABELS, choose_role, consent_adult
from tests.flows.test_events import draft, pupil
from tests.flows.test_onboarding import _code

MODES = ("same update", "double tap", "save failed, pressed again")
_ids = itertools.count(1000)


class _FailingSaves(RedisConversationStore):
    """The real Redis store whose next save fails after the turn's effects committed (a Redis blip)."""

    fail_next = False

    def _blip(self) -> None:
        if self.fail_next:
            self.fail_next = False
            raise ConnectionError("redis went away")

    async def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._blip()
        return await super().save(*args, **kwargs)

    async def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._blip()
        return await super().delete(*args, **kwargs)


@dataclass
class Replicas:
    one: Engine
    two: Engine
    database: Database
    stores: tuple[_FailingSaves, _FailingSaves]

    def client(self, account: str) -> DialogClient:
        return DialogClient(self.one, account_id=account)

    async def press_twice(
        self, client: DialogClient, label: str, mode: str, *, quiet_repeat: bool = True
    ) -> list[Outcome]:
        """Deliver one press of ``label`` twice in ``mode``; the client sees the first answer. With
        ``quiet_repeat`` the repeat must add no message of its own."""
        token = client.button(label).payload

        def press(update_id: int) -> Incoming:
            receipt = Receipt("test:bot", update_id)
            return Incoming.press(client.channel, client.account_id, token, receipt=receipt)

        if mode == "same update":
            update = next(_ids)
            outcomes = await asyncio.gather(self.one.handle(press(update)), self.two.handle(press(update)))
        elif mode == "double tap":
            outcomes = await asyncio.gather(
                self.one.handle(press(next(_ids))), self.two.handle(press(next(_ids)))
            )
        else:
            self.stores[0].fail_next = True
            failed = await self.one.handle(press(next(_ids)))
            assert "Извините" in " ".join(failed.texts)  # the apology: the state was not saved
            outcomes = [failed, await self.two.handle(press(next(_ids)))]
        answered = [o for o in outcomes if o.handled and o.replies and "Извините" not in " ".join(o.texts)]
        if quiet_repeat:
            assert len(answered) == 1, [o.texts for o in outcomes]  # one screen, the repeat stays quiet
        client.last = answered[0]
        client._buttons = tuple(b for r in answered[0].replies for b in r.buttons)
        return list(outcomes)

    async def count(self, table, *where) -> int:  # type: ignore[no-untyped-def]
        async with self.database.engine.connect() as connection:
            return int(
                (await connection.execute(select(func.count()).select_from(table).where(*where))).scalar()
            )


@pytest.fixture
async def replicas(postgres_url: str, redis_url: str, clock) -> AsyncIterator[Replicas]:
    first = await open_database(postgres_url, clock)
    second = await open_database(postgres_url, clock)
    await clean_postgres(first)
    async with flushed_redis(redis_url) as client:
        stores = (_FailingSaves(client, clock=clock), _FailingSaves(client, clock=clock))
        engines = [build_engine(db, store, clock) for db, store in zip((first, second), stores, strict=True)]
        try:
            yield Replicas(engines[0], engines[1], first, stores)
        finally:
            await first.close()
            await second.close()


def _not_busy(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        assert "ещё обрабатываю" not in " ".join(outcome.texts)  # no "busy" for work that was done


async def _operator(replicas: Replicas) -> DialogClient:
    op = replicas.client("op")
    await consent_adult(op)
    await replicas.database.broadcasts.grant_operator("test", "op", by="test")
    await op.send("/operator")
    return op


@pytest.mark.parametrize("mode", MODES)
async def test_a_campaign_is_created_once(replicas, mode):
    op = await _operator(replicas)
    await op.press("Новая рассылка")
    await op.send("Ярмарка вакансий в субботу")
    await op.press("Далее")
    await op.press("Сейчас")
    outcomes = await replicas.press_twice(op, "Отправить", mode)
    assert await replicas.count(campaigns) == 1
    assert "Рассылка №1 создана" in op.text
    if mode != "save failed, pressed again":
        _not_busy(outcomes)


@pytest.mark.parametrize("mode", MODES)
async def test_an_emergency_goes_out_once(replicas, mode):
    op = await _operator(replicas)
    await op.press("Аварийное сообщение")
    await op.send("Сбой входа через Госуслуги, чиним.")
    await replicas.press_twice(op, "Разослать всем сейчас", mode)
    assert await replicas.count(system_messages) == 1
    assert await replicas.count(campaigns) == 1


@pytest.mark.parametrize("mode", MODES)
async def test_planned_works_are_announced_once(replicas, mode):
    op = await _operator(replicas)
    await op.press("Объявить плановые работы")
    await op.send("07.09 22:00")
    await op.send("08.09 02:00")
    await op.send("Личный кабинет недоступен.")
    await replicas.press_twice(op, "Объявить", mode)
    assert "объявлены" in op.text
    assert await replicas.count(system_messages) == 1
    assert await replicas.count(campaigns) == 3  # the notice, the eve reminder and "works are over"


@pytest.mark.parametrize("mode", MODES)
async def test_a_sign_up_is_made_once(replicas, clock, mode):
    await replicas.database.records.create_event(CLI, draft(clock, "Профтур на авиазавод", capacity=5))
    person = replicas.client("pupil")
    await pupil(person)
    await person.press("Профтуры и профпробы")
    await person.press("1. Профтур на авиазавод")
    await replicas.press_twice(person, "Записаться", mode)
    assert await replicas.count(event_signups) == 1
    assert "Свободных мест: 4 из 5" in person.text


@pytest.mark.parametrize("mode", MODES)
async def test_own_consent_is_given_once(replicas, mode):
    person = replicas.client("grad")
    await choose_role(person, "graduate", "22")
    outcomes = await replicas.press_twice(person, "Согласен", mode)
    assert await replicas.count(consents) == 1
    assert "Как к вам обращаться" in person.text
    if mode != "save failed, pressed again":
        _not_busy(outcomes)


@pytest.mark.parametrize("mode", MODES)
async def test_a_parents_consent_for_a_child_is_given_once(replicas, mode):
    child = replicas.client("kid")
    await choose_role(child, "pupil", "12")
    parent = replicas.client("dad")
    await parent.send("/start")
    await parent.press(ROLE_LABELS["parent"])
    await parent.send("40")
    await parent.press("Согласен")
    await parent.send("/menu")
    await parent.press("Привязать ребёнка")
    await parent.send(_code(child.text))
    await replicas.press_twice(parent, "Даю согласие за ребёнка", mode)
    assert "Согласие записано" in parent.text
    assert await replicas.count(consents) == 2  # the parent's own and the one for the child


@pytest.mark.parametrize("mode", MODES)
async def test_an_erasure_is_done_once_and_answered_calmly(replicas, mode):
    person = replicas.client("gone")
    await consent_adult(person)
    await person.send("/mydata")
    await person.press("Удалить мои данные")
    # After an erasure nothing of the conversation is kept, not even the last press: a repeat that
    # comes after it is a stale button of a person who is not known any more.
    outcomes = await replicas.press_twice(person, "Да, удалить", mode, quiet_repeat=False)
    assert await replicas.count(consents) == 0
    assert await replicas.count(people) <= 1  # at most the new, anonymous first contact of the repeat
    texts = " ".join(" ".join(o.texts) for o in outcomes)
    assert "удалены" in texts
    assert "Извините" not in " ".join(outcomes[-1].texts)
