"""Who is writing: channel accounts, the people behind them, and the role chosen on arrival."""

from __future__ import annotations

import logging

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from backend_client.models import AgeBand, ChannelAccount, ConsentStatus, Person, Role
from backend_client.sql import reads
from backend_client.sql.infra.base import PERSON_COLUMNS, SqlUseCases, person_from
from backend_client.sql.infra.prepared import Prepared
from backend_client.sql.tables import channel_accounts, people

log = logging.getLogger(__name__)

# Runs for every incoming message: built once, so each call skips statement construction.
_IDENTIFY = Prepared(
    select(*PERSON_COLUMNS, channel_accounts.c.chat_id)
    .join(people, people.c.id == channel_accounts.c.person_id)
    .where(
        channel_accounts.c.channel == bindparam("channel"), channel_accounts.c.external_id == bindparam("ext")
    )
)
# First contact: once per person, but every newcomer's first message pays it. Built once.
_NEW_PERSON = Prepared(
    insert(people)
    .values(role=None, age_band=None, consent_status=bindparam("b_status"), created_at=bindparam("b_at"))
    .returning(people.c.id)
)
_NEW_ACCOUNT = Prepared(
    insert(channel_accounts).values(
        person_id=bindparam("b_person"),
        channel=bindparam("b_channel"),
        external_id=bindparam("b_ext"),
        chat_id=bindparam("b_chat"),
        created_at=bindparam("b_at"),
    )
)
_MOVE_CHAT = Prepared(
    update(channel_accounts)
    .where(
        channel_accounts.c.channel == bindparam("b_channel"),
        channel_accounts.c.external_id == bindparam("b_ext"),
    )
    .values(chat_id=bindparam("b_chat"))
)


class SqlAccounts(SqlUseCases):
    async def identify(self, channel: str, external_id: str, chat_id: str) -> Person:
        """The person behind a channel account; created with no personal data on first contact.

        The hot path is one indexed read. Two first messages racing each other end with one person: the
        unique (channel, external_id) constraint decides, and the loser reads the winner's row. A changed
        chat id (the messenger moved the conversation) is stored.
        """
        key = {"channel": channel, "ext": external_id}
        async with self._quick.connect() as connection:
            rows = (await _IDENTIFY.run(connection, key)).rows
        if rows:
            row = rows[0]
        else:
            try:
                return await self._create(channel, external_id, chat_id)
            except IntegrityError:
                async with self._quick.connect() as connection:
                    (row,) = (await _IDENTIFY.run(connection, key)).rows
        if row.chat_id != chat_id:
            async with self._quick.begin() as connection:
                await _MOVE_CHAT.run(
                    connection, {"b_channel": channel, "b_ext": external_id, "b_chat": chat_id}
                )
        return person_from(row)

    async def _create(self, channel: str, external_id: str, chat_id: str) -> Person:
        now = self._clock.now()
        async with self._engine.begin() as connection:
            new_person = {"b_status": ConsentStatus.NONE.value, "b_at": now}
            person_id = (await _NEW_PERSON.run(connection, new_person)).rows[0].id
            await _NEW_ACCOUNT.run(
                connection,
                {
                    "b_person": person_id,
                    "b_channel": channel,
                    "b_ext": external_id,
                    "b_chat": chat_id,
                    "b_at": now,
                },
            )
        log.info("person created id=%s channel=%s", person_id, channel)
        return Person(person_id, None, None, ConsentStatus.NONE, now)

    async def accounts_of(self, person_id: int) -> list[ChannelAccount]:
        """The person's channel accounts, oldest first; empty for an unknown (or erased) person."""
        async with self._quick.connect() as connection:
            return await reads.accounts_of(connection, person_id)

    async def set_blocked(self, channel: str, external_id: str, blocked: bool) -> None:
        """Record (or clear) that the person blocked the bot; an unknown account is ignored."""
        async with self._quick.begin() as connection:
            await connection.execute(
                update(channel_accounts)
                .where(channel_accounts.c.channel == channel, channel_accounts.c.external_id == external_id)
                .values(blocked_at=self._clock.now() if blocked else None)
            )

    async def choose_role(self, person_id: int, role: Role, age_band: AgeBand) -> Person:
        """Store the role and age band (no age itself: the band is all the consent procedure needs)."""
        async with self._engine.begin() as connection:
            person = await self._update_person(
                connection, person_id, role=role.value, age_band=age_band.value
            )
            await self._audit(
                connection,
                "role_chosen",
                actor=person_id,
                subject=person_id,
                role=role.value,
                age_band=age_band.value,
            )
        return person
