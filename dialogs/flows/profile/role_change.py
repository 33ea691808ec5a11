"""«Сменить роль» in «Мой профиль»: a confirmed change of role that re-checks the consent path.

The role and the age asked for it decide the consent path (ГК РФ ст. 26 and 28). The consent already
given is kept when the new role and age need no other path (an adult becoming a graduate, a 15-year-old
pupil becoming a college student). A change that makes a parent's consent necessary (a new age under 14
from a self-consented person) cannot keep the person's own consent: after a confirmation what is stored
is deleted (as when consent is declined) and the consent step asks for the parent, as at the start.
Fields the new role does not have are cleared, so nothing is kept that is no longer asked.
"""

from __future__ import annotations

from backend_client.models import AgeBand, Role
from backend_client.ports import Consents, Guardians, Onboarding, Profiles
from dialogs.context import Ctx
from dialogs.flows.profile.common import ProfileHost, Step
from dialogs.flows.profile_fields import fields_for
from dialogs.flows.start import ROLE_ORDER
from dialogs.texts import t
from dialogs.ui import Button, column
from dialogs.validation import InputError, label_key, parse_birth

NEW_ROLE, NEW_AGE, NEW_YEAR = "new_role", "new_age", "new_year"


class RoleChange:
    """The role-change steps of the profile flow (its buttons are ``profile:role_*`` actions)."""

    def __init__(
        self,
        flow: ProfileHost,
        *,
        profiles: Profiles,
        onboarding: Onboarding,
        consents: Consents,
        guardians: Guardians,
    ) -> None:
        self.flow = flow
        self.profiles = profiles
        self.onboarding = onboarding
        self.consents = consents
        self.guardians = guardians

    async def typed_role(self, ctx: Ctx, text: str) -> None:
        typed = label_key(text)
        chosen = [r for r in self._choices(ctx) if typed and typed in label_key(t(f"role.{r.value}"))]
        if len(chosen) == 1:
            self.ask_age(ctx, chosen[0])
        else:
            ctx.say(t("start.pick_role"))
            self.pick(ctx)

    async def confirm(self, ctx: Ctx) -> None:
        ctx.state.reset()
        role = ctx.person.role
        if role is Role.PARENT and await self.guardians.children_of(ctx.person.id):
            ctx.say(t("profile.role.has_children"))
            await self.flow.show(ctx)
            return
        current = t(f"role.{role.value}") if role else t("mydata.no_role")
        ctx.say(
            t("profile.role.confirm", role=current),
            column(
                Button(t("profile.role.btn.yes"), self.flow.act("role_pick")),
                Button(t("profile.role.btn.no"), self.flow.act("show")),
            ),
        )

    @staticmethod
    def _choices(ctx: Ctx) -> list[Role]:
        return [r for r in ROLE_ORDER if r is not ctx.person.role]

    def pick(self, ctx: Ctx) -> None:
        ctx.state.reset()
        buttons = [
            Button(t(f"role.{r.value}"), self.flow.act("role_set", r.value)) for r in self._choices(ctx)
        ]
        buttons.append(Button(t("btn.cancel"), self.flow.act("show")))
        ctx.say(t("profile.role.pick"), column(*buttons))
        self.flow.wait(ctx, Step.ROLE_PICK)

    def ask_age(self, ctx: Ctx, role: Role) -> None:
        ctx.state.reset()
        ctx.data[NEW_ROLE] = role.value
        ctx.say(
            t("start.ask_age_parent" if role is Role.PARENT else "start.ask_age"),
            column(Button(t("btn.cancel"), self.flow.act("show"))),
        )
        self.flow.wait(ctx, Step.ROLE_AGE)

    async def take_age(self, ctx: Ctx, text: str) -> None:
        value = ctx.data.get(NEW_ROLE)
        if not isinstance(value, str) or value not in Role._value2member_map_:
            self.pick(ctx)
            return
        role = Role(value)
        try:
            age, year = parse_birth(text, role, ctx.local_now().date())  # a year: its youngest age
        except InputError as problem:
            ctx.say(t(problem.key, **problem.values))
            return
        band = AgeBand.of_age(age)
        if band is AgeBand.CHILD and ctx.person.age_band is not AgeBand.CHILD:
            # The consent on record was the person's own; under 14 only a parent may give it.
            ctx.state.reset()
            ctx.data[NEW_ROLE] = role.value
            ctx.data[NEW_AGE] = age
            ctx.data[NEW_YEAR] = year
            ctx.say(
                t("profile.role.needs_parent", role=t(f"role.{role.value}")),
                column(
                    Button(t("profile.role.btn.restart"), self.flow.act("role_restart")),
                    Button(t("profile.role.btn.no"), self.flow.act("show")),
                ),
            )
            return
        await self._apply(ctx, role, age, year)

    async def _apply(self, ctx: Ctx, role: Role, age: int, year: int) -> None:
        before = fields_for(ctx.person.role)
        ctx.person = await self.onboarding.choose_role(ctx.person.id, role, AgeBand.of_age(age))
        changes: dict[str, object] = {field: None for field in before if field not in fields_for(role)}
        if "birth_year" in fields_for(role):
            changes["birth_year"] = year
        if changes:
            await self.profiles.save_profile(ctx.person.id, changes)
        ctx.state.reset()
        ctx.say(t("profile.role.changed", role=t(f"role.{role.value}")))
        await self.flow.show(ctx)

    async def restart(self, ctx: Ctx) -> None:
        value, age = ctx.data.get(NEW_ROLE), ctx.data.get(NEW_AGE)
        if not isinstance(value, str) or value not in Role._value2member_map_ or not isinstance(age, int):
            await ctx.stale()
            return
        await self.consents.decline(ctx.person.id)  # deletes the profile, the own consent and the links
        ctx.person = await self.onboarding.choose_role(ctx.person.id, Role(value), AgeBand.of_age(age))
        ctx.state.reset()
        ctx.say(t("profile.role.restarted"))
        await ctx.go("consent")
