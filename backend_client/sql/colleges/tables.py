"""The colleges catalogue: one row per college, its specialties as JSON (read whole with the card).

Reference data, not personal data. ``professions`` repeats the programs' profession ids as ",a,b," so a
LIKE finds the colleges teaching one without reading the JSON.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Index, String, Table

from backend_client.sql.infra.types import UtcDateTime
from backend_client.sql.tables import metadata

colleges = Table(
    "colleges",
    metadata,
    Column("id", String(48), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("municipality", String(16), nullable=False),
    Column("address", String(300), nullable=False),
    Column("phone", String(40), nullable=False),
    Column("site", String(200), nullable=False),
    Column("programs", JSON, nullable=False),
    Column("professions", String(2000), nullable=False),
    Column("illustrative", Boolean, nullable=False),
    Column("source", String(200), nullable=False),
    Column("imported_at", UtcDateTime(), nullable=False),
    Index("ix_colleges_municipality", "municipality"),
)
