"""How plan steps and check-ins read: for «Мой план», the operators' ``/plan`` and the reminder rules."""

from __future__ import annotations

from datetime import date

from backend_client.plans import CHECK_IN_MONTHS, OutcomeStatus, PlanStep
from dialogs.texts import t

NAME = "plan"  # the flow
DONE = "plandone"  # public button verb: «Сделано» under a reminder (arg: the step id)
CHECK_IN = "checkin"  # public button verb: an answer under a check-in (arg: ``<months>:<status>``)
# Offered to those still searching: the graduates' conversation (flow ``graduate``, another room) and its
# button verb that opens the employment centre's booking. Named, not imported: the button is an action.
CENTRE = ("graduate", "centre")


def day_text(day: date) -> str:
    """«15 декабря»."""
    return t("plan.day", day=day.day, month=t(f"events.month.{day.month}"))


def month_text(day: date) -> str:
    """«июнь»."""
    return t(f"plan.month_name.{day.month}")


def place_text(step: PlanStep) -> str:
    return t("plan.place", place=step.place) if step.place else ""


def step_line(number: int, step: PlanStep, today: date) -> str:
    values = {"number": number, "text": step.text, "day": day_text(step.due_on), "place": place_text(step)}
    if step.done:
        return t("plan.step_done", **values)
    return t("plan.step_overdue" if step.due_on < today else "plan.step_open", **values)


def answer_label(status: OutcomeStatus) -> str:
    return t(f"plan.check_in.answer.{status.value}")


def check_in_question(months: int) -> str:
    if months not in CHECK_IN_MONTHS:
        raise ValueError(months)
    return t("plan.check_in.ask", period=t(f"plan.check_in.period.{months}"))
