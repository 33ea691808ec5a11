"""What every screen of the work conversation shares: its steps, the port, the search kept in the
conversation state, the way back from a card, consent and the age checks."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from backend_client.models import AgeBand, ConsentStatus, Role
from backend_client.ports.vacancies import Vacancies
from backend_client.vacancies.minors import YOUNGEST_WORKER
from backend_client.vacancies.models import SeekerFacts
from dialogs.context import Ctx
from dialogs.flow import Flow, action
from dialogs.flows.jobs.search import Search
from dialogs.texts import t
from dialogs.ui import Button
from nlu.types import Understanding

NAME = "jobs"
PAGE = 5
Origin = Literal["results", "matches", "saved", "mine"]  # the list a card was opened from
_ORIGINS: tuple[Origin, ...] = ("results", "matches", "saved", "mine")


class Step(StrEnum):
    """The screens of ``jobs.mmd``. The search screens wait for words to look for, the place and salary
    filters for their value, and an application for its optional message (waited at with the vacancy)."""

    HOME = "home"
    RESULTS = "results"
    EMPTY = "empty"
    FILTERS = "filters"
    PLACE = "place"
    SALARY = "salary"
    MATCHES = "matches"
    CARD = "card"
    NOT_FOR_AGE = "not_for_age"
    MESSAGE = "message"
    APPLIED = "applied"
    REFUSED = "refused"
    NEEDS_CONSENT = "needs_consent"
    MINE = "mine"
    SAVED = "saved"
    FOLLOW_UP = "follow_up"
    UNDER_14 = "under_14"


class JobsBase(Flow):
    """The port and the helpers; the screens are in ``browse`` and ``cards``, the routing in ``flow``."""

    name = NAME
    steps = Step

    def __init__(self, vacancies: Vacancies | None, nlu: Understanding | None = None) -> None:
        self._vacancies = vacancies  # None: an engine built without the catalogue (the section says so)
        self.nlu = nlu  # reads words typed on a search screen; None: they are searched as they are

    @property
    def available(self) -> bool:
        return self._vacancies is not None

    @property
    def vacancies(self) -> Vacancies:
        if self._vacancies is None:  # the flow's guards answer before any screen asks
            raise LookupError("the work catalogue is not configured")
        return self._vacancies

    # -- the search and the way back, kept in the conversation state ----------------------------------
    @staticmethod
    def _kept(ctx: Ctx) -> dict[str, object]:
        kept = ctx.data.get(NAME)
        if not isinstance(kept, dict):
            kept = {}
            ctx.data[NAME] = kept
        return kept

    def search(self, ctx: Ctx) -> Search:
        raw = self._kept(ctx).get("q")
        return Search.decode(raw) if isinstance(raw, str) else Search()

    def keep(self, ctx: Ctx, search: Search) -> None:
        self._kept(ctx)["q"] = search.encode()

    def came_from(self, ctx: Ctx, origin: Origin, page: int = 0) -> None:
        kept = self._kept(ctx)
        kept["from"], kept["page"] = origin, page

    def origin(self, ctx: Ctx) -> tuple[Origin, int]:
        kept = self._kept(ctx)
        origin, page = kept.get("from"), kept.get("page")
        found: Origin = "results"
        for known in _ORIGINS:
            if known == origin:
                found = known
        return found, page if isinstance(page, int) and page >= 0 else 0

    async def back(self, ctx: Ctx) -> None:
        """To the list the card was opened from (``browse`` and ``cards`` draw them)."""
        raise NotImplementedError

    # -- who is asking --------------------------------------------------------------------------------
    async def seeker(self, ctx: Ctx) -> SeekerFacts:
        return await self.vacancies.seeker(ctx.person.id)

    @staticmethod
    def under_14(ctx: Ctx, seeker: SeekerFacts | None = None) -> bool:
        if ctx.person.age_band is AgeBand.CHILD:
            return True
        return seeker is not None and seeker.age is not None and seeker.age < YOUNGEST_WORKER

    @staticmethod
    def teen(ctx: Ctx) -> bool:
        """Pupils see «Подработка» (the menu's name for them) and minors the law's reminder."""
        return ctx.person.role is Role.PUPIL or ctx.person.age_band is AgeBand.MINOR

    def say_under_14(self, ctx: Ctx) -> None:
        ctx.state.clear_step()
        ctx.say(
            t("jobs.under_14"),
            (
                (Button(t("jobs.btn.career"), action("career", "home")),),
                (Button(t("jobs.btn.events"), action("events", "list")),),
                (Button(t("btn.back_to_menu"), action("menu", "show")),),
            ),
        )

    async def consented(self, ctx: Ctx, *, refresh: bool = False) -> bool:
        """Applications and favourites are personal data: without consent, say why and show the way."""
        if refresh:
            await ctx.refresh_person()
        elif ctx.person.consent is ConsentStatus.GRANTED:
            return True
        ctx.state.clear_step()
        ctx.say(t("jobs.needs_consent"))
        await ctx.menu()  # the menu leads to the consent step, the parent's code or «Дать согласие»
        return False

    def footer(self, ctx: Ctx, *, home: bool = True) -> list[Button]:
        buttons = [Button(t("jobs.btn.home"), self.act("home"))] if home else []
        buttons.append(Button(t("btn.back_to_menu"), action("menu", "show")))
        return buttons
