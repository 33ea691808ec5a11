"""The whole schema on one ``metadata``: the core tables (``tables.py``) and each feature's own module
(one line each below). Migrations, the tests' database and the schema checks read it from here; a
feature's tables module imports ``tables`` (for ``metadata`` and ``people``), never the other way round."""

from backend_client.sql import tables
from backend_client.sql.alerts import tables as alert_tables
from backend_client.sql.colleges import tables as college_tables
from backend_client.sql.feedback import tables as feedback_tables
from backend_client.sql.graduates import tables as graduate_tables
from backend_client.sql.plans import tables as plan_tables
from backend_client.sql.vacancies import tables as vacancy_tables

metadata = tables.metadata

__all__ = [
    "alert_tables",
    "college_tables",
    "feedback_tables",
    "graduate_tables",
    "metadata",
    "plan_tables",
    "tables",
    "vacancy_tables",
]
