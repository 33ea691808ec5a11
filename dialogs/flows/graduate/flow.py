"""«Анкета выпускника»: the intro (or the saved result), one question per screen with a button for each
answer, the result, «Мои ответы», deleting them; and the operators' invitation to a course.

The answers so far live in the conversation state; the store sees them only whole (``save_survey``), so
leaving half-way, a stale button or an answer out of range writes nothing. An answer button carries
``question.code``: one not due now, or not one of the question's codes, is a stale button.
"""

from __future__ import annotations

from enum import StrEnum

from backend_client.broadcasts import Actor, Audience, CampaignDraft, CampaignKind, OperatorError
from backend_client.errors import ConsentRequired
from backend_client.graduates.scoring import assess, centre_offered
from backend_client.graduates.survey import (
    OPTIONS,
    BadAnswers,
    Question,
    SavedSurvey,
    answer,
    graduating,
    may_take,
    next_question,
    route,
)
from backend_client.models import ConsentStatus, Role
from backend_client.ports import Broadcasts, GraduateSurveys
from backend_client.reference import municipality
from dialogs.context import Ctx
from dialogs.flow import Flow, action, on_answer, on_press
from dialogs.menu_entry import Viewer
from dialogs.texts import t
from dialogs.ui import Button, column, plain_label
from dialogs.views.events import short_date
from dialogs.views.graduates import answers_text, result_text
from notifications.buttons import mark

NAME = "graduate"
INVITE = "graduate"  # the public verb of the invitation's button
KEPT = "graduate"  # conversation data: {"answers": {question: code}}
INVITING = "graduate_invite"  # conversation data of an operator's pending invitation
STUDENTS = (Role.COLLEGE_STUDENT, Role.UNIVERSITY_STUDENT)
MAX_COURSE = 6
_TO_MENU = Button(t("btn.back_to_menu"), action("menu", "show"))


class Step(StrEnum):
    """The screens of ``graduate.mmd``; only a question waits for text (an answer typed, not pressed)."""

    INTRO = "intro"
    QUESTION = "question"
    RESULT = "result"
    ANSWERS = "answers"
    DELETE_CONFIRM = "delete_confirm"
    INVITE_PREVIEW = "invite_preview"


class GraduateFlow(Flow):
    name = NAME
    steps = Step

    def __init__(self, surveys: GraduateSurveys | None, broadcasts: Broadcasts | None) -> None:
        self._surveys = surveys
        self._broadcasts = broadcasts

    @property
    def surveys(self) -> GraduateSurveys:
        if self._surveys is None:  # enter() answers before any screen asks
            raise LookupError("the graduates' store is not configured")
        return self._surveys

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        ctx.state.clear_step()
        if entry == "invite":
            await self._invite(ctx, arg)
            return
        if not await self._admitted(ctx):
            return
        saved = await self.surveys.survey(ctx.person.id)
        if saved is None:
            ctx.say(t("graduate.intro"), column(self._btn("begin"), self._btn("later")))
            return
        self._result(ctx, saved)

    async def _admitted(self, ctx: Ctx) -> bool:
        ctx.state.clear_step()  # a question waits again only when it is asked again
        if self._surveys is None or not may_take(ctx.person.role):
            ctx.say(t("graduate.not_for_role"))
            await ctx.menu()
            return False
        if ctx.person.consent is not ConsentStatus.GRANTED:
            ctx.say(t("graduate.needs_consent"))
            await ctx.menu()
            return False
        return True

    def _btn(self, verb: str, arg: object = "") -> Button:
        return Button(t(f"graduate.btn.{verb}"), self.act(verb, arg))

    # -- the questions ------------------------------------------------------------------------------
    @staticmethod
    def _so_far(ctx: Ctx) -> dict[Question, str]:
        kept = ctx.data.get(KEPT)
        raw = kept.get("answers") if isinstance(kept, dict) else None
        if not isinstance(raw, dict):
            return {}
        try:
            return {Question(key): str(code) for key, code in raw.items()}
        except ValueError:
            return {}

    @staticmethod
    def _keep(ctx: Ctx, answers: dict[Question, str]) -> None:
        ctx.data[KEPT] = {"answers": {question.value: code for question, code in answers.items()}}

    @on_press("begin")
    async def begin(self, ctx: Ctx) -> None:
        if not await self._admitted(ctx):
            return
        self._keep(ctx, {})
        self._ask(ctx, {})

    @on_press("change")
    async def change(self, ctx: Ctx) -> None:
        await self.begin(ctx)

    def _ask(self, ctx: Ctx, answers: dict[Question, str]) -> None:
        question = next_question(answers)
        if question is None:  # nothing left: the caller saves
            return
        questions = route(answers)
        progress = t("graduate.progress", number=questions.index(question) + 1, total=len(questions))
        buttons = [
            Button(t(f"graduate.answer.{question.value}.{code}"), self.act("a", f"{question.value}.{code}"))
            for code in OPTIONS[question]
        ]
        self.wait(ctx, Step.QUESTION)
        ctx.say(f"{progress}\n{t(f'graduate.q.{question.value}')}", column(*buttons, self._btn("later")))

    @on_answer(Step.QUESTION)
    async def typed(self, ctx: Ctx, text: str) -> None:
        """An answer typed as its button reads (the icon aside) counts; anything else is asked back."""
        answers = self._so_far(ctx)
        question = next_question(answers)
        code = None if question is None else _typed_code(question, text)
        if question is None or code is None:
            ctx.say(t("graduate.use_buttons"))
            self._ask(ctx, answers)
            return
        await self.answered(ctx, f"{question.value}.{code}")

    @on_press("a")
    async def answered(self, ctx: Ctx, arg: str) -> None:
        if not await self._admitted(ctx):
            return
        name, _, code = arg.partition(".")
        try:
            answers = answer(self._so_far(ctx), Question(name), code)
        except (ValueError, BadAnswers):  # not the question due, or not one of its answers
            await ctx.stale()
            return
        if next_question(answers) is not None:
            self._keep(ctx, answers)
            self._ask(ctx, answers)
            return
        ctx.state.clear_step()
        try:
            saved = await self.surveys.save_survey(
                ctx.person.id, {q.value: c for q, c in answers.items()}, press=ctx.press
            )
        except ConsentRequired:
            await self._admitted(ctx)
            return
        ctx.data.pop(KEPT, None)
        self._result(ctx, saved)

    @on_press("later")
    async def later(self, ctx: Ctx) -> None:
        ctx.state.clear_step()
        ctx.data.pop(KEPT, None)
        ctx.say(t("graduate.later"))
        await ctx.menu()

    # -- the result, the answers, deleting them -----------------------------------------------------
    def _result(self, ctx: Ctx, saved: SavedSurvey) -> None:
        assessment = assess(saved.answers)
        buttons = [self._btn("centre")] if centre_offered(saved.answers, assessment) else []
        buttons += [self._btn("mine"), self._btn("change"), self._btn("delete"), _TO_MENU]
        ctx.say(result_text(saved.answers, assessment), column(*buttons))

    @on_press("result")
    async def result(self, ctx: Ctx) -> None:
        await self.enter(ctx)

    @on_press("mine")
    async def mine(self, ctx: Ctx) -> None:
        if not await self._admitted(ctx):
            return
        saved = await self.surveys.survey(ctx.person.id)
        if saved is None:
            ctx.say(t("graduate.nothing_saved"), column(self._btn("begin"), self._btn("later")))
            return
        when = short_date(saved.updated_at, ctx.services.timezone)
        ctx.say(
            answers_text(saved.answers, when),
            column(self._btn("change"), self._btn("delete"), self._btn("back")),
        )

    @on_press("back")
    async def back(self, ctx: Ctx) -> None:
        await self.enter(ctx)

    @on_press("delete")
    async def delete(self, ctx: Ctx) -> None:
        if not await self._admitted(ctx):
            return
        ctx.say(t("graduate.delete_confirm"), column(self._btn("delete_yes"), self._btn("back")))

    @on_press("delete_yes")
    async def delete_yes(self, ctx: Ctx) -> None:
        if not await self._admitted(ctx):
            return
        deleted = await self.surveys.delete_survey(ctx.person.id)
        ctx.data.pop(KEPT, None)
        ctx.say(t("graduate.deleted" if deleted else "graduate.nothing_saved"))
        await ctx.menu()

    @on_press("centre")
    async def centre(self, ctx: Ctx) -> None:
        await ctx.go("centre")

    # -- an operator's invitation to a course ---------------------------------------------------------
    async def _invite(self, ctx: Ctx, arg: str) -> None:
        broadcasts, actor = self._broadcasts, self._actor(ctx)
        if broadcasts is None or not await broadcasts.is_operator(actor.channel, actor.account_id):
            ctx.say(t("graduate.invite.not_operator"))
            await ctx.menu()
            return
        audience = _audience(arg)
        if audience is None:
            ctx.say(t("graduate.invite.usage"))
            return
        count = await broadcasts.audience_size(actor, audience)
        ctx.data[INVITING] = audience.as_json()
        place = municipality(audience.municipalities[0]) if audience.municipalities else None
        ctx.say(
            t(
                "graduate.invite.preview",
                course=audience.courses[0],
                place=t("graduate.invite.place", municipality=place.title) if place else "",
                count=count,
            ),
            column(self._btn("send_invite"), self._btn("cancel")),
        )

    @staticmethod
    def _actor(ctx: Ctx) -> Actor:
        return Actor(ctx.incoming.channel, ctx.incoming.account_id, ctx.press)

    @on_press("send_invite")
    async def send_invite(self, ctx: Ctx) -> None:
        broadcasts, raw = self._broadcasts, ctx.data.get(INVITING)
        if broadcasts is None or not isinstance(raw, dict):
            await ctx.stale()
            return
        text = f"{t('graduate.invite.text')}\n{mark(t('graduate.btn.open_invite'), INVITE, '1')}"
        draft = CampaignDraft(CampaignKind.NEWS, text, Audience.from_json(raw), ctx.now())
        try:
            campaign = await broadcasts.create_campaign(self._actor(ctx), draft)
        except OperatorError:
            ctx.say(t("graduate.invite.not_operator"))
            await ctx.menu()
            return
        ctx.data.pop(INVITING, None)
        ctx.say(t("graduate.invite.sent", number=campaign.id))
        await ctx.menu()

    @on_press("cancel")
    async def cancel(self, ctx: Ctx) -> None:
        ctx.data.pop(INVITING, None)
        await ctx.menu()


def _audience(arg: str) -> Audience | None:
    """«4» or «3 36401»: the course (1–6) and, optionally, one municipality's OKATO code."""
    words = arg.split()
    if not 1 <= len(words) <= 2 or not words[0].isdigit() or not 1 <= int(words[0]) <= MAX_COURSE:
        return None
    places: tuple[str, ...] = ()
    if len(words) == 2:
        if municipality(words[1]) is None:
            return None
        places = (words[1],)
    return Audience(roles=STUDENTS, courses=(int(words[0]),), municipalities=places)


def _typed_code(question: Question, text: str) -> str | None:
    typed = plain_label(text)
    labels = {code: plain_label(t(f"graduate.answer.{question.value}.{code}")) for code in OPTIONS[question]}
    exact = [code for code, label in labels.items() if label == typed]
    # «нет» for «Нет или только в колледже/вузе»: the label's first words, when only one label has them
    starts = [code for code, label in labels.items() if typed and label.startswith(f"{typed} ")]
    found = exact or starts
    return found[0] if len(found) == 1 else None


def graduating_viewer(viewer: Viewer) -> bool:
    """The menu offers the questionnaire and the centre to the graduating courses and young graduates."""
    return graduating(viewer.person.role, viewer.profile)
