"""Parents and children: invites, the parent's consent or confirmation, and the links both sides manage."""

from __future__ import annotations

import re
from enum import StrEnum

from backend_client.errors import DomainError
from backend_client.models import (
    AgeBand,
    ConsentKind,
    ConsentStatus,
    GivenBy,
    InvitePurpose,
    LinkedPerson,
    Role,
)
from backend_client.ports import Consents, Guardians, Onboarding
from dialogs.context import Ctx
from dialogs.feature import Feature, MenuEntry
from dialogs.flow import Flow, Run, action, on_answer, on_press, parse_action
from dialogs.flows.consent import AFTER_CONSENT, guardian_notices, invite_text, typed_answer
from dialogs.intents import Route
from dialogs.texts import t
from dialogs.ui import Button, Keyboard, column

_CODE_IN_TEXT = re.compile(r"(?:inv_)?([A-Za-z0-9]{10})\b")
INVITE = "invite"  # the code whose question waits for a typed answer (CONFIRM_PARENT and DECIDE)


class Step(StrEnum):
    """The steps of ``family.mmd``; the waiting ones' values are what conversation states store."""

    CODE = "code"  # waiting: a parent types the child's code
    OPEN_INVITE = "open_invite"
    REFUSED = "refused"
    CONFIRM_PARENT = "iam_parent"  # waiting: «да, я родитель» pressed or typed
    OWN_CONSENT = "own_consent"
    DECIDE = "decide"  # waiting: accept or reject, pressed or typed
    LINKED = "linked"
    CHILDREN = "children"
    GUARDIANS = "guardians"
    UNLINK_CONFIRM = "unlink_confirm"


def _name(person: LinkedPerson) -> str:
    return person.display_name or t("family.unnamed")


class FamilyFlow(Flow):
    name = "family"
    steps = Step

    def __init__(self, links: Guardians, consents: Consents, onboarding: Onboarding) -> None:
        self.links = links  # invites and the links between parents and children
        self.consents = consents
        self.onboarding = onboarding

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        if entry == "invite":
            await self._open_invite(ctx, arg)
        elif entry == "children" or (entry == "mine" and ctx.person.role is Role.PARENT):
            await self._children(ctx)
        else:
            await self._guardians(ctx)

    async def guard_press(self, ctx: Ctx, run: Run) -> None:
        if ctx.state.flow == self.name and ctx.state.step in (Step.CONFIRM_PARENT, Step.DECIDE):
            ctx.state.clear_step()  # the question was answered by a button
            ctx.data.pop(INVITE, None)
        await run()

    @on_press("children")
    async def children(self, ctx: Ctx) -> None:
        await self._children(ctx)

    @on_press("guardians")
    async def guardians(self, ctx: Ctx) -> None:
        await self._guardians(ctx)

    @on_press("link")
    async def link(self, ctx: Ctx) -> None:
        await self._ask_code(ctx)

    @on_press("invite_parent")
    async def invite_parent(self, ctx: Ctx) -> None:
        await self._invite_parent(ctx)

    @on_press("iam_parent")
    async def iam_parent(self, ctx: Ctx, code: str) -> None:
        await self._become_parent(ctx, code)

    @on_press("invite")
    async def invite(self, ctx: Ctx, code: str) -> None:
        await self._open_invite(ctx, code)

    @on_press("accept")
    async def accept(self, ctx: Ctx, code: str) -> None:
        await self._answer(ctx, code, accept=True)

    @on_press("reject")
    async def reject(self, ctx: Ctx, code: str) -> None:
        await self._answer(ctx, code, accept=False)

    @on_press("unlink_ask")
    async def unlink_ask(self, ctx: Ctx, other: int) -> None:
        await self._unlink_ask(ctx, other)

    @on_press("unlink")
    async def unlink(self, ctx: Ctx, other: int) -> None:
        await self._unlink(ctx, other)

    @on_press("not_parent")
    async def not_parent(self, ctx: Ctx) -> None:
        await self._not_parent(ctx)

    @on_answer(Step.CONFIRM_PARENT, Step.DECIDE)
    async def typed_decision(self, ctx: Ctx, step: Step, text: str) -> None:
        await self._typed_decision(ctx, step, text)

    @on_answer(Step.CODE)
    async def typed_code(self, ctx: Ctx, text: str) -> None:
        match = _CODE_IN_TEXT.search(text.replace("-", "").replace(" ", ""))
        if not match:
            ctx.say(t("family.code_format"))
            return
        ctx.state.clear_step()
        await self._open_invite(ctx, match.group(1))

    # -- the parent's side ----------------------------------------------------------------------
    async def _ask_code(self, ctx: Ctx) -> None:
        ctx.say(t("family.ask_code"), column(Button(t("btn.back_to_menu"), action("menu", "show"))))
        self.wait(ctx, Step.CODE)

    async def _open_invite(self, ctx: Ctx, code: str) -> None:
        invite = await self.links.find_invite(code)
        person = ctx.person
        if invite is None:
            ctx.say(t("family.invite_unknown"))
        elif invite.used_at is not None:
            ctx.say(t("family.invite_used"))
        elif not invite.is_open(ctx.now()):
            ctx.say(t("family.invite_expired"))
        elif invite.child_id == person.id:
            ctx.say(t("family.own_invite"))
        elif person.role not in (None, Role.PARENT):
            ctx.say(t("family.only_parents"))
        elif person.role is None:
            ctx.say(t("family.confirm_parent"), self._parent_buttons(invite.code))
            self._wait_typed(ctx, Step.CONFIRM_PARENT, invite.code)
            return
        elif person.consent is not ConsentStatus.GRANTED:
            ctx.data[AFTER_CONSENT] = self.act("invite", invite.code)
            ctx.say(t("family.own_consent_first"))
            await ctx.go("consent")
            return
        else:
            ctx.say(
                t(f"family.decide.{invite.purpose.value}"), self._decide_buttons(invite.code, invite.purpose)
            )
            self._wait_typed(ctx, Step.DECIDE, invite.code)
            return
        await ctx.menu()

    def _parent_buttons(self, code: str) -> Keyboard:
        return column(
            Button(t("btn.i_am_parent"), self.act("iam_parent", code)),
            Button(t("btn.not_parent"), self.act("not_parent")),
        )

    def _decide_buttons(self, code: str, purpose: InvitePurpose) -> Keyboard:
        return column(
            Button(t(f"btn.accept.{purpose.value}"), self.act("accept", code)),
            Button(t(f"btn.reject.{purpose.value}"), self.act("reject", code)),
        )

    def _wait_typed(self, ctx: Ctx, step: Step, code: str) -> None:
        """A consent question is answered by its buttons or by typing («да», «не даю согласие» …)."""
        ctx.state.clear_step()
        ctx.data[INVITE] = code
        self.wait(ctx, step)

    async def _typed_decision(self, ctx: Ctx, step: Step, text: str) -> None:
        code = ctx.data.pop(INVITE, None)
        ctx.state.clear_step()
        invite = await self.links.find_invite(code) if isinstance(code, str) else None
        if invite is None:
            await ctx.stale()
            return
        if step is Step.CONFIRM_PARENT:
            keyboard = self._parent_buttons(invite.code)
            yes, no = self.act("iam_parent", invite.code), self.act("not_parent")
        else:
            keyboard = self._decide_buttons(invite.code, invite.purpose)
            yes, no = self.act("accept", invite.code), self.act("reject", invite.code)
        pressed = typed_answer(text, keyboard, yes, no)
        if pressed is None:
            ctx.say(t("family.choose"))
            await self._open_invite(ctx, invite.code)
            return
        _, verb, arg = parse_action(pressed)
        await self.on_action(ctx, verb, arg)

    async def _become_parent(self, ctx: Ctx, code: str) -> None:
        if ctx.person.role is not None:
            await self._open_invite(ctx, code)
            return
        ctx.person = await self.onboarding.choose_role(ctx.person.id, Role.PARENT, AgeBand.ADULT)
        ctx.state.reset()
        ctx.data[AFTER_CONSENT] = self.act("invite", code)
        await ctx.go("consent")

    async def _not_parent(self, ctx: Ctx) -> None:
        ctx.say(t("family.not_parent"))
        await ctx.go("start")

    async def _answer(self, ctx: Ctx, code: str, *, accept: bool) -> None:
        try:
            answer = await self.links.answer_invite(
                code,
                ctx.person.id,
                accept=accept,
                version=ctx.services.consent.version,
                channel=ctx.incoming.channel,
                told=guardian_notices(),
            )
        except DomainError as problem:
            ctx.say(t(f"family.error.{problem.code}"))
            await ctx.menu()
            return
        purpose = answer.invite.purpose.value
        ctx.say(t(f"family.accepted.{purpose}" if accept else f"family.rejected.{purpose}"))
        await ctx.menu()

    async def _children(self, ctx: Ctx) -> None:
        if ctx.person.role is not Role.PARENT or ctx.person.consent is not ConsentStatus.GRANTED:
            await ctx.menu()
            return
        children = await self.links.children_of(ctx.person.id)
        lines = [t("family.children_title")] if children else [t("family.no_children")]
        lines += [t("family.linked_line", name=_name(c), since=self._date(ctx, c)) for c in children]
        buttons = [
            Button(t("btn.unlink", name=_name(c)), self.act("unlink_ask", c.person_id)) for c in children
        ]
        buttons += [
            Button(t("btn.link_child"), self.act("link")),
            Button(t("btn.back_to_menu"), action("menu", "show")),
        ]
        ctx.say("\n".join(lines), column(*buttons))

    # -- the child's side -----------------------------------------------------------------------
    async def _guardians(self, ctx: Ctx) -> None:
        if ctx.person.consent is not ConsentStatus.GRANTED or ctx.person.role is Role.PARENT:
            await ctx.menu()
            return
        guardians = await self.links.guardians_of(ctx.person.id)
        lines = [t("family.guardians_title")] if guardians else [t("family.no_guardians")]
        lines += [t("family.linked_line", name=_name(g), since=self._date(ctx, g)) for g in guardians]
        buttons = [Button(t("btn.invite_parent"), self.act("invite_parent"))]
        buttons += [
            Button(t("btn.unlink", name=_name(g)), self.act("unlink_ask", g.person_id)) for g in guardians
        ]
        buttons.append(Button(t("btn.back_to_menu"), action("menu", "show")))
        ctx.say("\n".join(lines), column(*buttons))

    async def _invite_parent(self, ctx: Ctx) -> None:
        if ctx.person.consent is not ConsentStatus.GRANTED or ctx.person.role is Role.PARENT:
            await ctx.menu()
            return
        purpose = InvitePurpose.LINK
        if ctx.person.age_band is AgeBand.MINOR:
            consents = await self.consents.consents_of(ctx.person.id)
            confirmed = any(
                c.kind is ConsentKind.GUARDIAN_CONFIRMATION and c.given_by is GivenBy.GUARDIAN
                for c in consents
            )
            purpose = InvitePurpose.LINK if confirmed else InvitePurpose.CONFIRM
        invite = await self.links.create_invite(ctx.person.id, purpose, ctx.services.invite_ttl)
        ctx.say(t("family.invite_intro") + "\n\n" + invite_text(ctx, invite))
        await self._guardians(ctx)

    # -- both sides -----------------------------------------------------------------------------
    def _pair(self, ctx: Ctx, other: int) -> tuple[int, int]:
        """(guardian, child) for a link between the viewer and ``other``."""
        return (ctx.person.id, other) if ctx.person.role is Role.PARENT else (other, ctx.person.id)

    async def _linked(self, ctx: Ctx) -> list[LinkedPerson]:
        if ctx.person.role is Role.PARENT:
            return await self.links.children_of(ctx.person.id)
        return await self.links.guardians_of(ctx.person.id)

    async def _unlink_ask(self, ctx: Ctx, other: int) -> None:
        linked = {p.person_id: p for p in await self._linked(ctx)}
        if other not in linked:
            await ctx.stale()
            return
        back = self.act("children" if ctx.person.role is Role.PARENT else "guardians")
        guardian, child = self._pair(ctx, other)
        given = {c.kind for c in await self.consents.consents_given(guardian) if c.child_id == child}
        warning = ""
        if ConsentKind.PROCESSING in given:
            warning = "\n\n" + t(
                "family.unlink_ends_consent_parent"
                if ctx.person.role is Role.PARENT
                else "family.unlink_ends_consent_child"
            )
        ctx.say(
            t("family.unlink_confirm", name=_name(linked[other])) + warning,
            column(Button(t("btn.unlink_yes"), self.act("unlink", other)), Button(t("btn.unlink_no"), back)),
        )

    async def _unlink(self, ctx: Ctx, other: int) -> None:
        guardian, child = self._pair(ctx, other)
        removed = await self.links.unlink(guardian, child, actor_id=ctx.person.id, told=guardian_notices())
        ctx.say(t("family.unlinked" if removed else "family.unlink_missing"))
        ctx.person = await ctx.refresh_person()  # a child whose consent went with the link waits again
        if ctx.person.consent is not ConsentStatus.GRANTED:
            await ctx.menu()
            return
        await (self._children(ctx) if ctx.person.role is Role.PARENT else self._guardians(ctx))

    @staticmethod
    def _date(ctx: Ctx, person: LinkedPerson) -> str:
        return person.linked_at.astimezone(ctx.services.timezone).strftime("%d.%m.%Y")


FEATURE = Feature(
    name="family",
    flow=lambda services: FamilyFlow(services.records, services.records, services.records),
    menu=(
        MenuEntry("btn.my_children", action("family", "children"), order=20, roles=frozenset({Role.PARENT})),
        MenuEntry("btn.link_child", action("family", "link"), order=30, roles=frozenset({Role.PARENT})),
        MenuEntry(
            "btn.my_guardians",
            action("family", "guardians"),
            order=40,
            roles=frozenset(Role) - {Role.PARENT},
            ages=frozenset({AgeBand.CHILD, AgeBand.MINOR}),
        ),
    ),
    intents={"parent": Route(flow="family", entry="mine")},
)
