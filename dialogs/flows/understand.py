"""Free text outside a waiting step: NLU, then the intent's flow, a clarifying question or an honest no.

Each answer is counted per day, intent and confidence band in the store (``frontdoor report nlu``) and
logged as (intent, confidence, band) — never the text and never who wrote it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from enum import StrEnum

from backend_client.models import AskBand
from backend_client.ports import AskCounts
from dialogs.context import Ctx
from dialogs.feature import Feature
from dialogs.flow import Flow, action, on_press
from dialogs.intents import Route
from dialogs.texts import t
from dialogs.ui import Button, column
from nlu.types import OUT_OF_SCOPE, NluUnavailable, Parse, Understanding

log = logging.getLogger(__name__)
MISSES = "nlu_misses"  # [fallbacks in a row, the state version of the last]: the second offers a human first


class Step(StrEnum):
    """The screens of ``nlu.mmd``; the flow never waits for text (free text reaches it outside a step)."""

    PARSE = "parse"
    DID_YOU_MEAN = "did_you_mean"  # «Вы имели в виду…?» with up to three guesses
    OUT_OF_SCOPE = "out_of_scope"  # an honest answer and the menu
    NOT_UNDERSTOOD = "not_understood"  # no NLU, or it is down


class UnderstandFlow(Flow):
    name = "nlu"
    steps = Step

    def __init__(self, routes: Mapping[str, Route], nlu: Understanding | None, asks: AskCounts) -> None:
        self.routes = routes
        self.nlu = nlu  # None: free text gets "I did not understand"
        self.asks = asks

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        understanding = self.nlu
        if entry != "text" or understanding is None:
            await self._missed(ctx, t("engine.not_understood"))
            return
        try:
            parse = await understanding.parse(arg)
        except NluUnavailable as problem:
            log.warning("nlu unavailable: %s", problem)
            await self._missed(ctx, t("engine.not_understood"))
            return
        levels = ctx.services.confidence
        if parse.intent == OUT_OF_SCOPE and parse.confidence >= levels.high:
            band = AskBand.HIGH
            await self._missed(ctx, t("nlu.out_of_scope"))
        elif parse.intent in self.routes and parse.confidence >= levels.high:
            band = AskBand.HIGH
            ctx.data.pop(MISSES, None)
            await self._follow(ctx, parse.intent, _entry_arg(self.routes[parse.intent], parse))
        elif parse.confidence >= levels.low and (guesses := self._guesses(ctx, parse)):
            band = AskBand.MEDIUM
            buttons = [
                Button(t(f"nlu.intent.{name}"), self.act("pick", f"{name} {extra}"))
                for name, extra in guesses
            ]
            buttons.append(Button(t("btn.none_of_these"), action("menu", "show")))
            ctx.say(t("nlu.did_you_mean"), column(*buttons))
        else:
            band = AskBand.LOW
            await self._missed(ctx, t("nlu.out_of_scope"))
        await self.asks.count_ask(parse.intent, band)
        log.info("free text intent=%s confidence=%.2f band=%s", parse.intent, parse.confidence, band.value)

    async def _missed(self, ctx: Ctx, answer: str) -> None:
        """A fallback: the honest answer with «Не то?» and a way to a human under it (put first after
        two misses in a row), then the menu."""
        misses = _in_a_row(ctx)
        ctx.data[MISSES] = [misses, ctx.state.version]
        offer = t("feedback.misunderstood_twice" if misses >= 2 else "feedback.misunderstood")
        to_centre = column(Button(t("feedback.btn.to_human"), action("feedback", "home")))
        if misses >= 2:
            ctx.say(offer, to_centre)
        else:
            ctx.say(f"{answer}\n\n{offer}", to_centre)
        await ctx.menu()

    @on_press("pick")
    async def pick(self, ctx: Ctx, guess: str) -> None:
        """``intent extra``: a guess of «Вы имели в виду…?» with its entry's argument."""
        intent, _, extra = guess.partition(" ")
        if intent not in self.routes:
            await ctx.stale()
            return
        log.info("free text clarified intent=%s", intent)
        await self._follow(ctx, intent, extra)

    async def _follow(self, ctx: Ctx, intent: str, arg: str) -> None:
        route = self.routes[intent]
        if route.coming:
            ctx.say(t("nlu.coming", feature=t(f"nlu.feature.{intent}")))
        elif route.reply:
            ctx.say(t(route.reply))
        if route.flow:
            await ctx.go(route.flow, route.entry, arg)
        elif route.menu:
            await ctx.menu()

    def _guesses(self, ctx: Ctx, parse: Parse) -> list[tuple[str, str]]:
        levels = ctx.services.confidence
        picked = [
            (score.name, _entry_arg(self.routes[score.name], parse))
            for score in parse.ranking
            if score.name in self.routes
            and score.name != OUT_OF_SCOPE
            and score.confidence >= levels.suggestion_floor
        ]
        return picked[: levels.suggestions]


def _in_a_row(ctx: Ctx) -> int:
    """This fallback's place in a row of them: the previous one counts only if it was the turn just
    before (the conversation saved once since; a button pressed in between breaks the row)."""
    previous = ctx.data.get(MISSES)
    if isinstance(previous, list) and len(previous) == 2 and previous[1] == ctx.state.version - 1:
        return int(previous[0]) + 1
    return 1


def _entry_arg(route: Route, parse: Parse) -> str:
    return route.arg(parse) if route.arg else ""


FEATURE = Feature(
    name="understand", flow=lambda services: UnderstandFlow(services.routes, services.nlu, services.records)
)
