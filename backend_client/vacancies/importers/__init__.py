"""Importers of the work catalogue: «Работа России» open data (``trudvsem`` maps one record, ``pull`` drives
a whole region through ``VacancyCatalogue``) and the CSV/YAML files of local employers and colleges
(``local_file``). They produce ``VacancyDraft``s; the store decides what is new, changed or gone."""
