"""Filling in «Мой профиль» and editing one field: the question with its buttons, typed answers and
presses, a guessed place to confirm, a birth year that changes the consent path, and saving.

During the first fill-in the answers wait in the conversation (which survives restarts) and are saved in
one transaction at the end, so an abandoned profile leaves nothing half-stored. A typed line that repeats a
button's label is that button (or is refused), never a value; a guessed place is confirmed before it is kept.
"""

from __future__ import annotations

from typing import Any

from backend_client.errors import ConsentRequired
from backend_client.models import AgeBand, ContactTime, Role
from backend_client.ports import Consents, Onboarding, Profiles
from backend_client.reference import BY_CODE, MUNICIPALITIES, MunicipalityKind
from dialogs.context import Ctx
from dialogs.flow import parse_action
from dialogs.flows.profile.common import MODE_CREATE, MODE_EDIT, ProfileHost, Step
from dialogs.flows.profile_fields import FIELDS, fields_for, label
from dialogs.texts import known_labels, t
from dialogs.ui import Button, Keyboard, column, rows
from dialogs.validation import (
    InputError,
    button_word,
    label_key,
    match_municipality,
    parse_birth,
    parse_contact_time,
    same_words,
    youngest_age,
)

DRAFT = "draft"
BUTTON_ANSWERS = {"muni": "municipality", "contact": "contact_time"}  # button verb -> the field it answers
SKIP_WORDS = frozenset({"пропустить", "пропуск", "дальше", "нет", "не знаю", "skip"})
GUESS = "guess"  # the municipality code a typo-tolerant match proposed, waiting for «да» or «нет»
YES_WORDS = frozenset({"да", "ага", "верно", "да верно", "точно", "yes"})
NO_WORDS = frozenset({"нет", "не", "неа", "не то", "no"})
TYPED_AGE = "typed_age"  # the age the typed birth year or age stands for (parse_birth), until accepted
AGE_CHANGE = "age_change"  # a new birth year under 14 waiting for the confirmation: {"mode", "year"}


def _choices(field: str) -> frozenset[str]:
    return frozenset(BY_CODE) if field == "municipality" else frozenset(ContactTime._value2member_map_)


def _pairs(buttons: list[Button]) -> Keyboard:
    return rows(*(buttons[i : i + 2] for i in range(0, len(buttons), 2)))


class FieldEditor:
    """The fill-in and the field edits of the profile flow (its buttons are ``profile:*`` actions)."""

    def __init__(
        self, flow: ProfileHost, *, profiles: Profiles, onboarding: Onboarding, consents: Consents
    ) -> None:
        self.flow = flow
        self.profiles = profiles
        self.onboarding = onboarding
        self.consents = consents

    def ask_next(self, ctx: Ctx) -> None:
        draft = self.draft(ctx)
        missing = [f for f in fields_for(ctx.person.role) if f not in draft]
        if missing:
            self.ask(ctx, missing[0], MODE_CREATE)

    def ask(self, ctx: Ctx, field: str, mode: str, suggested: str = "") -> None:
        self.flow.wait(ctx, Step(mode), field)
        prompt = t(f"profile.ask.{field}", label=label(field, ctx.person.role))
        ctx.say(prompt, self.step_keyboard(field, mode, suggested))

    def step_keyboard(self, field: str, mode: str, suggested: str = "") -> Keyboard:
        """The buttons shown with a field's question; typing one of their labels presses it."""
        extra: list[Button] = []
        if FIELDS[field].optional:
            extra.append(Button(t("btn.skip"), self.flow.act("skip", field)))
        extra.append(Button(t("btn.cancel"), self.flow.act("abort" if mode == MODE_CREATE else "show")))
        if field == "municipality":
            cities = [
                Button(m.name, self.flow.act("muni", m.code))
                for m in MUNICIPALITIES
                if m.kind is MunicipalityKind.CITY
            ]
            cities.append(Button(t("btn.other_district"), self.flow.act("districts")))
            offer = (
                column(
                    Button(t("btn.suggested", name=BY_CODE[suggested].name), self.flow.act("muni", suggested))
                )
                if suggested in BY_CODE
                else ()
            )
            return offer + _pairs(cities) + column(*extra)
        if field == "contact_time":
            slots = [
                Button(t(f"profile.contact.{slot.value}"), self.flow.act("contact", slot.value))
                for slot in ContactTime
            ]
            return _pairs(slots) + column(*extra)
        return column(*extra)

    @staticmethod
    def draft(ctx: Ctx) -> dict[str, Any]:
        draft = ctx.data.get(DRAFT)
        if not isinstance(draft, dict):
            draft = {}
            ctx.data[DRAFT] = draft
        return draft

    def field_in_progress(self, ctx: Ctx) -> tuple[str, str] | None:
        if ctx.state.flow != self.flow.name or ":" not in ctx.state.step:
            return None
        mode, _, field = ctx.state.step.partition(":")
        return (mode, field) if field in FIELDS else None

    async def answer_by_button(self, ctx: Ctx, verb: str, arg: str) -> None:
        current = self.field_in_progress(ctx)
        if current is None:
            await ctx.stale()
            return
        mode, field = current
        ctx.data.pop(GUESS, None)
        if verb == "districts" and field == "municipality":
            districts = [
                Button(m.name, self.flow.act("muni", m.code))
                for m in MUNICIPALITIES
                if m.kind is MunicipalityKind.DISTRICT
            ]
            ctx.say(
                t("profile.pick_district"),
                _pairs(districts) + column(Button(t("btn.cities"), self.flow.act("cities"))),
            )
        elif verb in ("cities", "retry"):
            self.ask(ctx, field, mode)
        elif verb == "skip" and FIELDS[field].optional:
            await self.skip(ctx, mode, field)
        elif BUTTON_ANSWERS.get(verb) == field and arg in _choices(field):
            await self.accept(ctx, mode, field, arg)
        else:
            await ctx.stale()

    async def typed(self, ctx: Ctx, mode: str, field: str, text: str) -> None:
        if field not in FIELDS:
            await ctx.not_understood()
            return
        guess = ctx.data.pop(GUESS, None)
        if isinstance(guess, str) and guess in BY_CODE and field == "municipality":
            answer = label_key(text)
            if answer in YES_WORDS:
                await self.accept(ctx, mode, field, guess)
                return
            if answer in NO_WORDS:
                self.ask(ctx, field, mode)
                return
        pressed = self.typed_button(field, mode, text)
        if pressed is not None:
            _, verb, arg = parse_action(pressed)
            await self.flow.on_action(ctx, verb, arg)
            return
        if FIELDS[field].optional and label_key(text) in SKIP_WORDS:
            await self.skip(ctx, mode, field)
            return
        if field not in ("municipality", "contact_time") and (word := button_word(text, known_labels())):
            # A label typed (or left from an older screen) is never a name, a school or a profession.
            skip = same_words(word, t("btn.skip")) or label_key(text) in SKIP_WORDS
            ctx.say(t("valid.required" if skip else "valid.button_word", label=word))
            self.ask(ctx, field, mode)
            return
        try:
            value = self.parse(ctx, field, text)
        except InputError as problem:
            ctx.say(t(problem.key, **problem.values))
            self.ask(ctx, field, mode)
            return
        if value is None:  # a guess to confirm, or several municipalities fit: the person picks
            return
        await self.accept(ctx, mode, field, value)

    def typed_button(self, field: str, mode: str, text: str) -> str | None:
        """The action of the step's button whose label ``text`` repeats, if any."""
        for button in (b for row in self.step_keyboard(field, mode) for b in row):
            if same_words(text, button.label):
                return button.payload
        return None

    async def skip(self, ctx: Ctx, mode: str, field: str) -> None:
        """Skipping while editing keeps what was saved; in the first fill-in it leaves the field empty."""
        if mode == MODE_EDIT:
            ctx.state.reset()
            ctx.say(t("profile.kept"))
            await self.flow.show(ctx)
            return
        await self.accept(ctx, mode, field, None)

    def parse(self, ctx: Ctx, field: str, text: str) -> str | int | None:
        role = ctx.person.role or Role.JOBSEEKER
        if field == "municipality":
            found = match_municipality(text)
            if found.found:
                return found.found.code
            if found.guessed and len(found.candidates) == 1:
                guess = found.candidates[0]
                ctx.data[GUESS] = guess.code
                ctx.say(
                    t("profile.did_you_mean", name=guess.title),
                    column(
                        Button(t("btn.guess_yes"), self.flow.act("muni", guess.code)),
                        Button(t("btn.guess_no"), self.flow.act("retry")),
                    ),
                )
                return None
            ctx.say(
                t("profile.which_municipality"),
                _pairs([Button(m.title, self.flow.act("muni", m.code)) for m in found.candidates])
                + column(Button(t("btn.guess_no"), self.flow.act("retry"))),
            )
            return None
        if field == "contact_time":
            return parse_contact_time(text).value
        if field == "birth_year":
            age, year = parse_birth(text, role, ctx.local_now().date())
            ctx.data[TYPED_AGE] = age  # the consent path is checked with the age meant, not the year
            return year
        parse = FIELDS[field].parse
        assert parse is not None
        return parse(text, role, ctx.local_now().date())

    async def accept(self, ctx: Ctx, mode: str, field: str, value: str | int | None) -> None:
        if field == "birth_year" and isinstance(value, int) and not await self.age_fits(ctx, mode, value):
            return
        if mode == MODE_EDIT:
            await self.save(ctx, {field: value})
            return
        draft = self.draft(ctx)
        draft[field] = value
        if all(f in draft for f in fields_for(ctx.person.role)):
            await self.save(ctx, draft)
        else:
            self.ask_next(ctx)

    async def age_fits(self, ctx: Ctx, mode: str, year: int) -> bool:
        """Whether a new birth year keeps the consent path. A move under 14 from a person's own consent
        cannot keep it (ГК РФ ст. 28): nothing is saved, and after a confirmation the consent step asks
        for the parent, as a role change does. Other moves only update the age band."""
        typed = ctx.data.pop(TYPED_AGE, None)
        age = typed if isinstance(typed, int) else youngest_age(year, ctx.local_now().date())
        person = ctx.person
        band = AgeBand.of_age(age)
        if person.role is None or band is person.age_band:
            return True
        if band is AgeBand.CHILD:
            ctx.state.clear_step()
            ctx.data[AGE_CHANGE] = {"mode": mode, "year": year}
            ctx.say(
                t("profile.age.needs_parent"),
                column(
                    Button(t("profile.role.btn.restart"), self.flow.act("age_restart")),
                    Button(t("profile.role.btn.no"), self.flow.act("age_keep")),
                ),
            )
            return False
        ctx.person = await self.onboarding.choose_role(person.id, person.role, band)
        return True

    async def age_answer(self, ctx: Ctx, verb: str) -> None:
        change = ctx.data.pop(AGE_CHANGE, None)
        if not isinstance(change, dict) or ctx.person.role is None:
            await ctx.stale()
            return
        if verb == "age_keep":
            ctx.say(t("profile.age.kept"))
            if change.get("mode") == MODE_CREATE and isinstance(ctx.data.get(DRAFT), dict):
                self.ask(ctx, "birth_year", MODE_CREATE)  # the fill-in goes on with the year asked again
            else:
                ctx.state.reset()
                await self.flow.show(ctx)
            return
        await self.consents.decline(ctx.person.id)  # deletes the profile, the own consent and the links
        ctx.person = await self.onboarding.choose_role(ctx.person.id, ctx.person.role, AgeBand.CHILD)
        ctx.state.reset()
        ctx.say(t("profile.age.restarted"))
        await ctx.go("consent")

    async def save(self, ctx: Ctx, changes: dict[str, Any]) -> None:
        try:
            await self.profiles.save_profile(ctx.person.id, changes)
        except ConsentRequired:
            ctx.state.reset()
            ctx.say(t("profile.needs_consent"))
            await ctx.menu()
            return
        ctx.state.reset()
        ctx.say(t("profile.saved"))
        await self.flow.show(ctx)
