"""``SqlRecords``: every port of ``backend_client.ports.Records`` over the embedded SQL store."""

from __future__ import annotations

from backend_client.sql.accounts import SqlAccounts
from backend_client.sql.asks import SqlAskCounts
from backend_client.sql.career import SqlCareerTests
from backend_client.sql.career_report import SqlCareerReports, SqlInDemand
from backend_client.sql.consents import SqlConsents
from backend_client.sql.events import SqlEvents
from backend_client.sql.guardians import SqlGuardians
from backend_client.sql.personal_data import SqlPersonalData
from backend_client.sql.preferences import SqlPreferences
from backend_client.sql.profiles import SqlProfiles


class SqlRecords(
    SqlAccounts,
    SqlConsents,
    SqlGuardians,
    SqlProfiles,
    SqlPersonalData,
    SqlCareerTests,
    SqlInDemand,
    SqlCareerReports,
    SqlPreferences,
    SqlAskCounts,
    SqlEvents,
):
    """Accounts, consents, guardians, profiles, personal data, career tests, notification preferences
    the counts of what people ask in free text, and events with their sign-ups (``SqlEvents``).

    ``SqlRecords(engine, clock)``. Each public method is one use case in one transaction and returns
    ``backend_client.models`` types. Methods that change a person raise PersonGone when the person does
    not exist (any more); reads about an unknown person return nothing (empty list or empty profile);
    ``erase`` of an unknown person and ``set_blocked`` of an unknown account do nothing.
    """
