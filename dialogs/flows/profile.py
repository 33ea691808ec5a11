"""«Мой профиль»: the first fill-in after consent, the summary, editing any field later, changing the role.

During the first fill-in the answers wait in the conversation (which survives restarts) and are saved in
one transaction at the end, so an abandoned profile leaves nothing half-stored. A typed line that repeats a
button's label is that button (or is refused), never a value; a guessed place is confirmed before it is kept.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from backend_client.errors import ConsentRequired
from backend_client.models import AgeBand, ConsentStatus, ContactTime, Role
from backend_client.ports import Consents, Guardians, Onboarding, Profiles
from backend_client.reference import BY_CODE, MUNICIPALITIES, MunicipalityKind
from dialogs.context import Ctx
from dialogs.feature import Feature, MenuEntry, opens
from dialogs.flow import Flow, action, on_answer, on_press, parse_action
from dialogs.flows.profile_fields import FIELDS, fields_for, label, summary
from dialogs.flows.role_change import RoleChange
from dialogs.intents import Route
from dialogs.texts import known_labels, t
from dialogs.ui import Button, Keyboard, column, rows
from dialogs.validation import (
    InputError,
    birth_year_of,
    button_word,
    label_key,
    match_municipality,
    parse_birth,
    parse_contact_time,
    same_words,
    youngest_age,
)
from nlu.types import Parse

DRAFT = "draft"
BUTTON_ANSWERS = {"muni": "municipality", "contact": "contact_time"}  # button verb -> the field it answers
MODE_CREATE, MODE_EDIT = "ask", "edit"
SKIP_WORDS = frozenset({"пропустить", "пропуск", "дальше", "нет", "не знаю", "skip"})
GUESS = "guess"  # the municipality code a typo-tolerant match proposed, waiting for «да» or «нет»
YES_WORDS = frozenset({"да", "ага", "верно", "да верно", "точно", "yes"})
NO_WORDS = frozenset({"нет", "не", "неа", "не то", "no"})
TYPED_AGE = "typed_age"  # the age the typed birth year or age stands for (parse_birth), until accepted
AGE_CHANGE = "age_change"  # a new birth year under 14 waiting for the confirmation: {"mode", "year"}
_CODE_BY_NAME = {m.name: m.code for m in MUNICIPALITIES}


def _choices(field: str) -> frozenset[str]:
    return frozenset(BY_CODE) if field == "municipality" else frozenset(ContactTime._value2member_map_)


def _pairs(buttons: list[Button]) -> Keyboard:
    return rows(*(buttons[i : i + 2] for i in range(0, len(buttons), 2)))


class Step(StrEnum):
    """The steps of ``profile.mmd``; the waiting ones' values are what conversation states store."""

    NEEDS_CONSENT = "needs_consent"
    ASK = MODE_CREATE  # waiting: a field of the first fill-in, stored as ``ask:<field>``
    GUESS = "guess"  # a place one typo away, «да» or «нет» typed at the same step
    SAVED = "saved"
    SUMMARY = "summary"
    EDIT = MODE_EDIT  # waiting: one field edited, stored as ``edit:<field>``
    AGE_NEEDS_PARENT = "age_needs_parent"
    ROLE_CONFIRM = "role_confirm"
    ROLE_PICK = "role_pick"  # waiting: the new role (a typed label works too)
    ROLE_AGE = "role_age"  # waiting: the age for the new role
    NEEDS_PARENT = "needs_parent"


class ProfileFlow(Flow):
    name = "profile"
    steps = Step

    def __init__(
        self, *, profiles: Profiles, onboarding: Onboarding, consents: Consents, guardians: Guardians
    ) -> None:
        self.profiles = profiles
        self.onboarding = onboarding
        self.consents = consents
        self.role_change = RoleChange(
            self, profiles=profiles, onboarding=onboarding, consents=consents, guardians=guardians
        )

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        if ctx.person.consent is not ConsentStatus.GRANTED:
            ctx.say(t("profile.needs_consent"))
            await ctx.menu()
            return
        profile = await self.profiles.get_profile(ctx.person.id)
        field, _, suggested = arg.partition(":")
        if entry == "edit" and not profile.is_empty and field in fields_for(ctx.person.role):
            # Asked in words («я переехал в Тольятти»): open that field, offering what was understood.
            ctx.state.reset()
            self._ask(ctx, field, MODE_EDIT, suggested if suggested in BY_CODE else "")
        elif entry == "create" and profile.is_empty:
            await self._start_create(ctx)
        elif profile.is_empty:
            ctx.say(t("profile.not_filled"), column(Button(t("btn.fill_profile"), self.act("create"))))
        else:
            await self._show(ctx)

    async def _start_create(self, ctx: Ctx) -> None:
        draft: dict[str, Any] = {}
        age, year = ctx.data.pop("age", None), ctx.data.pop("birth_year", None)
        if "birth_year" in fields_for(ctx.person.role):
            if isinstance(year, int):  # as typed at the start (a year stays that year)
                draft["birth_year"] = year
            elif isinstance(age, int):
                draft["birth_year"] = birth_year_of(age, ctx.local_now().date())
        ctx.state.reset()
        ctx.data[DRAFT] = draft
        ctx.say(t("profile.intro"))
        self._ask_next(ctx)

    def _ask_next(self, ctx: Ctx) -> None:
        draft = self._draft(ctx)
        missing = [f for f in fields_for(ctx.person.role) if f not in draft]
        if missing:
            self._ask(ctx, missing[0], MODE_CREATE)

    def _ask(self, ctx: Ctx, field: str, mode: str, suggested: str = "") -> None:
        self.wait(ctx, Step(mode), field)
        prompt = t(f"profile.ask.{field}", label=label(field, ctx.person.role))
        ctx.say(prompt, self._step_keyboard(field, mode, suggested))

    def _step_keyboard(self, field: str, mode: str, suggested: str = "") -> Keyboard:
        """The buttons shown with a field's question; typing one of their labels presses it."""
        extra: list[Button] = []
        if FIELDS[field].optional:
            extra.append(Button(t("btn.skip"), self.act("skip", field)))
        extra.append(Button(t("btn.cancel"), self.act("abort" if mode == MODE_CREATE else "show")))
        if field == "municipality":
            cities = [
                Button(m.name, self.act("muni", m.code))
                for m in MUNICIPALITIES
                if m.kind is MunicipalityKind.CITY
            ]
            cities.append(Button(t("btn.other_district"), self.act("districts")))
            offer = (
                column(Button(t("btn.suggested", name=BY_CODE[suggested].name), self.act("muni", suggested)))
                if suggested in BY_CODE
                else ()
            )
            return offer + _pairs(cities) + column(*extra)
        if field == "contact_time":
            slots = [
                Button(t(f"profile.contact.{slot.value}"), self.act("contact", slot.value))
                for slot in ContactTime
            ]
            return _pairs(slots) + column(*extra)
        return column(*extra)

    @staticmethod
    def _draft(ctx: Ctx) -> dict[str, Any]:
        draft = ctx.data.get(DRAFT)
        if not isinstance(draft, dict):
            draft = {}
            ctx.data[DRAFT] = draft
        return draft

    def _field_in_progress(self, ctx: Ctx) -> tuple[str, str] | None:
        if ctx.state.flow != self.name or ":" not in ctx.state.step:
            return None
        mode, _, field = ctx.state.step.partition(":")
        return (mode, field) if field in FIELDS else None

    @on_press("create")
    async def create(self, ctx: Ctx) -> None:
        await self.enter(ctx, "create")

    @on_press("show")
    async def summary(self, ctx: Ctx) -> None:
        ctx.state.reset()
        await self.enter(ctx)

    @on_press("edit")
    async def edit(self, ctx: Ctx, field: str) -> None:
        if field not in fields_for(ctx.person.role):
            await ctx.stale()
            return
        ctx.state.reset()
        self._ask(ctx, field, MODE_EDIT)

    @on_press("abort")
    async def abort(self, ctx: Ctx) -> None:
        ctx.state.reset()
        ctx.say(t("profile.aborted"))
        await ctx.menu()

    @on_press("skip")
    async def skip(self, ctx: Ctx, field: str = "") -> None:
        await self._answer_by_button(ctx, "skip", field)

    @on_press("muni")
    async def muni(self, ctx: Ctx, code: str) -> None:
        await self._answer_by_button(ctx, "muni", code)

    @on_press("contact")
    async def contact(self, ctx: Ctx, slot: str) -> None:
        await self._answer_by_button(ctx, "contact", slot)

    @on_press("districts")
    async def districts(self, ctx: Ctx) -> None:
        await self._answer_by_button(ctx, "districts", "")

    @on_press("cities")
    async def cities(self, ctx: Ctx) -> None:
        await self._answer_by_button(ctx, "cities", "")

    @on_press("retry")
    async def retry(self, ctx: Ctx) -> None:
        await self._answer_by_button(ctx, "retry", "")

    @on_press("role_ask")
    async def role_ask(self, ctx: Ctx) -> None:
        await self.role_change.confirm(ctx)

    @on_press("role_pick")
    async def role_pick(self, ctx: Ctx) -> None:
        self.role_change.pick(ctx)

    @on_press("role_set")
    async def role_set(self, ctx: Ctx, role: Role) -> None:
        self.role_change.ask_age(ctx, role)

    @on_press("role_restart")
    async def role_restart(self, ctx: Ctx) -> None:
        await self.role_change.restart(ctx)

    @on_press("age_restart")
    async def age_restart(self, ctx: Ctx) -> None:
        await self._age_answer(ctx, "age_restart")

    @on_press("age_keep")
    async def age_keep(self, ctx: Ctx) -> None:
        await self._age_answer(ctx, "age_keep")

    @on_answer(Step.ROLE_PICK)
    async def typed_role(self, ctx: Ctx, text: str) -> None:
        await self.role_change.typed_role(ctx, text)

    @on_answer(Step.ROLE_AGE)
    async def typed_age(self, ctx: Ctx, text: str) -> None:
        await self.role_change.take_age(ctx, text)

    @on_answer(Step.ASK)
    async def typed_in_fill_in(self, ctx: Ctx, field: str, text: str) -> None:
        await self._typed(ctx, MODE_CREATE, field, text)

    @on_answer(Step.EDIT)
    async def typed_in_edit(self, ctx: Ctx, field: str, text: str) -> None:
        await self._typed(ctx, MODE_EDIT, field, text)

    async def _answer_by_button(self, ctx: Ctx, verb: str, arg: str) -> None:
        current = self._field_in_progress(ctx)
        if current is None:
            await ctx.stale()
            return
        mode, field = current
        ctx.data.pop(GUESS, None)
        if verb == "districts" and field == "municipality":
            districts = [
                Button(m.name, self.act("muni", m.code))
                for m in MUNICIPALITIES
                if m.kind is MunicipalityKind.DISTRICT
            ]
            ctx.say(
                t("profile.pick_district"),
                _pairs(districts) + column(Button(t("btn.cities"), self.act("cities"))),
            )
        elif verb in ("cities", "retry"):
            self._ask(ctx, field, mode)
        elif verb == "skip" and FIELDS[field].optional:
            await self._skip(ctx, mode, field)
        elif BUTTON_ANSWERS.get(verb) == field and arg in _choices(field):
            await self._accept(ctx, mode, field, arg)
        else:
            await ctx.stale()

    async def _typed(self, ctx: Ctx, mode: str, field: str, text: str) -> None:
        if field not in FIELDS:
            await ctx.not_understood()
            return
        guess = ctx.data.pop(GUESS, None)
        if isinstance(guess, str) and guess in BY_CODE and field == "municipality":
            answer = label_key(text)
            if answer in YES_WORDS:
                await self._accept(ctx, mode, field, guess)
                return
            if answer in NO_WORDS:
                self._ask(ctx, field, mode)
                return
        pressed = self._typed_button(field, mode, text)
        if pressed is not None:
            _, verb, arg = parse_action(pressed)
            await self.on_action(ctx, verb, arg)
            return
        if FIELDS[field].optional and label_key(text) in SKIP_WORDS:
            await self._skip(ctx, mode, field)
            return
        if field not in ("municipality", "contact_time") and (word := button_word(text, known_labels())):
            # A label typed (or left from an older screen) is never a name, a school or a profession.
            skip = same_words(word, t("btn.skip")) or label_key(text) in SKIP_WORDS
            ctx.say(t("valid.required" if skip else "valid.button_word", label=word))
            self._ask(ctx, field, mode)
            return
        try:
            value = self._parse(ctx, field, text)
        except InputError as problem:
            ctx.say(t(problem.key, **problem.values))
            self._ask(ctx, field, mode)
            return
        if value is None:  # a guess to confirm, or several municipalities fit: the person picks
            return
        await self._accept(ctx, mode, field, value)

    def _typed_button(self, field: str, mode: str, text: str) -> str | None:
        """The action of the step's button whose label ``text`` repeats, if any."""
        for button in (b for row in self._step_keyboard(field, mode) for b in row):
            if same_words(text, button.label):
                return button.payload
        return None

    async def _skip(self, ctx: Ctx, mode: str, field: str) -> None:
        """Skipping while editing keeps what was saved; in the first fill-in it leaves the field empty."""
        if mode == MODE_EDIT:
            ctx.state.reset()
            ctx.say(t("profile.kept"))
            await self._show(ctx)
            return
        await self._accept(ctx, mode, field, None)

    def _parse(self, ctx: Ctx, field: str, text: str) -> str | int | None:
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
                        Button(t("btn.guess_yes"), self.act("muni", guess.code)),
                        Button(t("btn.guess_no"), self.act("retry")),
                    ),
                )
                return None
            ctx.say(
                t("profile.which_municipality"),
                _pairs([Button(m.title, self.act("muni", m.code)) for m in found.candidates])
                + column(Button(t("btn.guess_no"), self.act("retry"))),
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

    async def _accept(self, ctx: Ctx, mode: str, field: str, value: str | int | None) -> None:
        if field == "birth_year" and isinstance(value, int) and not await self._age_fits(ctx, mode, value):
            return
        if mode == MODE_EDIT:
            await self._save(ctx, {field: value})
            return
        draft = self._draft(ctx)
        draft[field] = value
        if all(f in draft for f in fields_for(ctx.person.role)):
            await self._save(ctx, draft)
        else:
            self._ask_next(ctx)

    async def _age_fits(self, ctx: Ctx, mode: str, year: int) -> bool:
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
                    Button(t("profile.role.btn.restart"), self.act("age_restart")),
                    Button(t("profile.role.btn.no"), self.act("age_keep")),
                ),
            )
            return False
        ctx.person = await self.onboarding.choose_role(person.id, person.role, band)
        return True

    async def _age_answer(self, ctx: Ctx, verb: str) -> None:
        change = ctx.data.pop(AGE_CHANGE, None)
        if not isinstance(change, dict) or ctx.person.role is None:
            await ctx.stale()
            return
        if verb == "age_keep":
            ctx.say(t("profile.age.kept"))
            if change.get("mode") == MODE_CREATE and isinstance(ctx.data.get(DRAFT), dict):
                self._ask(ctx, "birth_year", MODE_CREATE)  # the fill-in goes on with the year asked again
            else:
                ctx.state.reset()
                await self._show(ctx)
            return
        await self.consents.decline(ctx.person.id)  # deletes the profile, the own consent and the links
        ctx.person = await self.onboarding.choose_role(ctx.person.id, ctx.person.role, AgeBand.CHILD)
        ctx.state.reset()
        ctx.say(t("profile.age.restarted"))
        await ctx.go("consent")

    async def _save(self, ctx: Ctx, changes: dict[str, Any]) -> None:
        try:
            await self.profiles.save_profile(ctx.person.id, changes)
        except ConsentRequired:
            ctx.state.reset()
            ctx.say(t("profile.needs_consent"))
            await ctx.menu()
            return
        ctx.state.reset()
        ctx.say(t("profile.saved"))
        await self._show(ctx)

    async def show(self, ctx: Ctx) -> None:
        await self._show(ctx)

    async def _show(self, ctx: Ctx) -> None:
        role = ctx.person.role
        profile = await self.profiles.get_profile(ctx.person.id)
        edit = [Button(t("btn.edit", label=label(f, role)), self.act("edit", f)) for f in fields_for(role)]
        edit.append(Button(t("btn.change_role_profile"), self.act("role_ask")))
        edit.append(Button(t("btn.back_to_menu"), action("menu", "show")))
        ctx.say(t("profile.summary", summary=summary(profile, role)), column(*edit))


def profile_arg(parse: Parse) -> str:
    """«я переехал в Тольятти» -> edit the municipality, Тольятти offered; «я уже в 10 классе» -> grade."""
    municipality = parse.first("municipality")
    if municipality is not None and municipality.value in _CODE_BY_NAME:
        return f"municipality:{_CODE_BY_NAME[municipality.value]}"
    for field in ("grade", "course"):
        if parse.first(field) is not None:
            return field
    return ""


FEATURE = Feature(
    name="profile",
    flow=lambda services: ProfileFlow(
        profiles=services.records,
        onboarding=services.records,
        consents=services.records,
        guardians=services.records,
    ),
    commands={"profile": opens("profile")},
    menu=(
        # one of the two, by whether the profile is filled in
        MenuEntry("btn.fill_profile", action("profile", "create"), 10, when=lambda v: v.profile.is_empty),
        MenuEntry("btn.my_profile", action("profile", "show"), 10, when=lambda v: not v.profile.is_empty),
    ),
    intents={"profile": Route(flow="profile", entry="edit", arg=profile_arg)},
)
