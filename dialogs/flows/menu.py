"""The role's main menu: each role sees its own set of functions; features not built yet are absent.

The buttons are the entries the features registered (``dialogs.features.menu_entries``), each shown to
whom it says; the menu reads the person's profile and operator role once for all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from backend_client.models import ConsentStatus
from backend_client.ports import Broadcasts, Profiles
from dialogs.context import Ctx
from dialogs.feature import Feature, MenuEntry, Viewer
from dialogs.flow import Flow, action, on_press
from dialogs.texts import t
from dialogs.ui import Button, column
from dialogs.views.feedback import help_text


class Step(StrEnum):
    """The screens of ``menu.mmd``; the menu never waits for text."""

    MENU = "menu"
    HELP = "help"


class MenuFlow(Flow):
    name = "menu"
    steps = Step

    def __init__(
        self, entries: Sequence[MenuEntry], profiles: Profiles, broadcasts: Broadcasts | None
    ) -> None:
        self.entries = tuple(entries)
        self.profiles = profiles
        self.broadcasts = broadcasts  # who holds the operator role; None: nobody

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
        profile = await self.profiles.get_profile(person.id)
        viewer = Viewer(person, profile, operator=await self._is_operator(ctx))
        items = [Button(t(e.label), e.action) for e in self.entries if e.shown_to(viewer)]
        greeting = (
            t("menu.title_named", name=profile.display_name) if profile.display_name else t("menu.title")
        )
        ctx.say(greeting, column(*items))

    async def _is_operator(self, ctx: Ctx) -> bool:
        broadcasts, incoming = self.broadcasts, ctx.incoming
        return broadcasts is not None and await broadcasts.is_operator(incoming.channel, incoming.account_id)

    @on_press("show")
    async def show(self, ctx: Ctx) -> None:
        await self.enter(ctx)

    @on_press("help")
    async def help(self, ctx: Ctx) -> None:
        ctx.say(help_text(ctx.services.centre))
        await self.enter(ctx)


FEATURE = Feature(
    name="menu",
    flow=lambda services: MenuFlow(services.menu, services.records, services.broadcasts),
    menu=(MenuEntry("btn.help", action("menu", "help"), order=1000),),
)
