"""Documents the bot sends (a personal-data export, say) are saved as files in the export folder."""

from __future__ import annotations

from pathlib import Path

from dialogs.ui import Document

FALLBACK_NAME = "document"


def save_document(document: Document, folder: Path) -> Path:
    """Write the document into ``folder`` under its own name; never outside it, never over another file."""
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(document.filename).name  # drops any folders, so "../x" cannot escape the export folder
    if name in ("", ".", ".."):
        name = FALLBACK_NAME
    target = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    copy = 1
    while target.exists():
        target = folder / f"{stem}-{copy}{suffix}"
        copy += 1
    target.write_bytes(document.content)
    return target
