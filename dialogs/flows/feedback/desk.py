"""The operators' side of «Обратная связь», a room of the desk: the inbox (open tickets, oldest first, their
wait against the target, overdue flagged), one ticket (the person's role, municipality and earlier
messages only if they agreed), «Взять», «Ответить» (through the outbox, signed with the centre's name) and
«Закрыть». The flow's guard checks the operator role before every press here, and the store again in
each call's own transaction, so a role revoked mid-screen stops the very next press."""

from __future__ import annotations

from backend_client.broadcasts import Actor
from backend_client.feedback import (
    INBOX_LIMIT,
    MAX_TEXT,
    InboxLine,
    TakenByOther,
    TakeOutcome,
    TicketClosed,
    TicketMessage,
    TicketNotFound,
    TicketStatus,
    TicketView,
    assignee,
)
from backend_client.models import Role
from backend_client.ports import Feedback
from backend_client.reference import municipality
from dialogs.context import Ctx
from dialogs.flow import Flow, action, on_answer, on_press
from dialogs.flows.feedback.common import NAME, Step, ticket_text, topic_name
from dialogs.texts import known_labels, t
from dialogs.ui import Button, column
from dialogs.validation import InputError, button_word
from dialogs.views.feedback import closed_notice, duration, overdue, reply_notice

# The verbs of this room: only operators may press them (``FeedbackFlow.guard_press``).
DESK_VERBS = frozenset({"inbox", "view", "take", "answer", "done"})


def actor(ctx: Ctx) -> Actor:
    return Actor(ctx.incoming.channel, ctx.incoming.account_id, ctx.press)


class DeskSide(Flow):
    name = NAME
    steps = Step
    _feedback: Feedback | None

    @property
    def desk(self) -> Feedback:
        if self._feedback is None:
            raise LookupError("feedback is not configured")
        return self._feedback

    @on_press("inbox")
    async def inbox_press(self, ctx: Ctx) -> None:
        await self.inbox(ctx)

    async def inbox(self, ctx: Ctx, note: str = "") -> None:
        lines = await self.desk.inbox(actor(ctx))
        centre, now = ctx.services.centre, ctx.now()
        me = assignee(ctx.incoming.channel, ctx.incoming.account_id)
        text = [note] if note else []
        if lines:
            text.append(
                t("feedback.desk.inbox_title", count=len(lines), within=duration(centre.answer_within))
            )
            text += [_line(ctx, line, me) for line in lines]
            if len(lines) >= INBOX_LIMIT:  # the count above is of those shown: say more may wait
                text.append(t("feedback.desk.inbox_more", limit=INBOX_LIMIT))
        else:
            text.append(t("feedback.desk.inbox_empty"))
        openers = [
            Button(
                t(
                    "feedback.btn.ticket",
                    number=line.id,
                    topic=topic_name(line.topic),
                    flag=" ⚠️" if overdue(line.opened_at, line.answered, now, centre.answer_within) else "",
                ),
                self.act("view", line.id),
            )
            for line in lines
        ]
        ctx.state.clear_step()
        ctx.say(
            "\n".join(text),
            column(
                *openers,
                Button(t("feedback.btn.to_desk"), action("operator", "home")),
                Button(t("btn.back_to_menu"), action("menu", "show")),
            ),
        )

    @on_press("view")
    async def view_press(self, ctx: Ctx, ticket_id: int) -> None:
        await self.view(ctx, ticket_id)

    async def view(self, ctx: Ctx, ticket_id: int, note: str = "") -> None:
        try:
            ticket = await self.desk.ticket_view(actor(ctx), ticket_id)
        except TicketNotFound:
            await self.inbox(ctx, t("feedback.desk.gone", number=ticket_id))
            return
        me = assignee(ctx.incoming.channel, ctx.incoming.account_id)
        holder = ticket.line.assigned_to
        buttons = []
        if ticket.status is TicketStatus.OPEN and holder is None:
            buttons.append(Button(t("feedback.btn.take"), self.act("take", ticket_id)))
        if ticket.status is TicketStatus.OPEN and holder in (None, me):
            buttons.append(Button(t("feedback.btn.answer"), self.act("answer", ticket_id)))
            buttons.append(Button(t("feedback.btn.done"), self.act("done", ticket_id)))
        buttons.append(Button(t("feedback.btn.to_inbox"), self.act("inbox")))
        ctx.state.clear_step()
        text = _ticket_text(ctx, ticket, me)
        ctx.say(f"{note}\n\n{text}" if note else text, column(*buttons))

    @on_press("take")
    async def take(self, ctx: Ctx, ticket_id: int) -> None:
        try:
            outcome = await self.desk.take_ticket(actor(ctx), ticket_id)
        except TicketNotFound:
            outcome = TakeOutcome.CLOSED
        if outcome is TakeOutcome.CLOSED:
            await self.inbox(ctx, t("feedback.desk.gone", number=ticket_id))
            return
        key = {
            TakeOutcome.TAKEN: "feedback.desk.taken",
            TakeOutcome.MINE: "feedback.desk.already_mine",
            TakeOutcome.OTHER: "feedback.desk.other_holds",
        }[outcome]
        await self.view(ctx, ticket_id, t(key, number=ticket_id))

    @on_press("answer")
    async def answer(self, ctx: Ctx, ticket_id: int) -> None:
        # An old screen's «Ответить»: say the ticket closed or went to another operator now, not after
        # the answer is typed.
        try:
            ticket = await self.desk.ticket_view(actor(ctx), ticket_id)
        except TicketNotFound:
            await self.inbox(ctx, t("feedback.desk.gone", number=ticket_id))
            return
        if ticket.status is TicketStatus.CLOSED:
            await self.inbox(ctx, t("feedback.desk.gone", number=ticket_id))
            return
        if ticket.line.assigned_to not in (None, assignee(ctx.incoming.channel, ctx.incoming.account_id)):
            await self.view(ctx, ticket_id, t("feedback.desk.other_holds", number=ticket_id))
            return
        ctx.say(
            t("feedback.desk.ask_answer", number=ticket_id),
            column(Button(t("feedback.btn.to_inbox"), self.act("inbox"))),
        )
        self.wait(ctx, Step.ANSWER, ticket_id)

    @on_answer(Step.ANSWER)
    async def answered(self, ctx: Ctx, ticket_id: int, text: str) -> None:
        if word := button_word(text, known_labels()):  # a label is never sent to a person as an answer
            ctx.say(t("valid.button_word", label=word))
            return
        try:
            typed = ticket_text(text, MAX_TEXT)
        except InputError as problem:
            ctx.say(t(problem.key, **problem.values))
            return
        centre = ctx.services.centre.name
        try:
            await self.desk.answer_ticket(
                actor(ctx), ticket_id, typed, lambda number, body: reply_notice(number, body, centre)
            )
        except TakenByOther:
            await self.view(ctx, ticket_id, t("feedback.desk.other_holds", number=ticket_id))
            return
        except (TicketNotFound, TicketClosed):
            await self.inbox(ctx, t("feedback.desk.gone", number=ticket_id))
            return
        await self.inbox(ctx, t("feedback.desk.answered", number=ticket_id))

    @on_press("done")
    async def done(self, ctx: Ctx, ticket_id: int) -> None:
        try:
            await self.desk.close_ticket(actor(ctx), ticket_id, closed_notice)
        except TakenByOther:
            await self.view(ctx, ticket_id, t("feedback.desk.other_holds", number=ticket_id))
            return
        except TicketNotFound:
            pass
        await self.inbox(ctx, t("feedback.desk.closed_done", number=ticket_id))


def _holder(line: InboxLine, me: str) -> str:
    if line.assigned_to is None:
        return t("feedback.desk.holder_free")
    return t("feedback.desk.holder_mine" if line.assigned_to == me else "feedback.desk.holder_other")


def _holder_line(line: InboxLine, me: str) -> str:
    """The ticket screen's sentence about who answers it (the inbox's short word reads oddly alone)."""
    if line.assigned_to is None:
        return t("feedback.desk.held_by_nobody")
    return t("feedback.desk.held_by_me" if line.assigned_to == me else "feedback.desk.held_by_other")


def _line(ctx: Ctx, line: InboxLine, me: str) -> str:
    centre = ctx.services.centre
    late = overdue(line.opened_at, line.answered, ctx.now(), centre.answer_within)
    flag = t("feedback.desk.overdue") if late else ""
    if line.answered:
        flag += t("feedback.desk.answered_mark")
    return t(
        "feedback.desk.line",
        number=line.id,
        topic=topic_name(line.topic),
        age=duration(ctx.now() - line.opened_at),
        flag=flag,
        holder=_holder(line, me),
    )


def _ticket_text(ctx: Ctx, ticket: TicketView, me: str) -> str:
    line, centre = ticket.line, ctx.services.centre
    late = overdue(line.opened_at, line.answered, ctx.now(), centre.answer_within)
    local = line.opened_at.astimezone(ctx.services.timezone)
    lines = [
        t("feedback.desk.ticket_title", number=line.id, topic=topic_name(line.topic)),
        t(
            "feedback.desk.waits",
            date=f"{local:%d.%m %H:%M}",
            age=duration(ctx.now() - line.opened_at),
            within=duration(centre.answer_within),
            flag=t("feedback.desk.overdue") if late else "",
        ),
        _holder_line(line, me),
    ]
    if ticket.status is TicketStatus.CLOSED:
        lines.append(t("feedback.desk.closed"))
    if ticket.shared:
        place = municipality(ticket.municipality) if ticket.municipality else None
        role = t(f"role.{Role(ticket.role).value}") if ticket.role else t("feedback.desk.unknown")
        lines.append(
            t(
                "feedback.desk.who",
                role=role,
                municipality=place.title if place else t("feedback.desk.unknown"),
            )
        )
    else:
        lines.append(t("feedback.desk.not_shared"))
    lines += ["", t("feedback.desk.conversation"), *(_message(ctx, m) for m in ticket.messages)]
    if ticket.history:
        lines += ["", t("feedback.desk.history"), *(_message(ctx, m) for m in ticket.history)]
    return "\n".join(lines)


def _message(ctx: Ctx, message: TicketMessage) -> str:
    at = f"{message.at.astimezone(ctx.services.timezone):%d.%m %H:%M}"
    key = "feedback.desk.from_person" if message.author.value == "person" else "feedback.desk.from_centre"
    return t(key, at=at, text=message.text)
