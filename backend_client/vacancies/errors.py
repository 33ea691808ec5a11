"""What the work catalogue refuses; the conversation answers each politely."""

from __future__ import annotations

from backend_client.errors import DomainError


class VacancyNotFound(DomainError):
    """No such vacancy (a forged or very old button)."""


class VacancyClosed(DomainError):
    """The vacancy is closed or expired, or not legal for the person's age: no application."""


class ApplicationNotFound(DomainError):
    """No such application of this person (someone else's is never found)."""


class BadVacancy(DomainError, ValueError):
    """An importer's row that cannot be taken; the message says what is wrong."""
