"""Consent to personal-data processing (152-ФЗ), asked as a separate step before anything personal is kept.

Age decides the path: under 14 a parent consents through a one-time invite; 14–17 consent themselves and
a parent is asked to confirm (tracked, not blocking); adults consent for themselves. Declining is
respected: the bot still answers general questions but stores nothing personal.
"""

from __future__ import annotations

from dataclasses import fields
from enum import StrEnum

from backend_client.guardianship import GuardianNotices
from backend_client.models import AgeBand, ConsentStatus, Invite, InvitePurpose
from backend_client.ports import Consents, Guardians
from dialogs.context import Ctx
from dialogs.feature import Feature
from dialogs.flow import Flow, action, on_answer, on_press, parse_action
from dialogs.texts import t
from dialogs.ui import Button, Keyboard, column
from dialogs.validation import label_key, same_words

AFTER_CONSENT = "after_consent"  # where to continue once consent is given (e.g. a parent's invite)
# Typed answers to a consent question, compared as ``label_key`` reduces them (no case, icons, brackets
# or punctuation). Every consent step reads them through ``typed_answer``: own consent, a parent's
# consent for a child, a parent's confirmation of a teen, and the confirmation of being a parent.
YES_WORDS = frozenset(
    {
        "да",
        "ага",
        "ок",
        "хорошо",
        "согласен",
        "согласна",
        "да согласен",
        "да согласна",
        "даю",
        "даю согласие",
        "да даю",
        "подтверждаю",
        "да подтверждаю",
        "да я родитель",
        "я родитель",
    }
)
NO_WORDS = frozenset(
    {
        "нет",
        "не",
        "не согласен",
        "не согласна",
        "отказываюсь",
        "не даю",
        "не даю согласие",
        "нет не даю",
        "не подтверждаю",
        "нет не подтверждаю",
        "я не родитель",
    }
)


def typed_answer(text: str, keyboard: Keyboard, yes: str, no: str) -> str | None:
    """The action a typed line stands for at a consent step: a button whose label it repeats, else
    ``yes`` or ``no`` for the words of agreeing or refusing; None when it is neither."""
    for button in (b for row in keyboard for b in row):
        if same_words(text, button.label):
            return button.payload
    answer = label_key(text)
    if answer in YES_WORDS:
        return yes
    if answer in NO_WORDS:
        return no
    return None


def guardian_notices() -> GuardianNotices:
    """The words of the messages the store sends when a parent's consent starts or ends."""
    return GuardianNotices(**{f.name: t(f"consent.told.{f.name}") for f in fields(GuardianNotices)})


def invite_text(ctx: Ctx, invite: Invite) -> str:
    """The code (and, where the messenger has them, a link) a person forwards to their parent."""
    until = invite.expires_at.astimezone(ctx.services.timezone).strftime("%d.%m.%Y")
    link = ctx.deep_link(f"inv_{invite.code}")
    text = t("consent.code", code=invite.code, until=until)
    return text + "\n" + (t("consent.link", link=link) if link else t("consent.no_link"))


class Step(StrEnum):
    """The steps of ``consent.mmd``; the waiting ones' values are what conversation states store."""

    DECIDE = "decide"  # waiting: agree or decline (a typed yes/no or label works too)
    THANKS = "thanks"
    CONFIRM_INVITE = "confirm_invite"  # 14–17: a code for a parent to confirm, not blocking
    CONTINUE = "continue"  # on to the profile, or to what was asked before consent
    AWAITING_GUARDIAN = "awaiting"  # waiting: a child under 14 until a parent answers
    GUARDIAN_DECLINED = "guardian_declined"
    DECLINED = "declined"  # waiting: «дать согласие» pressed or typed; anything else is a question


class ConsentFlow(Flow):
    name = "consent"
    steps = Step

    def __init__(self, consents: Consents, guardians: Guardians) -> None:
        self.consents = consents
        self.guardians = guardians

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        person = ctx.person
        if person.consent is ConsentStatus.GRANTED:
            await self._continue(ctx)
            return
        if entry == "awaiting" or person.consent is ConsentStatus.AWAITING_GUARDIAN:
            await self._awaiting(ctx)
            return
        if person.age_band is AgeBand.CHILD:
            await self._ask_guardian(ctx)
            return
        self._ask_own(ctx)

    def _own_buttons(self, ctx: Ctx) -> Keyboard:
        buttons = [
            Button(t("btn.consent_yes"), self.act("agree")),
            Button(t("btn.consent_no"), self.act("decline")),
        ]
        if AFTER_CONSENT not in ctx.data:
            buttons.append(Button(t("btn.change_role"), action("start", "rechoose")))
        return column(*buttons)

    def _ask_own(self, ctx: Ctx) -> None:
        terms = ctx.services.consent
        ctx.say(
            t("consent.request", operator=terms.operator, contact=terms.contact, version=terms.version),
            self._own_buttons(ctx),
        )
        self.wait(ctx, Step.DECIDE)

    async def _ask_guardian(self, ctx: Ctx) -> None:
        ctx.data.pop("age", None)  # a child's answers are not kept until a parent consents
        ctx.data.pop("birth_year", None)
        if ctx.person.consent is not ConsentStatus.AWAITING_GUARDIAN:
            ctx.person = await self.consents.await_guardian(ctx.person.id)
        invite = await self.guardians.create_invite(
            ctx.person.id, InvitePurpose.CONSENT, ctx.services.invite_ttl
        )
        ctx.say(t("consent.child_intro") + "\n\n" + invite_text(ctx, invite), self._waiting_buttons())
        self.wait(ctx, Step.AWAITING_GUARDIAN)

    def _waiting_buttons(self) -> tuple[tuple[Button, ...], ...]:
        return column(
            Button(t("btn.check_consent"), self.act("check")),
            Button(t("btn.new_code"), self.act("newcode")),
            Button(t("btn.help"), action("menu", "help")),
        )

    async def _awaiting(self, ctx: Ctx) -> None:
        person = await ctx.refresh_person()
        if person.consent is ConsentStatus.GRANTED:
            ctx.say(t("consent.guardian_agreed"))
            ctx.state.clear_step()
            await ctx.go("profile", "create")
        elif person.consent is ConsentStatus.DECLINED:
            ctx.state.clear_step()
            ctx.say(
                t("consent.guardian_declined"),
                column(
                    Button(t("btn.new_code"), self.act("newcode")),
                    Button(t("btn.help"), action("menu", "help")),
                ),
            )
        else:
            ctx.say(t("consent.still_waiting"), self._waiting_buttons())
            self.wait(ctx, Step.AWAITING_GUARDIAN)

    @on_press("agree")
    async def agree(self, ctx: Ctx) -> None:
        await self._agree(ctx)

    @on_press("decline")
    async def decline(self, ctx: Ctx) -> None:
        await self._decline(ctx)

    @on_press("again")
    async def again(self, ctx: Ctx) -> None:
        ctx.state.reset()
        await self.enter(ctx)

    @on_press("newcode")
    async def new_code(self, ctx: Ctx) -> None:
        if ctx.person.age_band is not AgeBand.CHILD:
            await ctx.stale()
            return
        await self._ask_guardian(ctx)

    @on_press("check")
    async def check(self, ctx: Ctx) -> None:
        await self._awaiting(ctx)

    @on_answer(Step.AWAITING_GUARDIAN)
    async def typed_while_awaiting(self, ctx: Ctx, text: str) -> None:
        if typed_answer(text, self._waiting_buttons(), "", "") == self.act("newcode"):
            await self.on_action(ctx, "newcode", "")
        else:
            await self._awaiting(ctx)

    @on_answer(Step.DECLINED)
    async def typed_after_declining(self, ctx: Ctx, text: str) -> None:
        pressed = typed_answer(text, self._declined_buttons(), "", "")
        ctx.state.clear_step()
        if pressed:
            await self._press(ctx, pressed)
        elif ctx.person.role is None:
            await ctx.go("start")
        else:  # anything else is a question like any other: consent is not asked again unbidden
            await ctx.go("nlu", "text", text)

    @on_answer(Step.DECIDE)
    async def typed_decision(self, ctx: Ctx, text: str) -> None:
        pressed = typed_answer(text, self._own_buttons(ctx), self.act("agree"), self.act("decline"))
        if pressed:
            await self._press(ctx, pressed)
        else:
            ctx.say(t("consent.choose"))
            self._ask_own(ctx)

    async def _press(self, ctx: Ctx, payload: str) -> None:
        """What pressing the button would do. The step's only other flows' buttons are «Выбрать другую
        роль» and «Помощь»."""
        flow, verb, arg = parse_action(payload)
        if flow == self.name:
            await self.on_action(ctx, verb, arg)
            return
        ctx.state.clear_step()
        if flow == "start":
            await ctx.go("start", "role")
        else:
            ctx.say(t("engine.help"))
            await ctx.menu()

    async def _agree(self, ctx: Ctx) -> None:
        person = ctx.person
        if person.consent is ConsentStatus.GRANTED:
            await self._continue(ctx)
            return
        if person.age_band is AgeBand.CHILD or person.age_band is None:
            await ctx.stale()
            return
        terms = ctx.services.consent
        ctx.person = await self.consents.give_own_consent(
            person.id, version=terms.version, channel=ctx.incoming.channel
        )
        ctx.state.clear_step()
        if ctx.person.age_band is AgeBand.MINOR and AFTER_CONSENT not in ctx.data:
            invite = await self.guardians.create_invite(
                person.id, InvitePurpose.CONFIRM, ctx.services.invite_ttl
            )
            ctx.say(t("consent.thanks_minor") + "\n\n" + invite_text(ctx, invite))
        else:
            ctx.say(t("consent.thanks"))
        await self._continue(ctx)

    async def _continue(self, ctx: Ctx) -> None:
        after = ctx.data.pop(AFTER_CONSENT, None)
        if isinstance(after, str):
            flow, entry, arg = parse_action(after)
            await ctx.go(flow, entry, arg)
        else:
            await ctx.go("profile", "create")

    def _declined_buttons(self) -> Keyboard:
        return column(
            Button(t("btn.give_consent"), self.act("again")),
            Button(t("btn.help"), action("menu", "help")),
        )

    async def _decline(self, ctx: Ctx) -> None:
        ctx.person = await self.consents.decline(ctx.person.id)
        ctx.state.reset()
        ctx.say(t("consent.declined"), self._declined_buttons())
        self.wait(ctx, Step.DECLINED)


FEATURE = Feature(name="consent", flow=lambda services: ConsentFlow(services.records, services.records))
