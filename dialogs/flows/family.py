"""Parents and children: invites, the parent's consent or confirmation, and the links both sides manage."""

from __future__ import annotations

import re

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
from dialogs.context import Ctx
from dialogs.flow import Flow, action, parse_action
from dialogs.flows.consent import AFTER_CONSENT, guardian_notices, invite_text, typed_answer
from dialogs.texts import t
from dialogs.ui import Button, Keyboard, column

_CODE_IN_TEXT = re.compile(r"(?:inv_)?([A-Za-z0-9]{10})\b")
INVITE = "invite"  # the code whose question waits for a typed answer (steps "iam_parent" and "decide")


def _name(person: LinkedPerson) -> str:
    return person.display_name or t("family.unnamed")


class FamilyFlow(Flow):
    name = "family"

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        if entry == "invite":
            await self._open_invite(ctx, arg)
        elif entry == "children" or (entry == "mine" and ctx.person.role is Role.PARENT):
            await self._children(ctx)
        else:
            await self._guardians(ctx)

    async def on_action(self, ctx: Ctx, verb: str, arg: str) -> None:
        handlers = {
            "children": lambda: self._children(ctx),
            "guardians": lambda: self._guardians(ctx),
            "link": lambda: self._ask_code(ctx),
            "invite_parent": lambda: self._invite_parent(ctx),
            "iam_parent": lambda: self._become_parent(ctx, arg),
            "invite": lambda: self._open_invite(ctx, arg),
            "accept": lambda: self._answer(ctx, arg, accept=True),
            "reject": lambda: self._answer(ctx, arg, accept=False),
            "unlink_ask": lambda: self._unlink_ask(ctx, arg),
            "unlink": lambda: self._unlink(ctx, arg),
            "not_parent": lambda: self._not_parent(ctx),
        }
        if ctx.state.flow == self.name and ctx.state.step in ("iam_parent", "decide"):
            ctx.state.clear_step()  # the question was answered by a button
            ctx.data.pop(INVITE, None)
        handler = handlers.get(verb)
        if handler is None:
            await ctx.stale()
            return
        await handler()

    async def on_text(self, ctx: Ctx, step: str, text: str) -> None:
        if step in ("iam_parent", "decide"):
            await self._typed_decision(ctx, step, text)
            return
        if step != "code":
            await ctx.not_understood()
            return
        match = _CODE_IN_TEXT.search(text.replace("-", "").replace(" ", ""))
        if not match:
            ctx.say(t("family.code_format"))
            return
        ctx.state.clear_step()
        await self._open_invite(ctx, match.group(1))

    # -- the parent's side ----------------------------------------------------------------------
    async def _ask_code(self, ctx: Ctx) -> None:
        ctx.say(t("family.ask_code"), column(Button(t("btn.back_to_menu"), action("menu", "show"))))
        ctx.wait(self.name, "code")

    async def _open_invite(self, ctx: Ctx, code: str) -> None:
        invite = await ctx.records.find_invite(code)
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
            self._wait_typed(ctx, "iam_parent", invite.code)
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
            self._wait_typed(ctx, "decide", invite.code)
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

    def _wait_typed(self, ctx: Ctx, step: str, code: str) -> None:
        """A consent question is answered by its buttons or by typing («да», «не даю согласие» …)."""
        ctx.state.clear_step()
        ctx.data[INVITE] = code
        ctx.wait(self.name, step)

    async def _typed_decision(self, ctx: Ctx, step: str, text: str) -> None:
        code = ctx.data.pop(INVITE, None)
        ctx.state.clear_step()
        invite = await ctx.records.find_invite(code) if isinstance(code, str) else None
        if invite is None:
            await ctx.stale()
            return
        if step == "iam_parent":
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
        ctx.person = await ctx.records.choose_role(ctx.person.id, Role.PARENT, AgeBand.ADULT)
        ctx.state.reset()
        ctx.data[AFTER_CONSENT] = self.act("invite", code)
        await ctx.go("consent")

    async def _not_parent(self, ctx: Ctx) -> None:
        ctx.say(t("family.not_parent"))
        await ctx.go("start")

    async def _answer(self, ctx: Ctx, code: str, *, accept: bool) -> None:
        try:
            answer = await ctx.records.answer_invite(
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
        children = await ctx.records.children_of(ctx.person.id)
        lines = [t("family.children_title")] if children else [t("family.no_children")]
        lines += [t("family.linked_line", name=_name(c), since=self._date(ctx, c)) for c in children]
        buttons = [
            Button(t("btn.unlink", name=_name(c)), self.act("unlink_ask", str(c.person_id))) for c in children
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
        guardians = await ctx.records.guardians_of(ctx.person.id)
        lines = [t("family.guardians_title")] if guardians else [t("family.no_guardians")]
        lines += [t("family.linked_line", name=_name(g), since=self._date(ctx, g)) for g in guardians]
        buttons = [Button(t("btn.invite_parent"), self.act("invite_parent"))]
        buttons += [
            Button(t("btn.unlink", name=_name(g)), self.act("unlink_ask", str(g.person_id)))
            for g in guardians
        ]
        buttons.append(Button(t("btn.back_to_menu"), action("menu", "show")))
        ctx.say("\n".join(lines), column(*buttons))

    async def _invite_parent(self, ctx: Ctx) -> None:
        if ctx.person.consent is not ConsentStatus.GRANTED or ctx.person.role is Role.PARENT:
            await ctx.menu()
            return
        purpose = InvitePurpose.LINK
        if ctx.person.age_band is AgeBand.MINOR:
            consents = await ctx.records.consents_of(ctx.person.id)
            confirmed = any(
                c.kind is ConsentKind.GUARDIAN_CONFIRMATION and c.given_by is GivenBy.GUARDIAN
                for c in consents
            )
            purpose = InvitePurpose.LINK if confirmed else InvitePurpose.CONFIRM
        invite = await ctx.records.create_invite(ctx.person.id, purpose, ctx.services.invite_ttl)
        ctx.say(t("family.invite_intro") + "\n\n" + invite_text(ctx, invite))
        await self._guardians(ctx)

    # -- both sides -----------------------------------------------------------------------------
    def _pair(self, ctx: Ctx, other: int) -> tuple[int, int]:
        """(guardian, child) for a link between the viewer and ``other``."""
        return (ctx.person.id, other) if ctx.person.role is Role.PARENT else (other, ctx.person.id)

    async def _linked(self, ctx: Ctx) -> list[LinkedPerson]:
        if ctx.person.role is Role.PARENT:
            return await ctx.records.children_of(ctx.person.id)
        return await ctx.records.guardians_of(ctx.person.id)

    async def _unlink_ask(self, ctx: Ctx, other: str) -> None:
        linked = {str(p.person_id): p for p in await self._linked(ctx)}
        if other not in linked:
            await ctx.stale()
            return
        back = self.act("children" if ctx.person.role is Role.PARENT else "guardians")
        guardian, child = self._pair(ctx, int(other))
        given = {c.kind for c in await ctx.records.consents_given(guardian) if c.child_id == child}
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

    async def _unlink(self, ctx: Ctx, other: str) -> None:
        if not other.isdigit():
            await ctx.stale()
            return
        guardian, child = self._pair(ctx, int(other))
        removed = await ctx.records.unlink(guardian, child, actor_id=ctx.person.id, told=guardian_notices())
        ctx.say(t("family.unlinked" if removed else "family.unlink_missing"))
        ctx.person = await ctx.refresh_person()  # a child whose consent went with the link waits again
        if ctx.person.consent is not ConsentStatus.GRANTED:
            await ctx.menu()
            return
        await (self._children(ctx) if ctx.person.role is Role.PARENT else self._guardians(ctx))

    @staticmethod
    def _date(ctx: Ctx, person: LinkedPerson) -> str:
        return person.linked_at.astimezone(ctx.services.timezone).strftime("%d.%m.%Y")
