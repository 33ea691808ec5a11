"""Counts of what people ask in free text."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from backend_client.models import AskBand, AskCount


class AskCounts(Protocol):
    """What people ask in free text, for operators: counts only, never the text or who wrote it."""

    async def count_ask(self, intent: str, band: AskBand) -> None:
        """One more free-text message understood as ``intent`` with ``band`` today (a UTC day)."""
        ...

    async def ask_counts(self, since: date) -> list[AskCount]:
        """Counts per day, intent and band from the UTC day ``since`` on, oldest first."""
        ...
