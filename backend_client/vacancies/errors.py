"""What the work catalogue refuses; the conversation answers each politely."""

from __future__ import annotations

from backend_client.errors import DomainError


class VacancyNotFound(DomainError):
    """No such vacancy (a forged or very old button)."""

    code = "vacancy_not_found"


class VacancyClosed(DomainError):
    """The vacancy is closed or expired, or not legal for the person's age: no application."""

    code = "vacancy_closed"


class ApplicationNotFound(DomainError):
    """No such application of this person (someone else's is never found)."""

    code = "application_not_found"


class BadVacancy(DomainError, ValueError):
    """An importer's row that cannot be taken; the message says what is wrong."""

    code = "bad_vacancy"
