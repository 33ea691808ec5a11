"""The dialog engine: one ``Incoming`` in, one ``Outcome`` out, whatever the messenger.

For each message it resolves the person behind the channel account, loads their conversation state,
routes the input (global command, pressed button, text for a waiting step, free text), swaps every
button's internal action for a fresh opaque token, and saves the state. An error boundary makes sure a
failing step answers with a calm apology and leaves the stored state as it was.

An incoming with a ``Receipt`` (the messenger's update id) is handled once: a receipt already recorded
is ignored (``Outcome.handled`` False, nothing to send), and the receipt is recorded in the same atomic
write as the state, so a crash before that write leaves the update to be handled again on redelivery.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from zoneinfo import ZoneInfo

from backend_client.clock import Clock
from backend_client.errors import ConversationConflict, DuplicateUpdate, PersonGone
from backend_client.ports import Broadcasts, Records
from dialogs.context import ConsentTerms, Ctx, Services
from dialogs.flood import FloodGate
from dialogs.flow import Flow, parse_action
from dialogs.flows import all_flows
from dialogs.intents import Confidence
from dialogs.locks import KeyedLocks
from dialogs.state import ConversationState, StateStore
from dialogs.texts import t
from dialogs.ui import PUBLIC_PREFIX, Button, Incoming, IncomingKind, Outcome, Reply
from nlu.types import Understanding

log = logging.getLogger(__name__)

MAX_INPUT_CHARS = 4096  # Telegram's own message limit; longer text is refused, never stored
START_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # Telegram deep-link payload alphabet
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
        )
        self._flows: dict[str, Flow] = {flow.name: flow for flow in (flows or all_flows())}
        self._locks = KeyedLocks()
        self._flood = flood

    async def handle(self, incoming: Incoming) -> Outcome:
        # Over the person's rate limit: answered before the lock and the store, receipt not recorded.
        refused = self._flood.check(incoming.conversation_key) if self._flood is not None else None
        if refused is not None:
            return refused
        async with self._locks.hold(incoming.conversation_key):
            try:
                return await self._handle(incoming)
            except ConversationConflict:
                # Another instance answered this person at the same moment; nothing of ours was saved.
                log.warning("conversation conflict channel=%s", incoming.channel)
                return Outcome(replies=(Reply(t("engine.busy")),))
            except DuplicateUpdate:
                # Another delivery of this update committed first (another instance): it answered.
                log.info("duplicate update channel=%s", incoming.channel)
                return Outcome(handled=False)
            except Exception:
                log.exception("handler failed channel=%s kind=%s", incoming.channel, incoming.kind)
                return Outcome(replies=(Reply(t("engine.apology")),))

    async def _handle(self, incoming: Incoming) -> Outcome:
        records, states = self.services.records, self.services.states
        receipt = incoming.receipt
        # Under the conversation lock: a redelivery waits for the first delivery's turn, then sees it.
        if receipt is not None and await states.handled(receipt):
            log.info("duplicate update channel=%s", incoming.channel)
            return Outcome(handled=False)
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

        replies = self._issue_tokens(ctx)
        if ctx.forget:
            await states.delete(key, receipt)
        else:
            blob = state.to_blob()
            if blob != before:
                await states.save(key, blob, state.version, receipt)
            elif receipt is not None:
                await states.record(receipt)
        return Outcome(replies=tuple(replies), notice=ctx.notice)

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
        if target is None:
            await ctx.stale()
            return
        flow_name, verb, arg = parse_action(target)
        flow = self._flows.get(flow_name)
        if flow is None:
            await ctx.stale()
            return
        await flow.on_action(ctx, verb, arg)

    @staticmethod
    async def _public_action(ctx: Ctx, payload: str) -> None:
        """Buttons under proactive messages (no conversation turn issued them, so they carry no token).
        Only actions that change nothing but the presser's own settings may be public."""
        verb, _, arg = payload.partition(":")
        if verb == "stop":
            ctx.state.clear_step()
            await ctx.go("settings", "stop", arg)
        else:
            await ctx.stale()

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
                await flow.on_text(ctx, ctx.state.step, text)
                return
            ctx.state.clear_step()
        if ctx.person.role is None:
            await ctx.go("start")  # any first message gets the greeting
            return
        await ctx.go("nlu", "text", text)

    async def _command(self, ctx: Ctx, text: str) -> None:
        head, _, arg = text.partition(" ")
        command = head[1:].split("@", 1)[0].lower()  # "/start@FrontdoorBot" in group chats
        arg = arg.strip()
        if command == "start":
            ctx.state.reset()
            if arg and not START_PAYLOAD.fullmatch(arg):
                ctx.say(t("engine.bad_link"))
                arg = ""
            await ctx.go("start", "payload" if arg else "", arg)
        elif command == "cancel":
            was_waiting = ctx.state.waiting
            ctx.state.reset()
            ctx.say(t("engine.cancelled" if was_waiting else "engine.nothing_to_cancel"))
            await ctx.menu()
        elif command == "menu":
            ctx.state.reset()
            await ctx.menu()
        elif command == "help":
            ctx.say(t("engine.help"))
            if not ctx.state.waiting:
                await ctx.menu()
        elif command == "profile":
            ctx.state.reset()
            await ctx.go("profile")
        elif command == "mydata":
            ctx.state.reset()
            await ctx.go("mydata")
        elif command == "settings":
            ctx.state.reset()
            await ctx.go("settings")
        elif command == "tests":
            ctx.state.reset()
            await ctx.go("career")
        elif command == "operator":  # unknown to everyone but operators (the flow checks)
            ctx.state.reset()
            await ctx.go("operator")
        else:
            ctx.say(t("engine.unknown_command"))

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
        if issued or ctx.incoming.kind is IncomingKind.BUTTON:
            ctx.state.buttons = issued
        return replies
