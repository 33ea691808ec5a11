"""The scheduler's pull of «Работа России»: changes every hour, the whole region once a night.

The scheduler runs ``ScheduledPull`` every hour in its leader only (``notifications.sweeps:pull_sources``).
The pass that falls in ``FRONTDOOR_TRUDVSEM_FULL_HOUR`` (local time) is a full pull, which also closes the
vacancies the source stopped listing; every other pass asks only for what changed since the catalogue's
cursor. Either is safe to repeat or to cut short (see ``importers/pull.py``), so a leader that changes
mid-pull or a missed night costs nothing but a later catch-up. New vacancies match the saved searches in
the import's own transaction, so alerts follow by themselves.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from backend_client.clock import Clock
from backend_client.http.trudvsem import TrudvsemClient
from backend_client.ports.vacancies import VacancyCatalogue
from backend_client.vacancies.importers.pull import pull_trudvsem
from bot.settings import TrudvsemSettings

log = logging.getLogger(__name__)


class ScheduledPull:
    def __init__(
        self, options: TrudvsemSettings, catalogue: VacancyCatalogue, clock: Clock, zone: ZoneInfo
    ) -> None:
        self._options = options
        self._catalogue = catalogue
        self._clock = clock
        self._zone = zone

    def is_full(self, now: datetime) -> bool:
        return now.astimezone(self._zone).hour == self._options.trudvsem_full_hour

    async def __call__(self, now: datetime) -> None:
        """One pull; an unreachable source raises, and the sweep's supervisor tries again sooner."""
        options = self._options
        source = TrudvsemClient(
            options.trudvsem_url,
            delay=options.trudvsem_delay,
            timeout=options.trudvsem_timeout,
            attempts=options.trudvsem_attempts,
        )
        async with source:
            summary = await pull_trudvsem(
                source, self._catalogue, options.trudvsem_region, clock=self._clock, full=self.is_full(now)
            )
        report = summary.report
        log.info(
            "trudvsem %s pull: %d pages, %d records; added %d, updated %d, unchanged %d, closed %d, bad %d",
            "full" if summary.full else "incremental",
            summary.pages,
            summary.records,
            report.added,
            report.updated,
            report.unchanged,
            report.closed,
            len(report.problems),
        )
