"""The colleges catalogue in the store: ``tables``, and ``store`` (the catalogue ports)."""
