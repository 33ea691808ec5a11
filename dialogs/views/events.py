"""How events read: dates in the region's local time, places, audiences and the card. Text only."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from backend_client.events import Event, EventAudience, EventStatus
from backend_client.models import AgeBand
from backend_client.reference import MunicipalityKind, municipality
from dialogs.texts import catalog, t

LABEL_CHARS = 40  # a button label longer than this is cut: phones show about that much


def kind_name(event: Event) -> str:
    return t(f"events.kind.{event.kind.value}")


def town(code: str) -> str:
    """«Тольятти», «Кинельский район»: short, for list lines."""
    found = municipality(code)
    if found is None:
        return code
    return found.name if found.kind is MunicipalityKind.CITY else found.title


def place_title(code: str) -> str:
    found = municipality(code)
    return found.title if found else code


def day_text(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.day} {t(f'events.month.{local.month}')}"


def short_date(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%d.%m}, {local:%H:%M}"


def when_text(event: Event, zone: ZoneInfo) -> str:
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    return t(
        "events.when",
        weekday=t(f"events.weekday.{start.weekday()}"),
        day=start.day,
        month=t(f"events.month.{start.month}"),
        start=f"{start:%H:%M}",
        end=f"{end:%H:%M}",
    )


def audience_text(audience: EventAudience) -> str:
    parts = [", ".join(t(f"events.role.{role.value}") for role in audience.roles)] if audience.roles else []
    low, high = audience.grade_from, audience.grade_to
    if low is not None and high is not None:
        parts.append(
            t("events.audience.grade_one", grade=low)
            if low == high
            else t("events.audience.grades", grade_from=low, grade_to=high)
        )
    elif low is not None or high is not None:
        parts.append(t("events.audience.grade_one", grade=f"{low or 1}+" if high is None else f"до {high}"))
    if audience.course_from is not None and audience.course_to is not None:
        parts.append(
            t("events.audience.courses", course_from=audience.course_from, course_to=audience.course_to)
        )
    if audience.min_age_band is AgeBand.MINOR:
        parts.append(t("events.audience.age"))
    elif audience.min_age_band is AgeBand.ADULT:
        parts.append(t("events.audience.adult"))
    return ", ".join(parts) if parts else t("events.audience.everyone")


def zone_note(zone: ZoneInfo) -> str:
    """«время самарское» for the configured zone when we know its city, otherwise «местное время»."""
    key = f"events.zone.{zone.key}"
    return t(key) if key in catalog() else t("events.zone.local")


def card_text(event: Event, zone: ZoneInfo, *, signed_up: bool, now: datetime) -> str:
    text = t(
        "events.card",
        zone=zone_note(zone),
        icon=t(f"events.icon.{event.kind.value}"),
        kind=kind_name(event),
        title=event.title,
        organisation=event.organisation,
        when=when_text(event, zone),
        place=place_title(event.municipality),
        address=event.address,
        audience=audience_text(event.audience),
        left=event.places_left,
        capacity=event.capacity,
    )
    if event.status is EventStatus.CANCELLED:
        return f"{text}\n\n{t('events.cancelled_by_organiser')}"
    notes = []
    if signed_up:
        notes.append(t("events.you_are_in"))
    if event.starts_at <= now:
        notes.append(t("events.started"))
    return "\n\n".join([text, *notes])


def label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"
