"""Who is writing: channel accounts, the people behind them, and the role chosen on arrival."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from backend_client.models import AgeBand, ChannelAccount, ConsentStatus, Person, Role
from backend_client.sql.base import PERSON_COLUMNS, SqlUseCases, person_from
from backend_client.sql.tables import channel_accounts, people

# Runs for every incoming message: built once (see conversations.py).
_IDENTIFY = (
    select(*PERSON_COLUMNS, channel_accounts.c.chat_id)
    .join(people, people.c.id == channel_accounts.c.person_id)
    .where(
        channel_accounts.c.channel == bindparam("channel"), channel_accounts.c.external_id == bindparam("ext")
    )
)


class AccountsSql(SqlUseCases):
    async def identify(self, channel: str, external_id: str, chat_id: str) -> Person:
        """The person behind a channel account; created with no personal data on first contact.

        The hot path is a single indexed read. Two first messages racing each other end with one person:
        the unique (channel, external_id) constraint decides and the loser reads the winner's row.
        """
        key = {"channel": channel, "ext": external_id}
        async with self._db.connect() as connection:
            row = (await connection.execute(_IDENTIFY, key)).first()
        if row is not None:
            if row.chat_id != chat_id:
                await self._move_chat(channel, external_id, chat_id)
            return person_from(row)
        try:
            return await self._create(channel, external_id, chat_id)
        except IntegrityError:
            async with self._db.connect() as connection:
                row = (await connection.execute(_IDENTIFY, key)).one()
            return person_from(row)

    async def _create(self, channel: str, external_id: str, chat_id: str) -> Person:
        now = self._clock.now()
        async with self._db.begin() as connection:
            person_id = (
                await connection.execute(
                    insert(people)
                    .values(role=None, age_band=None, consent_status=ConsentStatus.NONE.value, created_at=now)
                    .returning(people.c.id)
                )
            ).scalar_one()
            await connection.execute(
                insert(channel_accounts).values(
                    person_id=person_id,
                    channel=channel,
                    external_id=external_id,
                    chat_id=chat_id,
                    created_at=now,
                )
            )
        return Person(person_id, None, None, ConsentStatus.NONE, now)

    async def _move_chat(self, channel: str, external_id: str, chat_id: str) -> None:
        async with self._db.begin() as connection:
            await connection.execute(
                update(channel_accounts)
                .where(channel_accounts.c.channel == channel, channel_accounts.c.external_id == external_id)
                .values(chat_id=chat_id)
            )

    async def accounts_of(self, person_id: int) -> list[ChannelAccount]:
        query = (
            select(channel_accounts)
            .where(channel_accounts.c.person_id == person_id)
            .order_by(channel_accounts.c.created_at, channel_accounts.c.id)
        )
        async with self._db.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [ChannelAccount(r.channel, r.external_id, r.chat_id, r.created_at, r.blocked_at) for r in rows]

    async def set_blocked(self, channel: str, external_id: str, blocked: bool) -> None:
        async with self._db.begin() as connection:
            await connection.execute(
                update(channel_accounts)
                .where(channel_accounts.c.channel == channel, channel_accounts.c.external_id == external_id)
                .values(blocked_at=self._clock.now() if blocked else None)
            )

    async def choose_role(self, person_id: int, role: Role, age_band: AgeBand) -> Person:
        async with self._db.begin() as connection:
            await self._person(connection, person_id, lock=True)
            await connection.execute(
                update(people)
                .where(people.c.id == person_id)
                .values(role=role.value, age_band=age_band.value)
            )
            await self._audit(
                connection,
                "role_chosen",
                actor=person_id,
                subject=person_id,
                role=role.value,
                age_band=age_band.value,
            )
            return await self._person(connection, person_id)
