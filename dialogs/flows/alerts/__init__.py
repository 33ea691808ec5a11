"""Vacancy alerts: «Подписаться на такие вакансии» under a search (and free text: «пиши мне, если появится
работа поваром в самаре»), «Мои подписки» (change, pause, delete), and the buttons under an alert (open a
vacancy, «показать все», 👍/👎, «Изменить», «Отписаться» with an optional reason).

``screens`` draws, ``flow`` routes; the diagram is ``alerts.mmd`` beside them. The alerts themselves are
matched by the store when vacancies arrive and put together by the relay (``notifications/alerts.py``).
"""

from __future__ import annotations

from functools import partial

from backend_client.ports import SavedSearches
from dialogs.context import Services
from dialogs.feature import Feature, MyDataLine
from dialogs.flow import Flow
from dialogs.flows.alerts.flow import AlertsFlow
from dialogs.flows.alerts.screens import NAME
from dialogs.flows.jobs.route import find_job_arg
from dialogs.intents import Route
from dialogs.texts import t
from dialogs.views.alerts import ALL, EDIT, OPEN, RATE, STOP

__all__ = ["FEATURE", "AlertsFlow"]


def _flow(services: Services) -> Flow:
    return AlertsFlow(services.vacancy_alerts)


def _my_data(services: Services) -> MyDataLine:
    alerts = services.vacancy_alerts
    if alerts is None:
        return _nothing_kept
    return partial(_line, alerts)


async def _line(alerts: SavedSearches, person_id: int) -> str:
    mine = await alerts.saved_searches(person_id)
    return t("alerts.mydata", count=len(mine)) if mine else t("alerts.mydata_none")


async def _nothing_kept(person_id: int) -> str:
    return t("alerts.mydata_none")


FEATURE = Feature(
    name=NAME,
    flow=_flow,
    intents={"job_alerts": Route(flow=NAME, entry="new", arg=find_job_arg)},
    # The buttons under an alert (public: the flow finds only the presser's own records).
    public={OPEN: "open", ALL: "all", RATE: "rate", EDIT: "edit", STOP: "stop"},
    my_data=_my_data,
)
