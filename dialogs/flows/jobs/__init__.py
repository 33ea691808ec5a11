"""«Работа и стажировки» (students, graduates, job seekers) and «Подработка» (pupils from 14): search with
filters, matching to the profile, cards, applying, «Избранное», «Мои отклики» and the follow-up answer.

``flow`` — the flow's table of buttons and steps; ``browse`` and ``cards`` — its screens; ``search`` —
the search and its chips; ``route`` — free text's entities into a search. The diagram is ``../jobs.mmd``.
"""

from __future__ import annotations

from functools import partial

from backend_client.models import AgeBand, Role
from dialogs.context import Services
from dialogs.feature import Feature, MenuEntry, MyDataLine
from dialogs.flow import Flow, action
from dialogs.flows.jobs.common import NAME
from dialogs.flows.jobs.flow import JobsFlow
from dialogs.flows.jobs.mydata import work_line
from dialogs.flows.jobs.route import ENTRY, find_job_arg, internship_arg, summer_job_arg
from dialogs.intents import Route
from dialogs.texts import t

__all__ = ["FEATURE", "JobsFlow"]

SEEKERS = frozenset({Role.COLLEGE_STUDENT, Role.UNIVERSITY_STUDENT, Role.GRADUATE, Role.JOBSEEKER})


def _flow(services: Services) -> Flow:
    # Without the catalogue (an engine built for other features' tests) the section says it is unavailable.
    return JobsFlow(services.vacancies, services.nlu)


def _my_data(services: Services) -> MyDataLine:
    vacancies = services.vacancies
    if vacancies is None:
        return _nothing_kept
    return partial(work_line, vacancies)


async def _nothing_kept(person_id: int) -> str:
    return t("jobs.mydata_none")


FEATURE = Feature(
    name=NAME,
    flow=_flow,
    menu=(
        MenuEntry(label="btn.jobs", action=action(NAME, "home"), order=65, roles=SEEKERS),
        MenuEntry(
            label="btn.jobs_teen",
            action=action(NAME, "home"),
            order=65,
            roles=frozenset({Role.PUPIL}),
            ages=frozenset({AgeBand.MINOR, AgeBand.ADULT}),
        ),
    ),
    intents={
        "find_job": Route(flow=NAME, entry=ENTRY, arg=find_job_arg),
        "internship": Route(flow=NAME, entry=ENTRY, arg=internship_arg),
        "summer_job": Route(flow=NAME, entry=ENTRY, arg=summer_job_arg),
    },
    public={"followup": "followup"},  # «Работодатель ответил?» a week after applying
    my_data=_my_data,
)
