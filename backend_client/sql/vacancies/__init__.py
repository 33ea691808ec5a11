"""«Работа и стажировки» over SQL: ``store.SqlVacancies`` (people), ``catalogue.SqlVacancyCatalogue``
(importers and operators). Nothing is imported here: ``backend_client/sql/tables.py`` imports this
package's ``tables`` module while it is itself being imported."""
