"""How a vacancy alert and a subscription read: the filters in words, up to five vacancies, «и ещё N».
Text only: the relay composes the alert from here (``notifications/alerts.py``), the conversation its
screens (``dialogs/flows/alerts``)."""

from __future__ import annotations

from backend_client.vacancies.alerts import AlertContents, AlertFrequency, SavedSearch
from dialogs.texts import t
from dialogs.views.jobs import kind_name, money, pay_text, place_name

# Public verbs of the buttons under an alert (``dialogs.ui.public_payload``), taken by the alerts flow.
OPEN, ALL, RATE, EDIT, STOP = "alopen", "alall", "alrate", "aledit", "alstop"


def search_words(search: SavedSearch) -> str:
    """«повар» · Самара · Стажировка · от 30 000 ₽ · без опыта · кроме «ночь»."""
    query = search.query
    parts = [t("alerts.filters.words", text=query.text)] if query.text else []
    parts.append(place_name(query.municipality) if query.municipality else t("alerts.filters.anywhere"))
    kinds = ", ".join(kind_name(kind) for kind in sorted(query.kinds))
    parts.append(kinds or t("alerts.filters.any_kind"))
    if query.salary_from:
        parts.append(t("jobs.chip.salary", salary=money(query.salary_from)))
    parts += [
        t(f"jobs.chip.{flag}") for flag in ("part_time", "no_experience", "remote") if getattr(query, flag)
    ]
    if search.exclude:
        parts.append(t("alerts.filters.exclude", text=search.exclude))
    return t("alerts.filters.separator").join(parts)


def frequency_text(frequency: AlertFrequency) -> str:
    return t(f"alerts.frequency.{frequency.value}")


def alert_text(alert: AlertContents) -> str:
    """The alert's own text (the relay adds its buttons, why it came and the stop button)."""
    title = search_words(alert.search) if alert.search is not None else ""
    lines = [t("alerts.message.title", search=title)]
    for number, vacancy in enumerate(alert.shown, start=1):
        lines.append(
            t(
                "alerts.message.line",
                number=number,
                title=vacancy.title,
                employer=vacancy.employer.name,
                pay=pay_text(vacancy),
            )
        )
    if alert.more:
        lines.append(t("alerts.message.more", count=alert.more))
    return "\n".join(lines)
