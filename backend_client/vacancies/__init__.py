"""Work: vacancies, internships, practice and summer jobs — the catalogue's records, the minors' law that
filters them, and how a search and a person's match are asked for. The SQL store is in
``backend_client/sql/vacancies/``; the conversation in ``dialogs/flows/jobs/``."""
