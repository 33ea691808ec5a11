"""«Мои данные» export by feature: what a section is. The sections are listed in
``backend_client/sql/personal_data.py`` (``EXPORT_SECTIONS``), read in one transaction, in that order.

A feature that keeps personal data defines its section beside its own queries:
``EXPORT = (ExportSection("my_key", my_reader),)``, where the reader takes the export's connection and
the person's id and returns JSON-ready data (ISO-8601 times: ``iso``); then it adds ``*module.EXPORT`` to
``EXPORT_SECTIONS``. That is all the export needs.

Erasure needs no line at all: deleting the person's ``people`` row removes everything, so every table
of a feature that holds a person's data references ``people.id`` with ``ON DELETE CASCADE`` (a reference
to someone else, such as who used an invite, may be ``SET NULL``; tests/contract/test_records.py checks
every foreign key to ``people``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend_client.sql.infra.engine import DbConnection

Reader = Callable[[DbConnection, int], Awaitable[Any]]  # (connection, person id) -> JSON-ready data


@dataclass(frozen=True, slots=True)
class ExportSection:
    key: str  # the section's key in the exported JSON; never renamed (people keep their old files)
    read: Reader


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
