"""What people ask the bot in free text, as counts per day, intent and confidence band.

No text and no person: a row is (day, intent, band, count), so the table tells operators what is asked for
without ever telling who asked or how they put it. Counting is one upsert, so two processes counting the
same key at once both land.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from backend_client.models import AskBand, AskCount
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.dialects import upsert
from backend_client.sql.tables import nlu_asks

MAX_INTENT = 48  # the column's width; intent names are ours, this only guards a misconfigured backend


class SqlAskCounts(SqlUseCases):
    async def count_ask(self, intent: str, band: AskBand) -> None:
        day = self._clock.now().date()  # the clock is UTC: days are UTC days
        async with self._quick.begin() as connection:
            statement = upsert(connection, nlu_asks).values(
                day=day, intent=intent[:MAX_INTENT], band=band.value, count=1
            )
            await connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[nlu_asks.c.day, nlu_asks.c.intent, nlu_asks.c.band],
                    set_={"count": nlu_asks.c.count + 1},
                )
            )

    async def ask_counts(self, since: date) -> list[AskCount]:
        columns = (nlu_asks.c.day, nlu_asks.c.intent, nlu_asks.c.band, nlu_asks.c.count.label("asks"))
        query = (
            select(*columns)
            .where(nlu_asks.c.day >= since)
            .order_by(nlu_asks.c.day, nlu_asks.c.intent, nlu_asks.c.band)
        )
        async with self._quick.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [AskCount(r.day, r.intent, AskBand(r.band), r.asks) for r in rows]
