"""«Работа и стажировки» / «Подработка»: the routing table of the work conversation (one handler per
button verb and per waiting step); the screens are drawn in ``browse`` and ``cards``.

Looking needs no consent (nothing about the person is stored); applying, «Избранное» and «Мои отклики»
do. Every screen asks the store for the person's facts first, so under-14s get a kind explanation and
minors only what the law allows at their age.
"""

from __future__ import annotations

from backend_client.reference import BY_CODE
from dialogs.context import Ctx
from dialogs.flow import Run, on_answer, on_press
from dialogs.flows.jobs.cards import Cards
from dialogs.flows.jobs.common import Step
from dialogs.flows.jobs.search import TOGGLES, Filter, Search
from dialogs.texts import t
from dialogs.views.jobs import FOLLOW_UP


class JobsFlow(Cards):
    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        ctx.state.clear_step()
        if not self.available:
            await self._unavailable(ctx)
        elif self.under_14(ctx):
            self.say_under_14(ctx)
        elif entry == FOLLOW_UP:
            await self._follow_up_entry(ctx, arg)
        elif entry == "search" and arg:
            await self.results(ctx, Search.decode(arg), 0)
        elif entry == "mine":
            await self.mine_list(ctx)
        elif entry == "card" and arg.isascii() and arg.isdigit():  # a vacancy opened from an alert
            await self.card(ctx, int(arg))
        else:
            self.keep(ctx, Search())
            self.home(ctx)

    async def _follow_up_entry(self, ctx: Ctx, arg: str) -> None:
        """``<application id>:yes|no`` from the public buttons under the follow-up reminder."""
        number, _, answer = arg.partition(":")
        if not number.isascii() or not number.isdigit() or answer not in ("yes", "no"):
            await ctx.stale()
            return
        await self.follow_up(ctx, int(number), answer == "yes")

    async def guard_press(self, ctx: Ctx, run: Run) -> None:
        if not self.available:
            await self._unavailable(ctx)
        elif self.under_14(ctx):  # only a forged or very old button of this flow reaches a child
            self.say_under_14(ctx)
        else:
            await run()

    async def guard_answer(self, ctx: Ctx, run: Run) -> None:
        if not self.available:
            await self._unavailable(ctx)
        else:
            await run()

    @staticmethod
    async def _unavailable(ctx: Ctx) -> None:
        ctx.state.clear_step()
        ctx.say(t("jobs.unavailable"))
        await ctx.menu()

    # -- the section and the search -------------------------------------------------------------------
    @on_press("home")
    async def home_press(self, ctx: Ctx) -> None:
        ctx.state.clear_step()
        self.home(ctx)

    @on_press("show")
    async def show(self, ctx: Ctx) -> None:
        await self.results(ctx, self.search(ctx), 0)

    @on_press("page")
    async def page(self, ctx: Ctx, page: int) -> None:
        await self.results(ctx, self.search(ctx), page)

    @on_press("drop")
    async def drop(self, ctx: Ctx, chip: Filter) -> None:
        await self.results(ctx, self.search(ctx).without(chip), 0)

    @on_answer(Step.HOME, Step.RESULTS, Step.EMPTY)
    async def query_typed(self, ctx: Ctx, step: Step, text: str) -> None:
        await self.typed_query(ctx, text)

    # -- filters --------------------------------------------------------------------------------------
    @on_press("filters")
    async def filters_press(self, ctx: Ctx) -> None:
        self.filters(ctx)

    @on_press("toggle")
    async def toggle(self, ctx: Ctx, chip: Filter) -> None:
        if chip not in TOGGLES:
            await ctx.stale()
            return
        self.keep(ctx, self.search(ctx).toggled(chip))
        self.filters(ctx)

    @on_press("place")
    async def place_press(self, ctx: Ctx) -> None:
        await self.ask_place(ctx)

    @on_press("set_place")
    async def set_place_press(self, ctx: Ctx, code: str = "") -> None:
        if code and code not in BY_CODE:
            await ctx.stale()
            return
        self.set_place(ctx, code or None)

    @on_answer(Step.PLACE)
    async def place_typed(self, ctx: Ctx, text: str) -> None:
        await self.typed_place(ctx, text)

    @on_press("salary")
    async def salary_press(self, ctx: Ctx) -> None:
        self.ask_salary(ctx)

    @on_press("set_salary")
    async def set_salary_press(self, ctx: Ctx, amount: int) -> None:
        self.set_salary(ctx, amount)

    @on_answer(Step.SALARY)
    async def salary_typed(self, ctx: Ctx, text: str) -> None:
        self.typed_salary(ctx, text)

    # -- matched to the profile -----------------------------------------------------------------------
    @on_press("matches")
    async def matches_press(self, ctx: Ctx, page: int = 0) -> None:
        await self.matches(ctx, page)

    # -- a card and what is done with it --------------------------------------------------------------
    @on_press("open")
    async def open_card(self, ctx: Ctx, vacancy_id: int) -> None:
        await self.card(ctx, vacancy_id)

    @on_press("back")
    async def back_press(self, ctx: Ctx) -> None:
        await self.back(ctx)

    @on_press("apply")
    async def apply(self, ctx: Ctx, vacancy_id: int) -> None:
        await self.ask_message(ctx, vacancy_id)

    @on_answer(Step.MESSAGE)
    async def message_typed(self, ctx: Ctx, vacancy_id: int, text: str) -> None:
        await self.typed_message(ctx, vacancy_id, text)

    @on_press("send")
    async def send_without_message(self, ctx: Ctx, vacancy_id: int) -> None:
        await self.send(ctx, vacancy_id, "")

    @on_press("save")
    async def save_press(self, ctx: Ctx, vacancy_id: int) -> None:
        await self.save(ctx, vacancy_id, True)

    @on_press("unsave")
    async def unsave_press(self, ctx: Ctx, vacancy_id: int) -> None:
        await self.save(ctx, vacancy_id, False)

    @on_press("saved")
    async def saved_press(self, ctx: Ctx) -> None:
        await self.saved_list(ctx)

    @on_press("mine")
    async def mine_press(self, ctx: Ctx) -> None:
        await self.mine_list(ctx)
