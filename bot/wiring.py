"""The one place a dialog ``Engine`` is built: production (``bot.app.build_app``), the tests and the
benchmarks all call ``build_engine``, so the engine a test talks to is wired as the one people talk to.

Kept apart from ``bot.app`` so that tests and benchmarks get the wiring without the composition root's
service clients (Redis, asyncpg, settings).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dialogs.engine import Engine

if TYPE_CHECKING:
    from backend_client.clock import Clock
    from backend_client.sql import Database
    from dialogs.state import StateStore


def build_engine(database: Database, states: StateStore, clock: Clock, **options: Any) -> Engine:
    """The dialog engine over the open store, given every store the database exposes (the records, the
    operators' broadcasts, the work catalogue and its alerts; a feature's store joins here when its flow
    needs one).

    ``states`` is the conversation store (``database.conversations``, Redis, or a test's own);
    ``options`` are the engine's keyword settings (timezone, consent terms, NLU, flood gate, ``flows``
    …) and may replace a store the database gives (``broadcasts=None``: no operator menu)."""
    return Engine(
        database.records,
        states,
        clock,
        **{
            "broadcasts": database.broadcasts,
            "vacancies": database.vacancies,
            "vacancy_alerts": database.vacancy_alerts,
            "colleges": database.colleges,
            "graduates": database.graduates,
            "plans": database.plans,
            "feedback": database.feedback,
            **options,
        },
    )
