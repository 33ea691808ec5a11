"""«Колледжи и техникумы»: the region's colleges by municipality and by profession, and a college's card
with its specialties and «Целевое обучение» offers; opened from the menu, free text and a career result.

``flow`` the routing and the screens' logic, ``screens`` how a college reads, ``professions`` typed
professions to the career catalogue's.
"""

from __future__ import annotations

from backend_client.models import Role
from backend_client.reference import MUNICIPALITIES
from dialogs.feature import Feature, MenuEntry
from dialogs.flow import action
from dialogs.flows.colleges.flow import CollegesFlow
from dialogs.intents import Route
from nlu.types import Parse

__all__ = ["FEATURE", "CollegesFlow", "colleges_arg"]

# Who sees «Колледжи и техникумы» in the menu: pupils choosing, students changing course, parents helping.
COLLEGE_ROLES = frozenset({Role.PUPIL, Role.COLLEGE_STUDENT, Role.PARENT})
_CODE_BY_NAME = {m.name: m.code for m in MUNICIPALITIES}


def colleges_arg(parse: Parse) -> str:
    """«где учат на сварщика в тольятти» -> ``m=36440;p=сварщика`` (the entry's argument)."""
    parts = []
    place = parse.first("municipality")
    if place is not None and place.value in _CODE_BY_NAME:
        parts.append(f"m={_CODE_BY_NAME[place.value]}")
    profession = parse.first("profession")
    if profession is not None:
        parts.append(f"p={profession.value.replace(';', ' ')}")
    return ";".join(parts)


FEATURE = Feature(
    name="colleges",
    flow=lambda services: CollegesFlow(services.colleges, services.records),
    menu=(MenuEntry("btn.colleges", action("colleges", "home"), order=55, roles=COLLEGE_ROLES),),
    intents={"colleges": Route(flow="colleges", arg=colleges_arg)},
)
