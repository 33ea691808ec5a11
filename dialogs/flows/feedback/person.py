"""The person's side of «Обратная связь»: write (several messages), pick a topic, say what the operator may
see, get the ticket's number; then add to it, close it, rate the answer. Every read and change goes
through the port with the person's own id, so another person's ticket is never found."""

from __future__ import annotations

from typing import Literal

from backend_client.errors import ConsentRequired
from backend_client.feedback import (
    MAX_COMMENT,
    MAX_TEXT,
    Ticket,
    TicketClosed,
    TicketNotFound,
    TicketStatus,
    Topic,
)
from backend_client.models import ConsentStatus
from backend_client.ports import Feedback
from dialogs.context import Ctx
from dialogs.flow import Flow, action, on_answer, on_press
from dialogs.flows.feedback.common import (
    DRAFT_MESSAGES,
    NAME,
    Step,
    draft,
    draft_texts,
    share_choice,
    ticket_text,
    topic_name,
)
from dialogs.texts import known_labels, t
from dialogs.ui import Button, column
from dialogs.validation import InputError, button_word
from dialogs.views.feedback import contacts, duration


class PersonSide(Flow):
    name = NAME
    steps = Step

    def __init__(self, feedback: Feedback | None) -> None:
        self._feedback = feedback  # None: an engine built without the store (contacts only)

    @property
    def feedback(self) -> Feedback:
        if self._feedback is None:  # ``home`` answers with the contacts before any screen asks
            raise LookupError("feedback is not configured")
        return self._feedback

    @on_press("home")
    async def home_press(self, ctx: Ctx) -> None:
        await self.home(ctx)

    async def home(self, ctx: Ctx) -> None:
        """«Написать в центр»: the open ticket if there is one, else a new one; the centre's contacts to
        whom the bot may not keep a ticket for."""
        ctx.state.clear_step()
        if self._feedback is None or ctx.person.consent is not ConsentStatus.GRANTED:
            ctx.say(f"{t('feedback.needs_consent')}\n{contacts(ctx.services.centre)}")
            await ctx.menu()
            return
        ticket = await self.feedback.open_ticket_of(ctx.person.id)
        if ticket is None:
            self.ask(ctx)
        else:
            self.show_open(ctx, ticket)

    def ask(self, ctx: Ctx) -> None:
        ctx.data[NAME] = {"texts": []}
        ctx.say(t("feedback.ask"), column(Button(t("feedback.btn.cancel"), self.act("cancel"))))
        self.wait(ctx, Step.WRITE)

    def show_open(self, ctx: Ctx, ticket: Ticket, note: str = "") -> None:
        local = ticket.opened_at.astimezone(ctx.services.timezone)
        lines = [note] if note else []
        lines.append(
            t(
                "feedback.open_title",
                number=ticket.id,
                topic=topic_name(ticket.topic),
                date=f"{local:%d.%m %H:%M}",
            )
        )
        lines.append(t("feedback.open_answered" if ticket.answered else "feedback.open_waiting"))
        ctx.state.clear_step()
        ctx.say("\n".join(lines), self._ticket_buttons(ticket.id))

    def _ticket_buttons(self, ticket_id: int) -> tuple[tuple[Button, ...], ...]:
        return column(
            Button(t("feedback.btn.add"), self.act("add", ticket_id)),
            Button(t("feedback.btn.close"), self.act("close", ticket_id)),
            Button(t("btn.back_to_menu"), action("menu", "show")),
        )

    # -- writing a new ticket ---------------------------------------------------------------------
    @on_answer(Step.WRITE)
    async def written(self, ctx: Ctx, text: str) -> None:
        typed = await self._text(ctx, text, MAX_TEXT)
        if typed is None:
            return
        texts = draft_texts(ctx)
        full = len(texts) >= DRAFT_MESSAGES  # said so rather than dropped in silence
        if not full:
            texts.append(typed)
            draft(ctx)["texts"] = texts
        self.ask_topic(
            ctx,
            t("feedback.draft_full", limit=DRAFT_MESSAGES)
            if full
            else t("feedback.ask_more", count=len(texts)),
        )

    def ask_topic(self, ctx: Ctx, text: str) -> None:
        topics = [Button(topic_name(topic), self.act("topic", topic)) for topic in Topic]
        ctx.say(text, column(*topics, Button(t("feedback.btn.cancel"), self.act("cancel"))))
        self.wait(ctx, Step.WRITE)

    @on_press("topic")
    async def topic(self, ctx: Ctx, topic: Topic) -> None:
        if not draft_texts(ctx):
            ctx.say(t("feedback.ask_first"))
            self.wait(ctx, Step.WRITE)
            return
        draft(ctx)["topic"] = topic.value
        self.ask_share(ctx, t("feedback.ask_share"))

    def ask_share(self, ctx: Ctx, text: str) -> None:
        ctx.say(
            text,
            column(
                Button(t("feedback.btn.share_yes"), self.act("share", "yes")),
                Button(t("feedback.btn.share_no"), self.act("share", "no")),
            ),
        )
        self.wait(ctx, Step.SHARE)  # a typed «да»/«нет» answers too; other text does not lose the draft

    @on_answer(Step.SHARE)
    async def share_typed(self, ctx: Ctx, text: str) -> None:
        choice = share_choice(text)
        if choice is None:
            self.ask_share(ctx, t("feedback.ask_share_again"))
            return
        await self.share(ctx, choice)

    @on_press("share")
    async def share(self, ctx: Ctx, choice: Literal["yes", "no"]) -> None:
        texts, topic = draft_texts(ctx), draft(ctx).get("topic")
        if not texts or not isinstance(topic, str) or topic not in set(Topic):
            await ctx.stale()  # an old question after the ticket went, or a forged press
            return
        try:
            ticket = await self.feedback.open_ticket(
                ctx.person.id, Topic(topic), texts, shared=choice == "yes", press=ctx.press
            )
        except ConsentRequired:
            await self.home(ctx)
            return
        ctx.data.pop(NAME, None)
        centre = ctx.services.centre
        ctx.state.clear_step()
        ctx.say(
            t("feedback.opened", number=ticket.id, hours=centre.hours, within=duration(centre.answer_within)),
            self._ticket_buttons(ticket.id),
        )

    @on_press("cancel")
    async def cancel(self, ctx: Ctx) -> None:
        ctx.data.pop(NAME, None)
        ctx.state.clear_step()
        ctx.say(t("feedback.cancelled"))
        await ctx.menu()

    # -- the open ticket --------------------------------------------------------------------------
    @on_press("add")
    async def add(self, ctx: Ctx, ticket_id: int) -> None:
        await self.ask_add(ctx, ticket_id)

    async def ask_add(self, ctx: Ctx, ticket_id: int) -> None:
        ctx.say(
            t("feedback.ask_add", number=ticket_id),
            column(Button(t("feedback.btn.cancel"), self.act("cancel"))),
        )
        self.wait(ctx, Step.ADD, ticket_id)

    @on_answer(Step.ADD)
    async def added(self, ctx: Ctx, ticket_id: int, text: str) -> None:
        typed = await self._text(ctx, text, MAX_TEXT)
        if typed is None:
            return
        try:
            ticket = await self.feedback.add_to_ticket(ctx.person.id, ticket_id, typed)
        except TicketNotFound:
            await ctx.stale()
            return
        except TicketClosed:  # closed by the centre meanwhile: what was typed starts a new ticket
            ctx.data[NAME] = {"texts": [typed]}
            self.ask_topic(ctx, t("feedback.closed_keep", number=ticket_id))
            return
        self.show_open(ctx, ticket, t("feedback.added", number=ticket.id))

    @on_press("close")
    async def close(self, ctx: Ctx, ticket_id: int) -> None:
        try:
            closed = await self.feedback.close_own_ticket(ctx.person.id, ticket_id)
        except TicketNotFound:
            await ctx.stale()
            return
        ctx.state.clear_step()
        ctx.say(t("feedback.closed" if closed else "feedback.already_closed", number=ticket_id))
        await ctx.menu()

    # -- the buttons under the centre's answer (public: the presser's own ticket only) -------------
    async def rate_public(self, ctx: Ctx, arg: str) -> None:
        ticket, _, useful = arg.partition(".")
        if not ticket.isdigit() or useful not in ("0", "1"):
            await ctx.stale()
            return
        try:
            # Only a forged press finds no answer: the buttons come with the answer.
            if not (await self.feedback.own_ticket(ctx.person.id, int(ticket))).answered:
                ctx.say(t("feedback.rate_unanswered"))
                await ctx.menu()
                return
            await self.feedback.rate_ticket(ctx.person.id, int(ticket), useful == "1")
        except TicketNotFound:
            ctx.say(t("feedback.not_yours"))
            await ctx.menu()
            return
        ctx.say(
            t("feedback.rated_up" if useful == "1" else "feedback.rated_down"),
            column(Button(t("feedback.btn.skip"), self.act("skip"))),
        )
        self.wait(ctx, Step.COMMENT, int(ticket))

    async def reply_public(self, ctx: Ctx, arg: str) -> None:
        if not arg.isdigit():
            await ctx.stale()
            return
        try:
            ticket = await self.feedback.own_ticket(ctx.person.id, int(arg))
        except TicketNotFound:
            ctx.say(t("feedback.not_yours"))
            await ctx.menu()
            return
        if ticket.status is TicketStatus.CLOSED:
            ctx.say(t("feedback.already_closed", number=ticket.id))
            await self.home(ctx)
            return
        await self.ask_add(ctx, ticket.id)

    @on_answer(Step.COMMENT)
    async def commented(self, ctx: Ctx, ticket_id: int, text: str) -> None:
        typed = await self._text(ctx, text, MAX_COMMENT)
        if typed is None:
            return
        try:
            await self.feedback.comment_rating(ctx.person.id, ticket_id, typed)
        except TicketNotFound:
            await ctx.stale()
            return
        ctx.state.clear_step()
        ctx.say(t("feedback.comment_saved"))
        await ctx.menu()

    @on_press("skip")
    async def skip(self, ctx: Ctx) -> None:
        ctx.state.clear_step()
        await ctx.menu()

    async def _text(self, ctx: Ctx, text: str, limit: int) -> str | None:
        """The typed text, or None after saying what is wrong with it (a button's label, too long)."""
        if word := button_word(text, known_labels()):
            ctx.say(t("valid.button_word", label=word))
            return None
        try:
            return ticket_text(text, limit)
        except InputError as problem:
            # A ticket takes several messages: a long text is sent in parts, not rewritten shorter.
            split = problem.key == "valid.text_long" and limit == MAX_TEXT
            ctx.say(t("feedback.text_long" if split else problem.key, **problem.values))
            return None
