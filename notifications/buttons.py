"""Buttons a reminder carries under its text: the answer to «Работодатель ответил?».

The outbox keeps one text per message, so a producer writes each button into the text as a mark
(``mark``) and the relay takes the marks out and sends them as one-tap buttons (``take``), before its own
«не присылать такие». A button's payload is public (``dialogs.ui.public_payload``): no conversation
turn issued it, so the flow it reaches checks who pressed. A mark holds a verb, an id and a label,
nothing personal; in a day's digest the marks of every message gathered come along.
"""

from __future__ import annotations

import re

from dialogs.ui import PUBLIC_PREFIX, public_payload

_MARK = re.compile(r"⟦button (" + re.escape(PUBLIC_PREFIX) + r"[^\s|⟧]+)\|([^⟧]+)⟧")
_BLANK_TAIL = re.compile(r"[ \t]+\n")

Buttons = tuple[tuple[str, str], ...]  # (label, payload), as ``notifications.sender.Message`` has them


def mark(label: str, verb: str, arg: str) -> str:
    """A public button ``verb:arg`` labelled ``label``, to be put in a notice's text."""
    if "⟦" in label or "⟧" in label or "|" in label:
        raise ValueError("a button label cannot hold the mark's own characters")
    return f"⟦button {public_payload(verb, arg)}|{label}⟧"


def take(text: str) -> tuple[str, Buttons]:
    """The text without its button marks, and the buttons in the order they were written."""
    if "⟦button " not in text:
        return text, ()
    buttons = tuple((found.group(2), found.group(1)) for found in _MARK.finditer(text))
    plain = _BLANK_TAIL.sub("\n", _MARK.sub("", text)).strip()
    return plain, buttons
