"""The role's main menu: each role sees its own set of functions; features not built yet are absent."""

from __future__ import annotations

from enum import StrEnum

from backend_client.models import AgeBand, ConsentStatus, Role
from dialogs.context import Ctx
from dialogs.flow import Flow, action, on_press
from dialogs.texts import t
from dialogs.ui import Button, column

# «Профтуры и профпробы»: everyone the catalogue's audiences name (graduates included)
EVENT_ROLES = frozenset({Role.PUPIL, Role.COLLEGE_STUDENT, Role.UNIVERSITY_STUDENT, Role.GRADUATE})


class Step(StrEnum):
    """The screens of ``menu.mmd``; the menu never waits for text."""

    MENU = "menu"
    HELP = "help"


class MenuFlow(Flow):
    name = "menu"
    steps = Step

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        person = ctx.person
        if person.role is None:
            # An operator who never introduced themselves as a citizen came for the desk, not onboarding.
            await ctx.go("operator" if await self._is_operator(ctx) else "start")
            return
        if person.consent is ConsentStatus.NONE:
            await ctx.go("consent")
            return
        if person.consent is ConsentStatus.AWAITING_GUARDIAN:
            await ctx.go("consent", "awaiting")
            return
        if person.consent is ConsentStatus.DECLINED:
            ctx.say(
                t("menu.declined"),
                column(
                    Button(t("btn.give_consent"), action("consent", "again")),
                    Button(t("btn.help"), self.act("help")),
                ),
            )
            return
        profile = await ctx.records.get_profile(person.id)
        items = [
            Button(t("btn.fill_profile"), action("profile", "create"))
            if profile.is_empty
            else Button(t("btn.my_profile"), action("profile", "show"))
        ]
        if person.role is Role.PARENT:
            items.append(Button(t("btn.my_children"), action("family", "children")))
            items.append(Button(t("btn.link_child"), action("family", "link")))
        elif person.age_band in (AgeBand.CHILD, AgeBand.MINOR):
            items.append(Button(t("btn.my_guardians"), action("family", "guardians")))
        items.append(Button(t("btn.career"), action("career", "home")))
        if person.role in EVENT_ROLES:
            items.append(Button(t("btn.events"), action("events", "list")))
        items.append(Button(t("btn.settings"), action("settings", "show")))
        items.append(Button(t("btn.my_data"), action("mydata", "show")))
        items.append(Button(t("btn.system"), action("system", "show")))
        if await self._is_operator(ctx):
            items.append(Button(t("btn.operator"), action("operator", "home")))
        items.append(Button(t("btn.help"), self.act("help")))
        greeting = (
            t("menu.title_named", name=profile.display_name) if profile.display_name else t("menu.title")
        )
        ctx.say(greeting, column(*items))

    @staticmethod
    async def _is_operator(ctx: Ctx) -> bool:
        broadcasts, incoming = ctx.services.broadcasts, ctx.incoming
        return broadcasts is not None and await broadcasts.is_operator(incoming.channel, incoming.account_id)

    @on_press("show")
    async def show(self, ctx: Ctx) -> None:
        await self.enter(ctx)

    @on_press("help")
    async def help(self, ctx: Ctx) -> None:
        ctx.say(t("engine.help"))
        await self.enter(ctx)
