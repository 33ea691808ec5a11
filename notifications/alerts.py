"""Vacancy alerts put together when the relay sends them, not when they are matched.

Matching leaves a mark in the outbox text, ``⟦alert <search>:<token>⟧`` (``backend_client/sql/alerts/
matching.py``); the relay hands every message to ``AlertExpander`` just before sending it, and each mark
becomes the alert as it is now (``AlertDelivery.take_alert``): only the vacancies still open, so one that
closed while the alert waited for the morning, the daily hour or the end of planned works is dropped.
A message whose alerts all came back empty is not sent (None: the relay withdraws it). A day's digest
carries the marks of every alert gathered into it; once one message holds ``LIMIT`` characters of alerts,
the rest are not taken (their vacancies wait for their subscription's next alert) and a line says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from backend_client.outreach import OutgoingMessage
from backend_client.ports import AlertDelivery
from backend_client.vacancies.alerts import AlertContents
from dialogs.texts import t
from dialogs.views.alerts import ALL, EDIT, OPEN, RATE, STOP, alert_text
from dialogs.views.events import label
from notifications.buttons import mark

MARK = re.compile(r"⟦alert (\d+:[0-9a-z]+)⟧")
LIMIT = 3500  # characters of one message's alerts; Telegram's limit is 4096 with the lines added after
_BULLET = re.compile(r"^[•\s]*$")

Render = Callable[[AlertContents], str]
_MARK_CHARS = str.maketrans({"⟦": "(", "⟧": ")", "|": "/"})


def alert_message(alert: AlertContents) -> str:
    """The alert with its one-tap buttons as marks (``notifications.buttons``): open each vacancy listed,
    «и ещё N — показать все», 👍/👎, «Изменить» and «Отписаться»."""
    buttons = [
        mark(t("alerts.btn.open", number=n, title=label(v.title.translate(_MARK_CHARS))), OPEN, str(v.id))
        for n, v in enumerate(alert.shown, start=1)
    ]
    if alert.more:
        buttons.append(mark(t("alerts.btn.all", count=alert.more), ALL, str(alert.alert_id)))
    buttons.append(mark(t("alerts.btn.up"), RATE, f"{alert.alert_id}:1"))
    buttons.append(mark(t("alerts.btn.down"), RATE, f"{alert.alert_id}:0"))
    if alert.search is not None:
        buttons.append(mark(t("alerts.btn.edit"), EDIT, str(alert.search.id)))
        buttons.append(mark(t("alerts.btn.stop"), STOP, str(alert.search.id)))
    return "\n".join((alert_text(alert), *buttons))


class AlertExpander:
    """``Relay(expand=...)``: a message's alert marks replaced by the alerts as they are now."""

    def __init__(
        self, delivery: AlertDelivery, render: Render = alert_message, *, limit: int = LIMIT
    ) -> None:
        self._delivery = delivery
        self._render = render
        self._limit = limit

    async def __call__(self, message: OutgoingMessage) -> str | None:
        """The text to send; None when the message held only alerts and nothing is left in them."""
        text = message.text
        notices = MARK.findall(text)
        if not notices:
            return text
        rendered: dict[str, str] = {}
        used, left = 0, 0
        for notice in notices:
            if used >= self._limit:
                rendered[notice] = ""
                left += 1  # not taken: its vacancies wait for the subscription's next alert
                continue
            alert = await self._delivery.take_alert(notice)
            body = self._render(alert) if alert is not None else ""
            rendered[notice] = body
            used += len(body)
        expanded = MARK.sub(lambda found: rendered[found.group(1)], text)
        lines = [line for line in expanded.split("\n") if not _BULLET.match(line) or not line]
        if not used and not _content(lines, message):
            return None
        result = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
        if left:
            result += "\n\n" + t("alerts.message.several_more", count=left)
        return result


def _content(lines: list[str], message: OutgoingMessage) -> bool:
    """Whether anything but a digest's title is left (the relay's header, ``notify.digest_title``)."""
    header = t("notify.digest_title", category=t(f"settings.category.{message.category.value}"))
    return any(line.strip() and line.strip() != header for line in lines)
