"""How the questionnaire's result, a centre and a booking read; shared by the flows and the reminder rule."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from backend_client.graduates.centres import Centre, Service, Slot
from backend_client.graduates.scoring import Assessment, Band, centre_offered
from backend_client.graduates.survey import Question
from dialogs.texts import t
from dialogs.views.events import day_text


def slot_when(moment: datetime, zone: ZoneInfo) -> str:
    """«9 декабря, ср, 10:00»."""
    local = moment.astimezone(zone)
    return f"{day_text(moment, zone)}, {t(f'events.weekday.{local.weekday()}')}, {local:%H:%M}"


def service_name(service: Service) -> str:
    return t(f"centre.service.{service.value}")


def removed_by_centre(slot: Slot, zone: ZoneInfo) -> str:
    """The notice to a person whose booked slot the centre withdrew."""
    return t(
        "centre.removed_by_centre", service=service_name(slot.service), when=slot_when(slot.starts_at, zone)
    )


def centre_card(centre: Centre) -> str:
    return t("centre.card", name=centre.name, address=centre.address, phone=centre.phone, hours=centre.hours)


def result_text(answers: Mapping[Question, str], assessment: Assessment) -> str:
    """The band in plain words, each reason with its next step, what helps, and that it is advice."""
    parts = [t(f"graduate.band.{assessment.band.value}")]
    if assessment.band in (Band.MEDIUM, Band.HIGH) or assessment.raised_by:
        parts.append(
            "\n".join(
                f"• {t(f'graduate.reason.{f.reason.value}')}\n  → {t(f'graduate.step.{f.reason.value}')}"
                for f in assessment.raised_by
            )
        )
    if assessment.helped_by:
        items = ", ".join(t(f"graduate.reason.{f.reason.value}") for f in assessment.helped_by)
        parts.append(t("graduate.helps", items=items))
    if centre_offered(answers, assessment):
        parts.append(t("graduate.centre_offer"))
    parts.append(t("graduate.advisory"))
    return "\n\n".join(part for part in parts if part)


def answers_text(answers: Mapping[Question, str], when: str) -> str:
    lines = [t("graduate.mine.title", when=when)]
    lines += [
        t(
            "graduate.mine.line",
            question=t(f"graduate.q.{question.value}"),
            answer=t(f"graduate.answer.{question.value}.{code}"),
        )
        for question, code in answers.items()
    ]
    return "\n".join(lines)
