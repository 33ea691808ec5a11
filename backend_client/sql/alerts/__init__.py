"""Vacancy alerts over SQL: ``store.SqlVacancyAlerts`` (saved searches, feedback, delivery, the report) and
``matching.match_in`` (run by the catalogue's import in its own transaction). Nothing is imported here:
``backend_client/sql/tables.py`` imports this package's ``tables`` module while it is being imported."""
