"""What both sides of «Обратная связь» share: the flow's name, its steps and the draft kept in the
conversation while the person writes."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from backend_client.feedback import Topic
from dialogs.context import Ctx
from dialogs.texts import t
from dialogs.validation import clean, label_key, parse_free_text, same_words

NAME = "feedback"
DRAFT_MESSAGES = 10  # messages one ticket gathers before the topic is picked


class Step(StrEnum):
    """The screens of ``feedback.mmd``; the values of the waiting ones are stored, so they never change."""

    WRITE = "write"  # waiting: the ticket's text (several messages), then the topic
    SHARE = "share"  # waiting: «показать роль, муниципалитет и прошлые обращения?» (buttons or да/нет)
    OPENED = "opened"  # the ticket's number and the centre's hours
    TICKET = "ticket"  # the person's open ticket: add to it or close it
    ADD = "add"  # waiting: more text for the open ticket
    COMMENT = "comment"  # waiting: the rating's comment
    INBOX = "inbox"  # operators: open tickets, oldest first
    VIEW = "view"  # operators: one ticket
    ANSWER = "answer"  # waiting: the operator's answer


def draft(ctx: Ctx) -> dict[str, object]:
    kept = ctx.data.get(NAME)
    if isinstance(kept, dict):
        return kept
    fresh: dict[str, object] = {"texts": []}
    ctx.data[NAME] = fresh
    return fresh


def draft_texts(ctx: Ctx) -> list[str]:
    texts = draft(ctx).get("texts")
    return [str(text) for text in texts] if isinstance(texts, list) else []


def ticket_text(text: str, limit: int) -> str:
    """What a person or an operator wrote, checked as free text (InputError: too short, too long) but
    with its line breaks kept: an answer's paragraphs stay paragraphs."""
    parse_free_text(text, limit=limit)
    lines = (clean(line) for line in text.splitlines())
    return "\n".join(line for line in lines if line)[:limit]


def topic_name(topic: Topic) -> str:
    return t(f"feedback.topic.{topic.value}")


# Typed answers to «показать сотруднику…?», compared as ``label_key`` reduces them.
SHARE_YES = frozenset({"да", "ага", "ок", "хорошо", "можно", "конечно", "да можно", "покажите", "показать"})
SHARE_NO = frozenset({"нет", "не", "не надо", "не нужно", "не показывайте", "не показывать", "только текст"})


def share_choice(text: str) -> Literal["yes", "no"] | None:
    """What a typed line answers to the share question: a button's label repeated, or yes/no words."""
    if same_words(text, t("feedback.btn.share_yes")):
        return "yes"
    if same_words(text, t("feedback.btn.share_no")):
        return "no"
    answer = label_key(text)
    if answer in SHARE_YES:
        return "yes"
    return "no" if answer in SHARE_NO else None
