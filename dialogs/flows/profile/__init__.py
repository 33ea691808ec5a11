"""«Мой профиль»: the first fill-in after consent, the summary, editing any field later, changing the role.

``flow`` routes and shows the summary, ``editing`` asks and takes the fields, ``role_change`` changes the
role (re-checking the consent path).
"""

from backend_client.reference import MUNICIPALITIES
from dialogs.feature import Feature, MenuEntry, opens
from dialogs.flow import action
from dialogs.flows.profile.flow import ProfileFlow
from dialogs.intents import Route
from nlu.types import Parse

__all__ = ["FEATURE", "ProfileFlow", "profile_arg"]

_CODE_BY_NAME = {m.name: m.code for m in MUNICIPALITIES}


def profile_arg(parse: Parse) -> str:
    """«я переехал в Тольятти» -> edit the municipality, Тольятти offered; «я уже в 10 классе» -> grade."""
    municipality = parse.first("municipality")
    if municipality is not None and municipality.value in _CODE_BY_NAME:
        return f"municipality:{_CODE_BY_NAME[municipality.value]}"
    for field in ("grade", "course"):
        if parse.first(field) is not None:
            return field
    return ""


FEATURE = Feature(
    name="profile",
    flow=lambda services: ProfileFlow(
        profiles=services.records,
        onboarding=services.records,
        consents=services.records,
        guardians=services.records,
    ),
    commands={"profile": opens("profile")},
    menu=(
        # one of the two, by whether the profile is filled in
        MenuEntry("btn.fill_profile", action("profile", "create"), 10, when=lambda v: v.profile.is_empty),
        MenuEntry("btn.my_profile", action("profile", "show"), 10, when=lambda v: not v.profile.is_empty),
    ),
    intents={"profile": Route(flow="profile", entry="edit", arg=profile_arg)},
)
