"""Free text outside a waiting step: NLU, then the intent's flow, a clarifying question or an honest no.

Each answer is counted per day, intent and confidence band in the store (``frontdoor report nlu``) and
logged as (intent, confidence, band) — never the text and never who wrote it.
"""

from __future__ import annotations

import logging

from backend_client.models import AskBand
from dialogs.context import Ctx
from dialogs.flow import Flow, action
from dialogs.intents import ROUTES, Route
from dialogs.texts import t
from dialogs.ui import Button, column
from nlu.types import OUT_OF_SCOPE, NluUnavailable, Parse

log = logging.getLogger(__name__)


class UnderstandFlow(Flow):
    name = "nlu"

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        understanding = ctx.services.nlu
        if entry != "text" or understanding is None:
            await ctx.not_understood()
            return
        try:
            parse = await understanding.parse(arg)
        except NluUnavailable as problem:
            log.warning("nlu unavailable: %s", problem)
            await ctx.not_understood()
            return
        levels = ctx.services.confidence
        if parse.intent in ROUTES and parse.confidence >= levels.high:
            band = AskBand.HIGH
            await self._follow(ctx, parse.intent, _entry_arg(ROUTES[parse.intent], parse))
        elif parse.confidence >= levels.low and (guesses := _guesses(ctx, parse)):
            band = AskBand.MEDIUM
            buttons = [
                Button(t(f"nlu.intent.{name}"), self.act("pick", f"{name} {extra}"))
                for name, extra in guesses
            ]
            buttons.append(Button(t("btn.none_of_these"), action("menu", "show")))
            ctx.say(t("nlu.did_you_mean"), column(*buttons))
        else:
            band = AskBand.LOW
            await self._follow(ctx, OUT_OF_SCOPE, "")
        await ctx.records.count_ask(parse.intent, band)
        log.info("free text intent=%s confidence=%.2f band=%s", parse.intent, parse.confidence, band.value)

    async def on_action(self, ctx: Ctx, verb: str, arg: str) -> None:
        intent, _, extra = arg.partition(" ")
        if verb != "pick" or intent not in ROUTES:
            await ctx.stale()
            return
        log.info("free text clarified intent=%s", intent)
        await self._follow(ctx, intent, extra)

    @staticmethod
    async def _follow(ctx: Ctx, intent: str, arg: str) -> None:
        route = ROUTES[intent]
        if route.coming:
            ctx.say(t("nlu.coming", feature=t(f"nlu.feature.{intent}")))
        elif route.reply:
            ctx.say(t(route.reply))
        if route.flow:
            await ctx.go(route.flow, route.entry, arg)
        elif route.menu:
            await ctx.menu()


def _entry_arg(route: Route, parse: Parse) -> str:
    return route.arg(parse) if route.arg else ""


def _guesses(ctx: Ctx, parse: Parse) -> list[tuple[str, str]]:
    levels = ctx.services.confidence
    picked = [
        (score.name, _entry_arg(ROUTES[score.name], parse))
        for score in parse.ranking
        if score.name in ROUTES and score.name != OUT_OF_SCOPE and score.confidence >= levels.suggestion_floor
    ]
    return picked[: levels.suggestions]
