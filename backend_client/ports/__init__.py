"""Narrow ports that flows and jobs depend on. Every method is one use case and owns its transaction.

A flow asks for the protocol it needs (``Accounts``, ``Consents`` ...), never for a session or an engine.
The embedded SQL store implements all of them; tests run one contract suite per port over every backend.
One module per area; this package re-exports every port, so ``from backend_client.ports import X`` works.
"""

from backend_client.ports.accounts import Accounts, Consents, Guardians, Onboarding
from backend_client.ports.alerts import (
    AlertDelivery,
    AlertMatching,
    AlertReports,
    AlertSubscriptions,
    SavedSearches,
    VacancyAlerts,
)
from backend_client.ports.asks import AskCounts
from backend_client.ports.broadcasts import Broadcasts
from backend_client.ports.career import CareerReports, CareerTests, InDemand
from backend_client.ports.colleges import CollegeCatalogue, CollegeImports
from backend_client.ports.conversations import ConversationStore, Receipt, StoredConversation, UpdateJournal
from backend_client.ports.events import EventCatalogue, EventReminderSources, Events
from backend_client.ports.feedback import Feedback, FeedbackDesk, FeedbackReports, Tickets
from backend_client.ports.graduates import (
    CentreBookings,
    CentreReminderSources,
    CentreSlots,
    Graduates,
    GraduateSurveys,
)
from backend_client.ports.kpi import KpiReports
from backend_client.ports.outbox import Leases, Outbox, ReminderSources
from backend_client.ports.plans import CheckInSources, PlanDesk, PlanReminderSources, Plans
from backend_client.ports.profiles import NotificationPreferences, PersonalData, Profiles
from backend_client.ports.records import Records
from backend_client.ports.vacancies import ApplicationFollowUps, Vacancies, VacancyCatalogue

__all__ = [
    "Accounts",
    "AlertDelivery",
    "AlertMatching",
    "AlertReports",
    "AlertSubscriptions",
    "ApplicationFollowUps",
    "AskCounts",
    "Broadcasts",
    "CareerReports",
    "CareerTests",
    "CentreBookings",
    "CentreReminderSources",
    "CentreSlots",
    "CheckInSources",
    "CollegeCatalogue",
    "CollegeImports",
    "Consents",
    "ConversationStore",
    "EventCatalogue",
    "EventReminderSources",
    "Events",
    "Feedback",
    "FeedbackDesk",
    "FeedbackReports",
    "GraduateSurveys",
    "Graduates",
    "Guardians",
    "InDemand",
    "KpiReports",
    "Leases",
    "NotificationPreferences",
    "Onboarding",
    "Outbox",
    "PersonalData",
    "PlanDesk",
    "PlanReminderSources",
    "Plans",
    "Profiles",
    "Receipt",
    "Records",
    "ReminderSources",
    "SavedSearches",
    "StoredConversation",
    "Tickets",
    "UpdateJournal",
    "Vacancies",
    "VacancyAlerts",
    "VacancyCatalogue",
]
