"""«Мой профиль»: its routing table (one handler per button verb and per waiting step), the first
fill-in's start after consent and the summary. Filling in and editing a field live in ``editing``, changing
the role in ``role_change``.
"""

from __future__ import annotations

from typing import Any

from backend_client.models import ConsentStatus, Role
from backend_client.ports import Consents, Guardians, Onboarding, Profiles
from backend_client.reference import BY_CODE
from dialogs.context import Ctx
from dialogs.flow import Flow, action, on_answer, on_press
from dialogs.flows.profile.common import MODE_CREATE, MODE_EDIT, Step
from dialogs.flows.profile.editing import DRAFT, FieldEditor
from dialogs.flows.profile.role_change import RoleChange
from dialogs.flows.profile_fields import fields_for, label, summary
from dialogs.texts import t
from dialogs.ui import Button, column
from dialogs.validation import birth_year_of


class ProfileFlow(Flow):
    name = "profile"
    steps = Step

    def __init__(
        self, *, profiles: Profiles, onboarding: Onboarding, consents: Consents, guardians: Guardians
    ) -> None:
        self.profiles = profiles
        self.editor = FieldEditor(self, profiles=profiles, onboarding=onboarding, consents=consents)
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
            self.editor.ask(ctx, field, MODE_EDIT, suggested if suggested in BY_CODE else "")
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
        self.editor.ask_next(ctx)

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
        self.editor.ask(ctx, field, MODE_EDIT)

    @on_press("abort")
    async def abort(self, ctx: Ctx) -> None:
        ctx.state.reset()
        ctx.say(t("profile.aborted"))
        await ctx.menu()

    @on_press("skip")
    async def skip(self, ctx: Ctx, field: str = "") -> None:
        await self.editor.answer_by_button(ctx, "skip", field)

    @on_press("muni")
    async def muni(self, ctx: Ctx, code: str) -> None:
        await self.editor.answer_by_button(ctx, "muni", code)

    @on_press("contact")
    async def contact(self, ctx: Ctx, slot: str) -> None:
        await self.editor.answer_by_button(ctx, "contact", slot)

    @on_press("districts")
    async def districts(self, ctx: Ctx) -> None:
        await self.editor.answer_by_button(ctx, "districts", "")

    @on_press("cities")
    async def cities(self, ctx: Ctx) -> None:
        await self.editor.answer_by_button(ctx, "cities", "")

    @on_press("retry")
    async def retry(self, ctx: Ctx) -> None:
        await self.editor.answer_by_button(ctx, "retry", "")

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
        await self.editor.age_answer(ctx, "age_restart")

    @on_press("age_keep")
    async def age_keep(self, ctx: Ctx) -> None:
        await self.editor.age_answer(ctx, "age_keep")

    @on_answer(Step.ROLE_PICK)
    async def typed_role(self, ctx: Ctx, text: str) -> None:
        await self.role_change.typed_role(ctx, text)

    @on_answer(Step.ROLE_AGE)
    async def typed_age(self, ctx: Ctx, text: str) -> None:
        await self.role_change.take_age(ctx, text)

    @on_answer(Step.ASK)
    async def typed_in_fill_in(self, ctx: Ctx, field: str, text: str) -> None:
        await self.editor.typed(ctx, MODE_CREATE, field, text)

    @on_answer(Step.EDIT)
    async def typed_in_edit(self, ctx: Ctx, field: str, text: str) -> None:
        await self.editor.typed(ctx, MODE_EDIT, field, text)

    async def show(self, ctx: Ctx) -> None:
        await self._show(ctx)

    async def _show(self, ctx: Ctx) -> None:
        role = ctx.person.role
        profile = await self.profiles.get_profile(ctx.person.id)
        edit = [Button(t("btn.edit", label=label(f, role)), self.act("edit", f)) for f in fields_for(role)]
        edit.append(Button(t("btn.change_role_profile"), self.act("role_ask")))
        edit.append(Button(t("btn.back_to_menu"), action("menu", "show")))
        ctx.say(t("profile.summary", summary=summary(profile, role)), column(*edit))
