"""How «Обратная связь» reads: the centre's contacts (/help, «Написать в центр» without consent), a
ticket's age against the target, and the centre's answer as the person receives it through the outbox
(signed with the centre's name, never an operator's, with 👍/👎 and «Ответить центру» under it)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from dialogs.texts import t
from notifications.buttons import mark

# Public verbs of the buttons under the centre's answer (``dialogs.ui.public_payload``).
RATE, REPLY = "fbrate", "fbreply"


class Contacts(Protocol):
    """What the contact lines read (``dialogs.context.CentreContacts`` is one)."""

    @property
    def name(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def hours(self) -> str: ...


def contacts(centre: Contacts) -> str:
    return t(
        "feedback.contacts",
        name=centre.name,
        phone=centre.phone,
        email=centre.email,
        address=centre.address,
        hours=centre.hours,
    )


def help_text(centre: Contacts) -> str:
    """/help: what the bot does, then whom to reach and how."""
    return f"{t('engine.help')}\n\n{contacts(centre)}\n{t('feedback.help_contacts')}"


def duration(span: timedelta) -> str:
    """«40 мин», «5 ч», «2 дн»: a ticket's wait, rounded down."""
    minutes = max(0, int(span.total_seconds() // 60))
    if minutes < 60:
        return t("feedback.age.minutes", n=minutes)
    if minutes < 48 * 60:
        return t("feedback.age.hours", n=minutes // 60)
    return t("feedback.age.days", n=minutes // (24 * 60))


def overdue(opened_at: datetime, answered: bool, now: datetime, target: timedelta) -> bool:
    return not answered and now - opened_at > target


def reply_notice(ticket_id: int, text: str, centre: str) -> str:
    """The centre's answer as the person gets it, with its public buttons as marks for the relay."""
    # The relay reads ⟦…⟧ as button marks: an answer's own brackets must not become buttons.
    safe = text.replace("⟦", "[").replace("⟧", "]")
    body = t("feedback.reply_notice", number=ticket_id, text=safe, centre=centre)
    buttons = (
        mark(t("feedback.btn.rate_up"), RATE, f"{ticket_id}.1"),
        mark(t("feedback.btn.rate_down"), RATE, f"{ticket_id}.0"),
        mark(t("feedback.btn.reply"), REPLY, str(ticket_id)),
    )
    return body + "\n" + "".join(buttons)


def closed_notice(ticket_id: int) -> str:
    """What the person gets when the centre closes their ticket: that it is closed, and how to write again."""
    return t("feedback.closed_notice", number=ticket_id)
