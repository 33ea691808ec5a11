"""``SqlRecords``: every port of ``backend_client.ports.Records`` over the embedded SQL store."""

from __future__ import annotations

from backend_client.sql.personal_data import PersonalDataSql


class SqlRecords(PersonalDataSql):
    """Accounts, onboarding, consents, guardians, profiles and personal data in one object.

    The use cases live in small mixins (accounts, consents, guardians, profiles, personal_data); each
    public method runs in its own transaction.
    """
