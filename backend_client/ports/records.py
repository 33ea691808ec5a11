"""``Records``: the union of the record ports the conversations use (the embedded store implements it)."""

from __future__ import annotations

from typing import Protocol

from backend_client.ports.accounts import Accounts, Consents, Guardians, Onboarding
from backend_client.ports.asks import AskCounts
from backend_client.ports.career import CareerReports, CareerTests, InDemand
from backend_client.ports.events import Events
from backend_client.ports.profiles import NotificationPreferences, PersonalData, Profiles


class Records(
    Accounts,
    Onboarding,
    Consents,
    Guardians,
    Profiles,
    PersonalData,
    CareerTests,
    InDemand,
    CareerReports,
    NotificationPreferences,
    AskCounts,
    Events,
    Protocol,
):
    """Everything the conversations need from the core records (the embedded store implements it all)."""
