"""«Обратная связь»: a person reaches a human at the regional centre, and operators answer from the desk.

``person`` is the person's side (write, topic, consent to share, add, close, rate), ``desk`` the
operators' room (inbox, one ticket, «Взять», «Ответить», «Закрыть»), ``flow`` routes both and guards the
desk. The diagram is ``feedback.mmd`` beside them. Answers travel through the outbox (quiet hours,
retries, every messenger); the store is ``backend_client/sql/feedback/``.
"""

from __future__ import annotations

from functools import partial

from backend_client.ports import Feedback
from dialogs.context import Services
from dialogs.feature import Feature, MenuEntry, MyDataLine, opens
from dialogs.flow import action
from dialogs.flows.feedback.common import NAME
from dialogs.flows.feedback.flow import FeedbackFlow
from dialogs.intents import Route
from dialogs.texts import t
from dialogs.views.feedback import RATE, REPLY

__all__ = ["FEATURE", "FeedbackFlow"]


def _my_data(services: Services) -> MyDataLine:
    if services.feedback is None:
        return _nothing_kept
    return partial(_line, services.feedback)


async def _line(feedback: Feedback, person_id: int) -> str:
    count, still_open = await feedback.ticket_counts(person_id)
    return t("feedback.mydata", count=count, open=still_open) if count else t("feedback.mydata_none")


async def _nothing_kept(person_id: int) -> str:
    return t("feedback.mydata_none")


FEATURE = Feature(
    name=NAME,
    flow=lambda services: FeedbackFlow(services.feedback, services.broadcasts),
    commands={"feedback": opens(NAME)},
    menu=(MenuEntry("feedback.btn.menu", action(NAME, "home"), order=95),),
    intents={"operator": Route(flow=NAME)},
    # The buttons under the centre's answer (public: the flow finds only the presser's own ticket).
    public={RATE: "rate", REPLY: "reply"},
    my_data=_my_data,
)
