"""«Мои данные»: everything stored about the person, a JSON export, and erasure (also on withdrawal)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Literal, get_args

from backend_client.guardianship import GivenConsent
from backend_client.models import ConsentStatus, Role
from backend_client.ports import Accounts, Consents, Guardians, PersonalData, Profiles
from dialogs.context import Ctx
from dialogs.feature import Feature, MenuEntry, MyDataLine, opens
from dialogs.flow import Flow, action, on_press
from dialogs.flows.consent import guardian_notices
from dialogs.flows.profile_fields import summary
from dialogs.intents import Route
from dialogs.state import StateStore
from dialogs.texts import catalog, t
from dialogs.ui import Button, Document, Incoming, column

EraseReason = Literal["delete", "withdraw"]
ERASE_REASONS: tuple[str, ...] = get_args(EraseReason)


class Step(StrEnum):
    """The screens of ``mydata.mmd``; the flow never waits for text."""

    OVERVIEW = "overview"
    EXPORT = "export"
    CONFIRM = "confirm"
    ERASED = "erased"
    GIVEN_CONFIRM = "given_confirm"  # a parent withdrawing the consent given for a child


class MyDataFlow(Flow):
    name = "mydata"
    steps = Step

    def __init__(
        self,
        *,
        personal_data: PersonalData,
        accounts: Accounts,
        profiles: Profiles,
        consents: Consents,
        links: Guardians,
        lines: Sequence[MyDataLine],
        states: StateStore,
    ) -> None:
        self.personal_data = personal_data  # the export and the erasure of everything
        self.accounts = accounts
        self.profiles = profiles
        self.consents = consents
        self.links = links
        self.lines = lines  # what each feature says of its records (dialogs.features.my_data_lines)
        self.states = states  # conversations in progress, erased with the rest

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        if entry == "erase":  # asked in words («удалите мои данные»): straight to the confirmation
            reason = "withdraw" if ctx.person.consent is ConsentStatus.GRANTED else "delete"
            await self._confirm_erase(ctx, reason)
            return
        await self._show(ctx)

    async def _confirm_erase(self, ctx: Ctx, reason: str) -> None:
        text = t(f"mydata.confirm.{reason}")
        if await self.consents.consents_given(ctx.person.id):
            text += "\n" + t("mydata.given_erase_warning")
        ctx.say(
            text,
            column(
                Button(t("btn.erase_yes"), self.act("erase", reason)),
                Button(t("btn.erase_no"), self.act("show")),
            ),
        )

    @on_press("show")
    async def show(self, ctx: Ctx) -> None:
        await self._show(ctx)

    @on_press("export")
    async def export(self, ctx: Ctx) -> None:
        await self._export(ctx)

    @on_press("erase_ask")
    async def erase_ask(self, ctx: Ctx, reason: EraseReason) -> None:
        await self._confirm_erase(ctx, reason)

    @on_press("erase")
    async def erase(self, ctx: Ctx, reason: EraseReason) -> None:
        await self._erase(ctx, reason)

    @on_press("given_ask")
    async def given_ask(self, ctx: Ctx, child_id: int) -> None:
        await self._given(ctx, child_id, withdraw=False)

    @on_press("given_withdraw")
    async def given_withdraw(self, ctx: Ctx, child_id: int) -> None:
        await self._given(ctx, child_id, withdraw=True)

    async def _show(self, ctx: Ctx) -> None:
        person = ctx.person
        role = t(f"role.{person.role.value}") if person.role else t("mydata.no_role")
        buttons = [
            Button(t("btn.export"), self.act("export")),
            Button(t("btn.erase"), self.act("erase_ask", "delete")),
        ]
        if person.consent is not ConsentStatus.GRANTED:
            ctx.say(t("mydata.nothing_personal", role=role), column(*buttons, self._menu_button()))
            return
        profile = await self.profiles.get_profile(person.id)
        consents = await self.consents.consents_of(person.id)
        accounts = await self.accounts.accounts_of(person.id)
        given = await self.consents.consents_given(person.id)
        linked = (
            await self.links.children_of(person.id)
            if person.role is Role.PARENT
            else await self.links.guardians_of(person.id)
        )
        tz = ctx.services.timezone
        parts = [
            t("mydata.header", role=role),
            t("mydata.profile", summary=summary(profile, person.role)),
            t("mydata.accounts")
            + "\n"
            + "\n".join(
                t(
                    "mydata.account_line",
                    channel=channel_name(a.channel),
                    since=a.created_at.astimezone(tz).strftime("%d.%m.%Y"),
                )
                for a in accounts
            ),
            t("mydata.consents")
            + "\n"
            + "\n".join(
                t(
                    f"mydata.consent_line.{c.kind.value}",
                    version=c.version,
                    when=c.given_at.astimezone(tz).strftime("%d.%m.%Y %H:%M"),
                    by=t(f"mydata.given_by.{c.given_by.value}"),
                )
                for c in consents
            ),
            *[await line(person.id) for line in self.lines],
            *self._given_lines(ctx, given),
            t("mydata.links_children" if person.role is Role.PARENT else "mydata.links_guardians")
            + " "
            + (", ".join(p.display_name or t("family.unnamed") for p in linked) or t("profile.empty_value")),
        ]
        buttons.insert(2, Button(t("btn.withdraw"), self.act("erase_ask", "withdraw")))
        children = {g.child_id: g for g in given}
        buttons[3:3] = [
            Button(t("btn.withdraw_given", name=_child_name(g)), self.act("given_ask", str(child)))
            for child, g in children.items()
        ]
        ctx.say("\n\n".join(parts), column(*buttons, self._menu_button()))

    @staticmethod
    def _given_lines(ctx: Ctx, given: list[GivenConsent]) -> list[str]:
        """What the person gave as a parent: theirs to see and to withdraw (152-ФЗ ст. 9 ч. 2)."""
        if not given:
            return []
        tz = ctx.services.timezone
        lines = [
            t(
                f"mydata.given_line.{g.kind.value}",
                name=_child_name(g),
                version=g.version,
                when=g.given_at.astimezone(tz).strftime("%d.%m.%Y %H:%M"),
            )
            for g in given
        ]
        return [t("mydata.given") + "\n" + "\n".join(lines)]

    async def _given(self, ctx: Ctx, child_id: int, *, withdraw: bool) -> None:
        given = [g for g in await self.consents.consents_given(ctx.person.id) if g.child_id == child_id]
        if not given:
            await ctx.stale()
            return
        if not withdraw:
            ctx.say(
                t("mydata.confirm_given", name=_child_name(given[0])),
                column(
                    Button(t("btn.withdraw_given_yes"), self.act("given_withdraw", child_id)),
                    Button(t("btn.erase_no"), self.act("show")),
                ),
            )
            return
        await self.consents.withdraw_given_consent(ctx.person.id, given[0].child_id, told=guardian_notices())
        ctx.say(t("mydata.given_withdrawn", name=_child_name(given[0])))
        await self._show(ctx)

    @staticmethod
    def _menu_button() -> Button:
        return Button(t("btn.back_to_menu"), action("menu", "show"))

    async def _export(self, ctx: Ctx) -> None:
        data = await self.personal_data.export(ctx.person.id)
        content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        stamp = ctx.local_now().strftime("%Y-%m-%d")
        ctx.say(
            t("mydata.export_ready"),
            column(self._menu_button()),
            document=Document(f"frontdoor-my-data-{stamp}.json", content, "application/json"),
        )

    async def _erase(self, ctx: Ctx, reason: str) -> None:
        accounts = await self.accounts.accounts_of(ctx.person.id)
        await self.personal_data.erase(ctx.person.id, reason=reason, told=guardian_notices())
        # Conversations may hold answers in progress: they go too, in every messenger of the person.
        for account in accounts:
            key = Incoming.key_of(account.channel, account.external_id)
            if key != ctx.incoming.conversation_key:
                await self.states.delete(key)
        ctx.forget = True
        ctx.say(t(f"mydata.erased.{reason}"))


def channel_name(channel: str) -> str:
    """A messenger as people call it: its ``channel.<name>`` text, else its own name (a new messenger
    needs no edit here)."""
    key = f"channel.{channel}"
    return t(key) if key in catalog() else channel


def _child_name(given: GivenConsent) -> str:
    return given.child_name or t("family.unnamed")


FEATURE = Feature(
    name="mydata",
    flow=lambda services: MyDataFlow(
        personal_data=services.records,
        accounts=services.records,
        profiles=services.records,
        consents=services.records,
        links=services.records,
        lines=services.my_data,
        states=services.states,
    ),
    commands={"mydata": opens("mydata")},
    menu=(MenuEntry("btn.my_data", action("mydata", "show"), order=80),),
    intents={"delete_data": Route(flow="mydata", entry="erase")},
)
