"""«Тесты на профориентацию»: take a test one question at a time, pause and resume, see and compare results.

``flow`` holds the routing table and taking a test; ``results`` the results, their history and the
children's results a parent sees.
"""

from functools import partial

from dialogs.feature import Feature, MenuEntry, opens
from dialogs.flow import action
from dialogs.flows.career.flow import CareerFlow
from dialogs.flows.career.my_data import career_line
from dialogs.intents import Route

__all__ = ["FEATURE", "CareerFlow"]

FEATURE = Feature(
    name="career",
    flow=lambda services: CareerFlow(
        tests=services.records,
        in_demand=services.records,
        profiles=services.records,
        links=services.records,
    ),
    commands={"tests": opens("career")},
    menu=(MenuEntry("btn.career", action("career", "home"), order=50),),
    intents={"career_test": Route(flow="career"), "test_results": Route(flow="career", entry="history")},
    my_data=lambda services: partial(career_line, services.records),
)
