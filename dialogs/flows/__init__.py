"""One module (or folder) per feature conversation, each exporting its ``FEATURE``; the registry the
engine routes by is ``dialogs.features``."""
