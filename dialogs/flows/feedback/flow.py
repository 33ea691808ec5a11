"""«Обратная связь»: the routing of both sides and who may press what.

The person's buttons need nothing but a person; the desk's (``DESK_VERBS``) need the operator role, read
before every press and every typed answer: to anyone else those buttons are stale (a forged inbox button
shows nothing), and a revoked operator's next press is refused the same way. The store checks the role
again in each call's transaction (``NotOperator``), which is answered alike.
"""

from __future__ import annotations

from backend_client.broadcasts import NotOperator
from backend_client.ports import Broadcasts, Feedback
from dialogs.context import Ctx
from dialogs.flow import Run
from dialogs.flows.feedback.common import Step
from dialogs.flows.feedback.desk import DESK_VERBS, DeskSide
from dialogs.flows.feedback.person import PersonSide
from dialogs.texts import t


class FeedbackFlow(PersonSide, DeskSide):
    def __init__(self, feedback: Feedback | None, broadcasts: Broadcasts | None) -> None:
        super().__init__(feedback)
        self.broadcasts = broadcasts  # who holds the operator role; None: nobody

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        if entry == "rate" and self._feedback is not None:
            await self.rate_public(ctx, arg)
        elif entry == "reply" and self._feedback is not None:
            await self.reply_public(ctx, arg)
        else:
            await self.home(ctx)

    async def on_action(self, ctx: Ctx, verb: str, arg: str) -> None:
        if verb in DESK_VERBS and not await self._operator(ctx):
            await ctx.stale()
            return
        await super().on_action(ctx, verb, arg)

    async def on_text(self, ctx: Ctx, step: str, text: str) -> None:
        if step.partition(":")[0] == Step.ANSWER and not await self._operator(ctx):
            await self._not_operator(ctx)
            return
        await super().on_text(ctx, step, text)

    async def guard_press(self, ctx: Ctx, run: Run) -> None:
        await self._refusing(ctx, run, typed=False)

    async def guard_answer(self, ctx: Ctx, run: Run) -> None:
        await self._refusing(ctx, run, typed=True)

    async def _refusing(self, ctx: Ctx, run: Run, *, typed: bool) -> None:
        if self._feedback is None:
            await self.home(ctx)
            return
        try:
            await run()
        except NotOperator:  # revoked between the guard and the store's own check
            if typed:
                await self._not_operator(ctx)
            else:
                await ctx.stale()

    async def _not_operator(self, ctx: Ctx) -> None:
        """An answer typed after the role was taken away: said to be unsent, not dropped in silence."""
        ctx.state.clear_step()
        ctx.say(t("feedback.desk.not_operator"))
        await ctx.menu()

    async def _operator(self, ctx: Ctx) -> bool:
        broadcasts, incoming = self.broadcasts, ctx.incoming
        return broadcasts is not None and await broadcasts.is_operator(incoming.channel, incoming.account_id)
