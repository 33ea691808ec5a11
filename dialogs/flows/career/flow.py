"""The career flow's routing table (one handler per button verb and per waiting step) and taking a test:
the tests screen, one question at a time, going back, pausing, quitting and finishing.

Every answer is stored at once on the attempt (``CareerTests`` port), so a test survives restarts, /menu
and switching messengers, and resumes exactly where it stopped. Button actions carry the attempt id and
the item number: an answer to a question that is no longer the current one changes nothing. The results'
screens live in ``results``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from backend_client.errors import ConsentRequired
from backend_client.models import AttemptStatus, CareerAttempt, CareerOutcome, ConsentStatus, Role
from backend_client.ports import CareerTests, Guardians, InDemand, Profiles
from dialogs.career.instruments import Instrument, instrument, instruments
from dialogs.career.scoring import evaluate, rushed
from dialogs.context import Ctx
from dialogs.flow import Flow, Run, action, on_answer, on_press
from dialogs.flows.career.results import Results
from dialogs.texts import t
from dialogs.ui import Button, column, plain_label, rows
from dialogs.views.career import question_text

LETTERS = {"а": "1", "a": "1", "б": "2", "b": "2", "в": "3", "г": "4"}
BACK_WORDS = frozenset({"назад", "back"})
PAUSE_WORDS = frozenset({"пауза", "стоп", "pause", "stop"})


def _ids(arg: str) -> list[int] | None:
    try:
        return [int(part) for part in arg.split(".")]
    except ValueError:
        return None


class Step(StrEnum):
    """The steps of ``career.mmd``."""

    NEEDS_CONSENT = "needs_consent"
    TESTS = "tests"
    RESUME_OR_RESTART = "resume_or_restart"
    QUESTION = "q"  # waiting: the answer to the current question, stored as ``q:<attempt id>``
    PAUSED = "paused"
    ABANDONED = "abandoned"
    RESULT = "result"
    COMPARE = "compare"
    HISTORY = "history"
    KIDS = "kids"


class CareerFlow(Flow):
    name = "career"
    steps = Step

    def __init__(
        self, *, tests: CareerTests, in_demand: InDemand, profiles: Profiles, links: Guardians
    ) -> None:
        self.tests = tests  # attempts and their answers
        self.results = Results(self, tests=tests, in_demand=in_demand, profiles=profiles, links=links)

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        if entry == "history" and await self._allowed(ctx):
            await self.results.history(ctx)
        else:
            await self._home(ctx)

    async def guard_press(self, ctx: Ctx, run: Run) -> None:
        if await self._allowed(ctx):
            await run()

    @on_press("home")
    async def home(self, ctx: Ctx) -> None:
        await self._home(ctx)

    @on_press("start")
    async def start(self, ctx: Ctx, instrument_id: str) -> None:
        await self._start_checked(ctx, instrument_id, fresh=False)

    @on_press("restart")
    async def restart(self, ctx: Ctx, instrument_id: str) -> None:
        await self._start_checked(ctx, instrument_id, fresh=True)

    async def _start_checked(self, ctx: Ctx, instrument_id: str, *, fresh: bool) -> None:
        if instrument(instrument_id) is None:
            await ctx.stale()
            return
        await self._start(ctx, instrument_id, fresh=fresh)

    @on_press("history")
    async def history(self, ctx: Ctx) -> None:
        await self.results.history(ctx)

    @on_press("share")
    async def share(self, ctx: Ctx, switch: Literal["on", "off"]) -> None:
        await self.results.share(ctx, switch == "on")

    @on_press("kids")
    async def kids(self, ctx: Ctx) -> None:
        await self.results.kids(ctx)

    @on_press("open")
    async def open_result(self, ctx: Ctx, attempt_id: int) -> None:
        found = await self._attempt(ctx, attempt_id)
        if found is not None:
            await self.results.open(ctx, *found)

    @on_press("cmp")
    async def compare(self, ctx: Ctx, attempt_id: int) -> None:
        found = await self._attempt(ctx, attempt_id)
        if found is not None:
            await self.results.compare(ctx, *found)

    @on_press("a")
    async def answer(self, ctx: Ctx, choice: str) -> None:
        """``attempt.item:key``: an option of one question of one attempt."""
        ids_text, _, key = choice.partition(":")
        ids = _ids(ids_text)
        if not ids:
            await ctx.stale()
            return
        found = await self._in_progress(ctx, ids[0])
        if found is None:
            return
        if len(ids) != 2:
            await ctx.stale()
            return
        await self._answer(ctx, *found, ids[1], key)

    @on_press("resume")
    async def resume(self, ctx: Ctx, attempt_id: int) -> None:
        if found := await self._in_progress(ctx, attempt_id):
            self._ask(ctx, *found)

    @on_press("back")
    async def back(self, ctx: Ctx, attempt_id: int) -> None:
        if found := await self._in_progress(ctx, attempt_id):
            await self._back(ctx, *found)

    @on_press("pause")
    async def pause(self, ctx: Ctx, attempt_id: int) -> None:
        if found := await self._in_progress(ctx, attempt_id):
            self._pause(ctx, *found)

    @on_press("quit_ask")
    async def quit_ask(self, ctx: Ctx, attempt_id: int) -> None:
        if await self._in_progress(ctx, attempt_id) is None:
            return
        ctx.say(
            t("career.quit_confirm"),
            column(
                Button(t("career.btn.quit_yes"), self.act("quit", attempt_id)),
                Button(t("career.btn.quit_no"), self.act("resume", attempt_id)),
            ),
        )

    @on_press("quit")
    async def quit(self, ctx: Ctx, attempt_id: int) -> None:
        if await self._in_progress(ctx, attempt_id) is None:
            return
        await self.tests.abandon_attempt(ctx.person.id, attempt_id)
        ctx.state.clear_step()
        ctx.say(t("career.quit_done"))
        await self._home(ctx)

    async def _attempt(self, ctx: Ctx, attempt_id: int) -> tuple[Instrument, CareerAttempt] | None:
        """The person's attempt and its test; None (after a stale answer) when there is no such."""
        attempt = await self.tests.attempt(ctx.person.id, attempt_id)
        test = instrument(attempt.instrument) if attempt else None
        if attempt is None or test is None:
            await ctx.stale()
            return None
        return test, attempt

    async def _in_progress(self, ctx: Ctx, attempt_id: int) -> tuple[Instrument, CareerAttempt] | None:
        """As ``_attempt``, for a press that needs the attempt still open (else: said, and the tests)."""
        found = await self._attempt(ctx, attempt_id)
        if found is None:
            return None
        if found[1].status is not AttemptStatus.IN_PROGRESS:
            ctx.state.clear_step()
            ctx.say(t("career.not_open"))
            await self._home(ctx)
            return None
        return found

    async def _allowed(self, ctx: Ctx) -> bool:
        if ctx.person.consent is ConsentStatus.GRANTED:
            return True
        ctx.state.clear_step()
        ctx.say(t("career.needs_consent"))
        await ctx.menu()
        return False

    # -- the tests screen -----------------------------------------------------------------------
    async def _home(self, ctx: Ctx) -> None:
        if not await self._allowed(ctx):
            return
        ctx.state.clear_step()
        lines = [
            t("career.home_line", title=i.title, count=i.count, minutes=i.minutes)
            for i in instruments().values()
        ]
        buttons = []
        for test in instruments().values():
            open_attempt = await self.tests.open_attempt(ctx.person.id, test.id)
            if open_attempt and open_attempt.answers:
                label = t(
                    "career.continue", title=test.title, done=len(open_attempt.answers), count=test.count
                )
                buttons.append(Button(label, self.act("resume", open_attempt.id)))
            else:
                buttons.append(Button(test.button, self.act("start", test.id)))
        buttons.append(Button(t("career.btn.history"), self.act("history")))
        if ctx.person.role is Role.PARENT:
            buttons.append(Button(t("career.btn.kids"), self.act("kids")))
        buttons.append(Button(t("btn.back_to_menu"), action("menu", "show")))
        ctx.say(t("career.home", tests="\n".join(lines)), column(*buttons))

    async def _start(self, ctx: Ctx, instrument_id: str, *, fresh: bool) -> None:
        test = instruments()[instrument_id]
        current = await self.tests.open_attempt(ctx.person.id, instrument_id)
        if current and current.answers and not fresh:
            ctx.say(
                t("career.resume_or_restart", title=test.title, done=len(current.answers), count=test.count),
                column(
                    Button(t("career.btn.continue"), self.act("resume", current.id)),
                    Button(t("career.btn.restart"), self.act("restart", instrument_id)),
                ),
            )
            return
        try:
            attempt = await self.tests.start_attempt(ctx.person.id, instrument_id, test.version)
        except ConsentRequired:
            ctx.say(t("career.needs_consent"))
            await ctx.menu()
            return
        ctx.say(test.intro.format(count=test.count, minutes=test.minutes).strip())
        self._ask(ctx, test, attempt)

    # -- questions ------------------------------------------------------------------------------
    def _ask(self, ctx: Ctx, test: Instrument, attempt: CareerAttempt) -> None:
        index = len(attempt.answers)
        options = [
            Button(o.label, self.act("a", f"{attempt.id}.{index}:{o.key}")) for o in test.options(index)
        ]
        controls = [Button(t("career.btn.pause"), self.act("pause", attempt.id))]
        if index > 0:
            controls.insert(0, Button(t("career.btn.back"), self.act("back", attempt.id)))
        ctx.say(question_text(test, index), column(*options) + rows(controls))
        self.wait(ctx, Step.QUESTION, attempt.id)

    async def _answer(self, ctx: Ctx, test: Instrument, attempt: CareerAttempt, index: int, key: str) -> None:
        if index >= test.count or test.option(index, key) is None:
            await ctx.stale()
            return
        saved = await self.tests.record_answer(ctx.person.id, attempt.id, index, key)
        if saved is None:  # an older question's button, or answered meanwhile from another chat
            current = await self.tests.attempt(ctx.person.id, attempt.id)
            if current is None or current.status is not AttemptStatus.IN_PROGRESS:
                ctx.say(t("career.not_open"))
                await self._home(ctx)
                return
            ctx.say(t("career.already_answered"))
            self._ask(ctx, test, current)
            return
        if len(saved.answers) < test.count:
            self._ask(ctx, test, saved)
            return
        await self._finish(ctx, test, saved)

    async def _finish(self, ctx: Ctx, test: Instrument, attempt: CareerAttempt) -> None:
        found = evaluate(test, attempt.answers)
        named = found.typed and not rushed(test, attempt.started_at, ctx.now())
        # No type is stored for a flat, empty or unread result, so the statistics never count one.
        outcome = CareerOutcome(
            found.scores, found.code if named else "", found.leading if named else "", found.verdict.value
        )
        done = await self.tests.complete_attempt(ctx.person.id, attempt.id, outcome)
        ctx.state.clear_step()
        if done is None:
            ctx.say(t("career.not_open"))
            await self._home(ctx)
            return
        await self.results.show(ctx, test, done)

    async def _back(self, ctx: Ctx, test: Instrument, attempt: CareerAttempt) -> None:
        current = await self.tests.step_back(ctx.person.id, attempt.id) if attempt.answers else attempt
        self._ask(ctx, test, current or attempt)

    def _pause(self, ctx: Ctx, test: Instrument, attempt: CareerAttempt) -> None:
        ctx.state.clear_step()
        ctx.say(
            t("career.paused", done=len(attempt.answers), count=test.count),
            column(
                Button(t("career.btn.continue"), self.act("resume", attempt.id)),
                Button(t("career.btn.quit"), self.act("quit_ask", attempt.id)),
                Button(t("btn.back_to_menu"), action("menu", "show")),
            ),
        )

    @on_answer(Step.QUESTION)
    async def typed_answer(self, ctx: Ctx, attempt_id: int, text: str) -> None:
        attempt = await self.tests.attempt(ctx.person.id, attempt_id)
        test = instrument(attempt.instrument) if attempt else None
        if attempt is None or test is None or attempt.status is not AttemptStatus.IN_PROGRESS:
            ctx.state.clear_step()
            await ctx.not_understood()
            return
        word = plain_label(text).strip(".!")
        if word in BACK_WORDS:
            await self._back(ctx, test, attempt)
            return
        if word in PAUSE_WORDS:
            self._pause(ctx, test, attempt)
            return
        index = len(attempt.answers)
        key = LETTERS.get(word, word)
        by_label = {plain_label(o.label): o.key for o in test.options(index)}
        key = by_label.get(word, key)
        if test.option(index, key) is None:
            if test.kind == "choice":
                ctx.say(t("career.bad_answer.choice"))
            else:
                ctx.say(t("career.bad_answer.rating", last=len(test.options(index))))
            self._ask(ctx, test, attempt)
            return
        await self._answer(ctx, test, attempt, index, key)
