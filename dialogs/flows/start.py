"""Arrival: the greeting, "who are you?" and the age that decides the consent path.

Nothing personal is stored here: the role and the age band go to the person record (the minimum needed
to choose the consent procedure); the exact age waits in the conversation until consent is given.
"""

from __future__ import annotations

from enum import StrEnum

from backend_client.models import AgeBand, ConsentStatus, Role
from backend_client.ports import Onboarding
from dialogs.context import Ctx
from dialogs.feature import Feature
from dialogs.flow import Flow, on_answer, on_press
from dialogs.texts import t
from dialogs.ui import Button, column
from dialogs.validation import InputError, clean, parse_birth

ROLE_ORDER = (
    Role.PUPIL,
    Role.COLLEGE_STUDENT,
    Role.UNIVERSITY_STUDENT,
    Role.GRADUATE,
    Role.PARENT,
    Role.JOBSEEKER,
)
INVITE_PREFIX = "inv_"


class Step(StrEnum):
    """The steps of ``start.mmd``."""

    GREETING = "greeting"
    ROLE = "role"  # waiting: «кто вы?» (a typed label works too)
    AGE = "age"  # waiting: the age or the birth year


class StartFlow(Flow):
    name = "start"
    steps = Step

    def __init__(self, onboarding: Onboarding) -> None:
        self.onboarding = onboarding

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        if entry == "payload":
            if arg.startswith(INVITE_PREFIX):
                await ctx.go("family", "invite", arg.removeprefix(INVITE_PREFIX))
                return
            ctx.say(t("start.unknown_link"))
        if entry == "role" and self._may_choose_role(ctx):
            self._ask_role(ctx)
            return
        if ctx.person.role is None:
            ctx.say(t("start.greeting"))
            self._ask_role(ctx)
            return
        ctx.say(t("start.welcome_back"))
        await ctx.menu()

    @staticmethod
    def _may_choose_role(ctx: Ctx) -> bool:
        # Once consent is given the role belongs to the profile; before that it can still change.
        return ctx.person.consent in (ConsentStatus.NONE, ConsentStatus.DECLINED)

    def _ask_role(self, ctx: Ctx) -> None:
        ctx.say(
            t("start.who"),
            column(*(Button(t(f"role.{r.value}"), self.act("role", r.value)) for r in ROLE_ORDER)),
        )
        self.wait(ctx, Step.ROLE)

    def _ask_age(self, ctx: Ctx, role: Role) -> None:
        ctx.data.clear()
        ctx.data["role"] = role.value
        ctx.say(t("start.ask_age_parent" if role is Role.PARENT else "start.ask_age"))
        self.wait(ctx, Step.AGE)

    @on_press("rechoose")
    async def rechoose(self, ctx: Ctx) -> None:
        await self.enter(ctx, "role")

    @on_press("role")
    async def role(self, ctx: Ctx, role: Role) -> None:
        if ctx.person.role is not None and not self._may_choose_role(ctx):
            await ctx.menu()
            return
        self._ask_age(ctx, role)

    @on_answer(Step.ROLE)
    async def typed_role(self, ctx: Ctx, text: str) -> None:
        typed = clean(text).casefold()
        chosen = [r for r in ROLE_ORDER if typed and typed in t(f"role.{r.value}").casefold()]
        if len(chosen) == 1:
            self._ask_age(ctx, chosen[0])
        else:
            ctx.say(t("start.pick_role"))
            self._ask_role(ctx)

    @on_answer(Step.AGE)
    async def typed_age(self, ctx: Ctx, text: str) -> None:
        await self._take_age(ctx, text)

    async def _take_age(self, ctx: Ctx, text: str) -> None:
        role_value = ctx.data.get("role")
        if not isinstance(role_value, str) or role_value not in Role._value2member_map_:
            ctx.state.reset()
            self._ask_role(ctx)
            return
        role = Role(role_value)
        try:
            # The safe side: a birth year alone is the youngest age it allows (parse_birth).
            age, year = parse_birth(text, role, ctx.local_now().date())
        except InputError as problem:
            ctx.say(t(problem.key, **problem.values))
            return
        ctx.person = await self.onboarding.choose_role(ctx.person.id, role, AgeBand.of_age(age))
        ctx.state.reset()
        # only until the consent step decides whether they may be kept
        ctx.data["age"] = age
        ctx.data["birth_year"] = year
        await ctx.go("consent")


FEATURE = Feature(name="start", flow=lambda services: StartFlow(services.records))
