"""How a vacancy alert reads: the subscription in words and up to five vacancies, «и ещё N»."""

from __future__ import annotations

from backend_client.vacancies.alerts import AlertContents, SavedSearch
from backend_client.vacancies.models import Vacancy
from dialogs.texts import t
from dialogs.views.events import town


def money(amount: int) -> str:
    """35000 -> «35 000»."""
    return f"{amount:,}".replace(",", " ")


def pay_text(vacancy: Vacancy) -> str:
    low, high = vacancy.salary_from or None, vacancy.salary_to or None
    if low and high and high > low:
        return t("alerts.pay.range", low=money(low), high=money(high))
    if low:
        return t("alerts.pay.from", low=money(low))
    if high:
        return t("alerts.pay.to", high=money(high))
    return t("alerts.pay.unknown")


def search_words(search: SavedSearch) -> str:
    """«повар» · Самара · работа, подработка · от 40 000 ₽ · без опыта · кроме «ночь»."""
    query = search.query
    parts = [t("alerts.filters.words", text=query.text)] if query.text else []
    parts.append(town(query.municipality) if query.municipality else t("alerts.filters.anywhere"))
    kinds = ", ".join(t(f"alerts.kind.{kind.value}") for kind in sorted(query.kinds))
    parts.append(kinds or t("alerts.filters.any_kind"))
    if query.salary_from:
        parts.append(t("alerts.filters.salary", salary=money(query.salary_from)))
    for flag in ("part_time", "no_experience", "remote"):
        if getattr(query, flag):
            parts.append(t(f"alerts.filters.{flag}"))
    if search.exclude:
        parts.append(t("alerts.filters.exclude", text=search.exclude))
    return t("alerts.filters.separator").join(parts)


def alert_text(alert: AlertContents) -> str:
    """The alert's own text (the relay adds why it came and the stop button)."""
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
