"""«Мой план» and the outcome check-ins over SQL (``backend_client/plans.py``)."""
