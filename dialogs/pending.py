"""A turn's replies as text, kept with its receipt until the messenger took them.

The engine records what it answered in the same write as the state; the transport reports when the
replies left. A redelivered update whose replies never left gets them again, and a sweep resends those no
redelivery will come for (long polling confirms an update even when sending its replies failed).
Documents are not kept (an export is personal data and can be large): a resent document becomes a line
asking to request it again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from dialogs.texts import t
from dialogs.ui import Button, Incoming, Outcome, Reply


@dataclass(frozen=True, slots=True)
class Unsent:
    """Replies of an earlier turn to send again, and where they go."""

    channel: str
    account_id: str
    chat_id: str
    outcome: Outcome


def encode(incoming: Incoming, outcome: Outcome) -> str:
    replies = [
        {
            "text": reply.text,
            "keyboard": [[[button.label, button.payload] for button in row] for row in reply.keyboard],
            "document": reply.document is not None,
            "replace": reply.replace_pressed,
        }
        for reply in outcome.replies
    ]
    body = {
        "channel": incoming.channel,
        "account": incoming.account_id,
        "chat": incoming.chat_id,
        "notice": outcome.notice,
        "replies": replies,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def decode(raw: str) -> Unsent:
    body: dict[str, Any] = json.loads(raw)
    replies = tuple(_reply(item) for item in body["replies"])
    outcome = Outcome(replies=replies, notice=str(body.get("notice", "")))
    return Unsent(str(body["channel"]), str(body["account"]), str(body["chat"]), outcome)


def _reply(item: dict[str, Any]) -> Reply:
    keyboard = tuple(
        tuple(Button(str(label), str(token)) for label, token in row) for row in item["keyboard"]
    )
    text = str(item["text"])
    if item.get("document"):
        text = f"{text}\n\n{t('engine.document_again')}".strip()
    return Reply(text, keyboard, None, bool(item.get("replace")))
