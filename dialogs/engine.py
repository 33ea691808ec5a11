"""The dialog engine: one ``Incoming`` in, one ``Outcome`` out, whatever the messenger.

For each message it resolves the person behind the channel account, loads their conversation state,
routes the input (global command, pressed button, text for a waiting step, free text), swaps every
button's internal action for a fresh opaque token, and saves the state. An error boundary makes sure a
failing step answers with a calm apology and leaves the stored state as it was.

An incoming with a ``Receipt`` (the messenger's update id) is handled once: a receipt already recorded
is ignored (``Outcome.handled`` False, nothing to send), and the receipt is recorded in the same atomic
write as the state, so a crash before that write leaves the update to be handled again on redelivery.
The turn's replies are recorded with the receipt until the transport reports them sent
(``replies_sent``): a redelivery of a turn whose replies never left gets those replies again instead of
nothing, and ``unsent`` lists the ones no redelivery will come for.

Effects are keyed by the press (``Ctx.press``), so a repeat of a press that committed its effect but not
its state gets the first result back (``backend_client/sql/infra/presses.py``). The answer just filed, typed
again within seconds of the next question, is not filed under that question: it answered the earlier one
(a person retyping while the bot restarted); sent once more, it is.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

from backend_client.clock import Clock
from backend_client.errors import ConversationConflict, DuplicateUpdate, PersonGone
from backend_client.ports import (
    AlertSubscriptions,
    Broadcasts,
    CollegeCatalogue,
    Feedback,
    Graduates,
    Receipt,
    Records,
    Vacancies,
)
from dialogs.context import CentreContacts, ConsentTerms, Ctx, PlanStore, Services
from dialogs.features import (
    all_flows,
    commands,
    intent_routes,
    menu_entries,
    my_data_lines,
    public_actions,
)
from dialogs.flood import FloodGate
from dialogs.flow import Flow, parse_action
from dialogs.intents import Confidence
from dialogs.locks import KeyedLocks
from dialogs.pending import Unsent, decode, encode
from dialogs.state import ConversationState, StateStore
from dialogs.texts import known_labels, t
from dialogs.ui import PUBLIC_PREFIX, Button, Incoming, IncomingKind, Outcome, Reply
from dialogs.validation import button_word
from nlu.types import Understanding

log = logging.getLogger(__name__)

MAX_INPUT_CHARS = 4096  # Telegram's own message limit; longer text is refused, never stored
# Seconds after a question is asked within which the previous answer, typed again, is taken as a retype.
REPEAT_WINDOW = 20.0
CONFLICT_RETRIES = 2  # turns run again when another instance saved the conversation in between
TOKEN_BYTES = 6  # 8 url-safe characters: far below Telegram's 64-byte callback_data limit


class Engine:
    def __init__(
        self,
        records: Records,
        states: StateStore,
        clock: Clock,
        *,
        deep_links: Mapping[str, Callable[[str], str]] | None = None,
        timezone: ZoneInfo | None = None,
        consent: ConsentTerms | None = None,
        invite_ttl: timedelta = timedelta(days=7),
        flows: Iterable[Flow] | None = None,
        nlu: Understanding | None = None,
        confidence: Confidence | None = None,
        broadcasts: Broadcasts | None = None,
        flood: FloodGate | None = None,
        vacancies: Vacancies | None = None,
        vacancy_alerts: AlertSubscriptions | None = None,
        colleges: CollegeCatalogue | None = None,
        graduates: Graduates | None = None,
        plans: PlanStore | None = None,
        feedback: Feedback | None = None,
        centre: CentreContacts | None = None,
    ) -> None:
        self.services = Services(
            records=records,
            states=states,
            clock=clock,
            timezone=timezone or ZoneInfo("Europe/Samara"),
            consent=consent or ConsentTerms(),
            invite_ttl=invite_ttl,
            deep_links=dict(deep_links or {}),
            nlu=nlu,
            confidence=confidence or Confidence(),
            broadcasts=broadcasts,
            menu=menu_entries(),
            routes=intent_routes(),
            vacancies=vacancies,
            vacancy_alerts=vacancy_alerts,
            colleges=colleges,
            graduates=graduates,
            plans=plans,
            feedback=feedback,
            centre=centre or CentreContacts(),
        )
        self.services = replace(self.services, my_data=my_data_lines(self.services))
        self._flows: dict[str, Flow] = {flow.name: flow for flow in (flows or all_flows(self.services))}
        self._commands = commands()
        self._public = public_actions()  # «не присылать такие», «работодатель ответил?» …
        self._locks = KeyedLocks()
        self._flood = flood
        self._sending: set[Receipt] = set()  # turns whose replies a transport is sending right now

    async def deliver(self, incoming: Incoming, send: Callable[[Outcome], Awaitable[bool]]) -> Outcome:
        """Handle ``incoming`` and give its outcome to ``send`` (True: the messenger took every reply).

        The replies stay recorded with the receipt until ``send`` succeeds, so a redelivery or the
        ``unsent`` sweep sends them again; while ``send`` runs, a redelivery in this process is a
        duplicate (the sending one answers)."""
        outcome = await self.handle(incoming)
        receipt = incoming.receipt
        if not outcome.handled:
            return outcome
        if receipt is not None:
            self._sending.add(receipt)
        try:
            if await send(outcome):
                await self.replies_sent(receipt)
        finally:
            if receipt is not None:
                self._sending.discard(receipt)
        return outcome

    async def handle(self, incoming: Incoming) -> Outcome:
        # Over the person's rate limit: answered before the lock and the store, receipt not recorded.
        refused = self._flood.check(incoming.conversation_key) if self._flood is not None else None
        if refused is not None:
            return refused
        async with self._locks.hold(incoming.conversation_key):
            try:
                for attempt in range(CONFLICT_RETRIES + 1):
                    try:
                        # A retry races a delivery that is answering right now: it never resends.
                        return await self._handle(incoming, resend=attempt == 0)
                    except ConversationConflict:
                        # Another instance saved this person's conversation in between. Effects are
                        # keyed by the press, so the turn runs again on the newer state: a repeat of
                        # the same press finds its effect done, another message is answered in turn.
                        log.info("conversation conflict channel=%s attempt=%s", incoming.channel, attempt)
                log.warning("conversation conflict channel=%s: giving up", incoming.channel)
                return Outcome(replies=(Reply(t("engine.busy")),))
            except DuplicateUpdate:
                # Another delivery of this update committed first (another instance): it answered.
                log.info("duplicate update channel=%s", incoming.channel)
                return Outcome(handled=False)
            except Exception:
                log.exception("handler failed channel=%s kind=%s", incoming.channel, incoming.kind)
                return Outcome(replies=(Reply(t("engine.apology")),))

    async def _handle(self, incoming: Incoming, *, resend: bool) -> Outcome:
        records, states = self.services.records, self.services.states
        receipt = incoming.receipt
        # Under the conversation lock: a redelivery waits for the first delivery's turn, then sees it.
        if receipt is not None and await states.handled(receipt):
            sending = not resend or receipt in self._sending
            unsent = None if sending else await states.unsent_replies(receipt)
            if unsent is None:
                log.info("duplicate update channel=%s", incoming.channel)
                return Outcome(handled=False)
            log.info("redelivered update with unsent replies channel=%s: sending them", incoming.channel)
            return decode(unsent).outcome
        person = await records.identify(incoming.channel, incoming.account_id, incoming.chat_id)
        key = incoming.conversation_key
        stored = await states.load(key)
        state = ConversationState.from_blob(stored.blob, stored.version) if stored else ConversationState()
        before = stored.blob if stored else ""

        ctx = Ctx(incoming, person, state, self.services, self._flows)
        try:
            await self._route(ctx)
        except PersonGone:
            # The person erased their data from another chat meanwhile: start afresh.
            ctx.forget = True
            ctx.replies.clear()
            ctx.say(t("engine.person_gone"))

        outcome = Outcome(replies=tuple(self._issue_tokens(ctx)), notice=ctx.notice)
        pending = encode(incoming, outcome) if receipt is not None and outcome.replies else None
        if ctx.forget:
            await states.delete(key, receipt, pending)
        else:
            if state.waiting and ctx.replies:
                state.asked_at = self.services.clock.now().timestamp()
            blob = state.to_blob()
            if blob != before:
                await states.save(key, blob, state.version, receipt, pending)
            elif receipt is not None:
                await states.record(receipt, pending)
        return outcome

    async def replies_sent(self, receipt: Receipt | None) -> None:
        """The transport delivered a turn's replies: they need not be kept for a resend."""
        if receipt is not None:
            await self.services.states.replies_sent(receipt)

    async def unsent(
        self, source: str, older_than: timedelta, limit: int = 100
    ) -> list[tuple[Receipt, Unsent]]:
        """Turns of ``source`` whose replies were recorded over ``older_than`` ago and never reported sent."""
        before = self.services.clock.now() - older_than
        found = await self.services.states.unsent(source, before, limit)
        return [(receipt, decode(raw)) for receipt, raw in found]

    async def _route(self, ctx: Ctx) -> None:
        incoming = ctx.incoming
        if incoming.kind is IncomingKind.BUTTON:
            await self._route_button(ctx, incoming.button)
        elif incoming.kind is IncomingKind.UNSUPPORTED:
            ctx.say(t("engine.unsupported"))
            if not ctx.state.waiting:
                await ctx.menu()
        else:
            await self._route_text(ctx, incoming.text)

    async def _route_button(self, ctx: Ctx, token: str) -> None:
        if token.startswith(PUBLIC_PREFIX):
            await self._public_action(ctx, token[len(PUBLIC_PREFIX) :])
            return
        target = ctx.state.buttons.get(token)
        if target is None and token == ctx.state.last_press:
            # The press that led here, again (a double tap, a press handled by another instance): what
            # it did is on the screen already.
            ctx.notice = t("engine.done_notice")
            ctx.repeat = True
            return
        if target is None:
            await ctx.stale()
            return
        flow_name, verb, arg = parse_action(target)
        flow = self._flows.get(flow_name)
        if flow is None:
            await ctx.stale()
            return
        await flow.on_action(ctx, verb, arg)

    async def _public_action(self, ctx: Ctx, payload: str) -> None:
        """Buttons under proactive messages (no conversation turn issued them, so they carry no token).
        Only actions that change nothing but the presser's own records may be public (anyone can forge
        one: the flow finds only the presser's own)."""
        verb, _, arg = payload.partition(":")
        target = self._public.get(verb)
        if target is None or target[0] not in self._flows:
            await ctx.stale()
            return
        ctx.state.clear_step()
        await ctx.go(*target, arg)

    async def _route_text(self, ctx: Ctx, raw: str) -> None:
        text = raw.strip()
        if len(text) > MAX_INPUT_CHARS:
            ctx.say(t("engine.too_long", limit=MAX_INPUT_CHARS))
            return
        if not text:
            ctx.say(t("engine.empty"))
            return
        if text.startswith("/"):
            await self._command(ctx, text)
            return
        if ctx.state.waiting:
            flow = self._flows.get(ctx.state.flow)
            if flow is not None:
                if self._answered_before(ctx, text):
                    ctx.say(t("engine.already_answered"))
                    return
                step = f"{ctx.state.flow}.{ctx.state.step}"
                await flow.on_text(ctx, ctx.state.step, text)
                ctx.state.last_answer = (step, _digest(text), ctx.now().timestamp())
                return
            ctx.state.clear_step()
        if ctx.person.role is None:
            await ctx.go("start")  # any first message gets the greeting
            return
        await ctx.go("nlu", "text", text)

    @property
    def flows(self) -> Mapping[str, Flow]:
        """The conversations this engine routes to, by name."""
        return self._flows

    async def _command(self, ctx: Ctx, text: str) -> None:
        head, _, arg = text.partition(" ")
        name = head[1:].split("@", 1)[0].lower()  # "/start@FrontdoorBot" in group chats
        command = self._commands.get(name)
        if command is None:
            ctx.say(t("engine.unknown_command"))
            return
        await command(ctx, arg.strip())

    @staticmethod
    def _answered_before(ctx: Ctx, text: str) -> bool:
        """Whether this text repeats the answer just filed under the previous step, arriving soon after
        the waiting question was asked: a person who retyped because the bot was silent (restarting).
        Said once: the same text sent again goes to the waiting question (it may really be its answer)."""
        state = ctx.state
        last, step = state.last_answer, f"{state.flow}.{state.step}"
        if not last or last[0] == step or last[1] != _digest(text):
            return False
        if button_word(text, known_labels()):
            return False  # a button's word («пропустить», «да») is rightly said to one question after another
        state.last_answer = None
        return ctx.now().timestamp() - state.asked_at <= REPEAT_WINDOW

    @staticmethod
    def _issue_tokens(ctx: Ctx) -> list[Reply]:
        """Replace internal actions with fresh opaque tokens and remember them in the state.

        A turn that shows buttons replaces the person's valid buttons; a button press always consumes
        the old ones, so pressing the same button twice cannot repeat its effect.
        """
        issued: dict[str, str] = {}
        replies: list[Reply] = []
        for reply in ctx.replies:
            if not reply.keyboard:
                replies.append(reply)
                continue
            keyboard = []
            for row in reply.keyboard:
                line = []
                for button in row:
                    token = secrets.token_urlsafe(TOKEN_BYTES)
                    issued[token] = button.payload
                    line.append(Button(button.label, token))
                keyboard.append(tuple(line))
            replies.append(Reply(reply.text, tuple(keyboard), reply.document, reply.replace_pressed))
        if ctx.incoming.kind is IncomingKind.BUTTON and not ctx.repeat:
            ctx.state.buttons = issued
            ctx.state.last_press = ctx.incoming.button
        elif issued:
            ctx.state.buttons = issued
            ctx.state.last_press = ""
        return replies


def _digest(text: str) -> str:
    """A short fingerprint of an answer: enough to tell a repeat, without keeping the text twice."""
    return hashlib.blake2s(text.casefold().encode(), digest_size=8).hexdigest()
