"""A button of the role's main menu, as a feature registers it, and what decides whether it is shown.

Kept apart from ``dialogs.feature`` so that the context (``Services.menu``) can name it without
importing the flows; ``dialogs.feature`` re-exports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from backend_client.models import AgeBand, Person, Profile, Role


@dataclass(frozen=True, slots=True)
class Viewer:
    """What the menu knows of the person it is drawn for: read once per menu, shared by every entry."""

    person: Person
    profile: Profile
    operator: bool  # the account holds the operator role


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """A button of the role's main menu."""

    label: str  # text key of the button
    action: str  # the flow action it presses (``dialogs.flow.action``)
    order: int  # place in the menu, low first; leave gaps (10, 20 …) for features to come
    roles: frozenset[Role] | None = None  # who sees it; None: every role
    ages: frozenset[AgeBand] | None = None  # and at which ages; None: any
    when: Callable[[Viewer], bool] | None = None  # a further condition on the person's data; None: none

    def shown_to(self, viewer: Viewer) -> bool:
        person = viewer.person
        if self.roles is not None and person.role not in self.roles:
            return False
        if self.ages is not None and person.age_band not in self.ages:
            return False
        return self.when is None or self.when(viewer)
