"""A pull of one region from «Работа России» into the catalogue: full or incremental, safe to interrupt.

- **Full** (``full=True``, or the first pull when the catalogue has no cursor yet): every page of the
  region; then the vacancies of this source that the pull did not see are closed (``close_missing``).
- **Incremental** (the default once a cursor exists, or ``since=``): only records modified since
  ``import_cursor("trudvsem")`` (less an hour of overlap, against clock skew and records sharing a
  second), via ``modifiedFrom``; nothing is closed (a delta cannot tell what is gone).

Each record is mapped (``trudvsem.draft_of``); a bad one is a problem naming the source id and the
reason, and the rest go on. An id listed twice (the source's pages shift while it changes) is kept once,
the later copy winning, and reported. A record we could not map is still counted as seen, so a full pull
does not close a vacancy only because its latest version is malformed.

Resuming: the drafts are written only after every page has come, in order of ``modified_at`` (oldest
first, undated first of all), in batches of ``batch`` through ``upsert_vacancies`` (idempotent: the same
draft again counts as unchanged). So whenever a pull stops — Ctrl-C, a page that keeps failing, a crash
between two batches — every record modified up to the catalogue's cursor is in, and the next run picks up
from there: an incremental run from the cursor fetches the rest, a full run simply starts again. Closing
happens only at the end of a complete full pull, never after a failed or truncated one, and never when the
source listed nothing at all (an outage answering ``"results": {}`` must not close the catalogue).
Memory: the region's drafts are held until written (a few thousand for Samara; ~2 KB each).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from backend_client.clock import Clock
from backend_client.ports.vacancies import VacancyCatalogue
from backend_client.vacancies.errors import BadVacancy
from backend_client.vacancies.importers.trudvsem import SOURCE, draft_of, source_id_of
from backend_client.vacancies.models import ImportReport, VacancyDraft

OVERLAP = timedelta(hours=1)
BATCH = 500

log = logging.getLogger(__name__)


class SourcePage(Protocol):
    @property
    def number(self) -> int: ...

    @property
    def records(self) -> Sequence[Any]: ...

    @property
    def total(self) -> int | None: ...


class VacancyPages(Protocol):
    """What a pull needs of the source (``backend_client.http.trudvsem.TrudvsemClient`` is one)."""

    def pages(self, region: str, *, modified_from: datetime | None = None) -> AsyncIterator[SourcePage]: ...


@dataclass(frozen=True, slots=True)
class PullSummary:
    full: bool
    region: str
    modified_from: datetime | None  # what was asked of the source (None: everything)
    pages: int
    records: int  # as the source listed them, duplicates and bad ones included
    report: ImportReport  # added/updated/unchanged from the store, closed from close_missing, problems
    duplicates: tuple[str, ...] = ()
    not_closed: str = ""  # why a full pull closed nothing, when it did not close


@dataclass(slots=True)
class _Collected:
    drafts: dict[str, VacancyDraft] = field(default_factory=dict)
    page_of: dict[str, int] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    pages: int = 0
    records: int = 0

    def take(self, page: SourcePage) -> None:
        self.pages += 1
        for index, record in enumerate(page.records, 1):
            self.records += 1
            source_id = source_id_of(record)
            try:
                draft = draft_of(record)
            except BadVacancy as problem:
                where = f"vacancy {source_id}" if source_id else f"page {page.number}, record {index}"
                self.problems.append(f"{where}: {problem}")
                if source_id:
                    self.seen.add(source_id)
                continue
            if draft.source_id in self.drafts:
                self.duplicates.append(
                    f"vacancy {draft.source_id}: listed on page {self.page_of[draft.source_id]} and again on "
                    f"page {page.number}; the later copy kept"
                )
            self.drafts[draft.source_id] = draft
            self.page_of[draft.source_id] = page.number
            self.seen.add(draft.source_id)


async def pull_trudvsem(
    source: VacancyPages,
    catalogue: VacancyCatalogue,
    region: str,
    *,
    clock: Clock,
    full: bool = False,
    since: datetime | None = None,
    batch: int = BATCH,
    on_page: Callable[[SourcePage], None] | None = None,
) -> PullSummary:
    """Pull the region as the module says. Errors of the source (``TrudvsemError``) propagate before
    anything is written."""
    started = clock.now()
    modified_from = None if full else await _modified_from(catalogue, since)
    full = modified_from is None
    collected = _Collected()
    async for page in source.pages(region, modified_from=modified_from):
        collected.take(page)
        if on_page is not None:
            on_page(page)
    report = await upsert_in_batches(catalogue, _oldest_first(collected.drafts.values()), batch)
    report = _merge(report, ImportReport(problems=tuple(collected.problems)))
    not_closed = ""
    if full and collected.seen:
        closed = await catalogue.close_missing(SOURCE, collected.seen, before=started)
        report = _merge(report, ImportReport(closed=closed))
    elif full:
        not_closed = "the source listed no vacancies: nothing closed"
    kind = "full" if full else "delta"
    log.info("trudvsem %s pull of %s: %d pages, %d records", kind, region, collected.pages, collected.records)
    return PullSummary(
        full,
        region,
        modified_from,
        collected.pages,
        collected.records,
        report,
        tuple(collected.duplicates),
        not_closed,
    )


async def _modified_from(catalogue: VacancyCatalogue, since: datetime | None) -> datetime | None:
    if since is not None:
        return since
    cursor = await catalogue.import_cursor(SOURCE)
    return None if cursor is None else cursor - OVERLAP


_UNDATED = datetime.min.replace(tzinfo=UTC)


def _oldest_first(drafts: Iterable[VacancyDraft]) -> list[VacancyDraft]:
    return sorted(drafts, key=lambda draft: draft.modified_at or _UNDATED)


async def upsert_in_batches(
    catalogue: VacancyCatalogue, drafts: Sequence[VacancyDraft], batch: int = BATCH
) -> ImportReport:
    """Write the drafts ``batch`` at a time, in the order given. A batch the store refuses as a whole (it
    writes nothing and answers with problems, or raises ``BadVacancy``) is written again one draft at a
    time, so only the bad drafts are lost, each named by its source id."""
    report = ImportReport()
    for start in range(0, len(drafts), batch):
        chunk = drafts[start : start + batch]
        written = await _upsert(catalogue, chunk)
        if written.problems:
            for draft in chunk:
                report = _merge(report, _named(await _upsert(catalogue, [draft]), draft))
        else:
            report = _merge(report, written)
    return report


async def _upsert(catalogue: VacancyCatalogue, drafts: Sequence[VacancyDraft]) -> ImportReport:
    try:
        return await catalogue.upsert_vacancies(drafts)
    except BadVacancy as problem:
        return ImportReport(problems=(str(problem),))


def _named(report: ImportReport, draft: VacancyDraft) -> ImportReport:
    problems = tuple(
        f"vacancy {draft.source_id}: refused by the catalogue: {problem.removeprefix('row 1: ')}"
        for problem in report.problems
    )
    return ImportReport(report.added, report.updated, report.closed, report.unchanged, problems)


def _merge(first: ImportReport, second: ImportReport) -> ImportReport:
    return ImportReport(
        added=first.added + second.added,
        updated=first.updated + second.updated,
        closed=first.closed + second.closed,
        unchanged=first.unchanged + second.unchanged,
        problems=first.problems + second.problems,
    )
