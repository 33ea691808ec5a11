"""``SqlRecords``: every port of ``backend_client.ports.Records`` over the embedded SQL store."""

from __future__ import annotations

from backend_client.sql.accounts import AccountsSql
from backend_client.sql.asks import AskCountsSql
from backend_client.sql.career import CareerTestsSql
from backend_client.sql.career_report import CareerReportsSql, InDemandSql
from backend_client.sql.consents import ConsentsSql
from backend_client.sql.events import EventsSql
from backend_client.sql.guardians import GuardiansSql
from backend_client.sql.personal_data import PersonalDataSql
from backend_client.sql.preferences import PreferencesSql
from backend_client.sql.profiles import ProfilesSql


class SqlRecords(
    AccountsSql,
    ConsentsSql,
    GuardiansSql,
    ProfilesSql,
    PersonalDataSql,
    CareerTestsSql,
    InDemandSql,
    CareerReportsSql,
    PreferencesSql,
    AskCountsSql,
    EventsSql,
):
    """Accounts, consents, guardians, profiles, personal data, career tests, notification preferences
    the counts of what people ask in free text, and events with their sign-ups (``EventsSql``).

    ``SqlRecords(engine, clock)``. Each public method is one use case in one transaction and returns
    ``backend_client.models`` types. Methods that change a person raise PersonGone when the person does
    not exist (any more); reads about an unknown person return nothing (empty list or empty profile);
    ``erase`` of an unknown person and ``set_blocked`` of an unknown account do nothing.
    """
