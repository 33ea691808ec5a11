"""Career-test results: one result with what it means, the comparison with the previous one, the history
(with sharing the latest with linked parents) and a parent's view of their children's results."""

from __future__ import annotations

from typing import Protocol

from backend_client.models import AttemptStatus, CareerAttempt, Role
from backend_client.ports import CareerTests, Guardians, InDemand, Profiles
from dialogs.career.in_demand import DemandList, example_list
from dialogs.career.instruments import Instrument, instrument
from dialogs.context import Ctx
from dialogs.flow import action
from dialogs.flows.profile_fields import fields_for
from dialogs.texts import t
from dialogs.ui import Button, column
from dialogs.views.career import compare_text, date_of, leaders_names, matched_ids, result_texts


class CareerHost(Protocol):
    """What the results need of the career flow they belong to: its buttons."""

    def act(self, verb: str, arg: object = "") -> str: ...


class Results:
    """The results' screens of the career flow (its buttons are ``career:*`` actions)."""

    def __init__(
        self,
        flow: CareerHost,
        *,
        tests: CareerTests,
        in_demand: InDemand,
        profiles: Profiles,
        links: Guardians,
    ) -> None:
        self.flow = flow
        self.tests = tests
        self.in_demand = in_demand
        self.profiles = profiles
        self.links = links

    async def _demand(self, ctx: Ctx) -> DemandList:
        imported = await self.in_demand.in_demand_list()
        if imported is None:
            return example_list()
        return DemandList(imported.ids, imported.source, illustrative=False)

    async def show(self, ctx: Ctx, test: Instrument, attempt: CareerAttempt) -> None:
        profile = await self.profiles.get_profile(ctx.person.id)
        full = all(
            getattr(profile, f) not in (None, "") for f in fields_for(ctx.person.role) if f != "contact_time"
        )
        demand = await self._demand(ctx)
        texts = result_texts(test, attempt, demand, ctx.services.timezone, profile_full=full)
        for text in texts[:-1]:
            ctx.say(text)
        buttons = [Button(t("career.btn.retake"), self.flow.act("restart", test.id))]
        if professions := matched_ids(test, attempt, demand):  # «где этому учат»: the colleges feature
            buttons.append(
                Button(t("colleges.btn.from_result"), action("colleges", "result", ".".join(professions)))
            )
        earlier = await self._previous(ctx, attempt)
        if earlier is not None:
            buttons.append(Button(t("career.btn.compare"), self.flow.act("cmp", attempt.id)))
        buttons += [
            Button(t("career.btn.history"), self.flow.act("history")),
            Button(t("career.btn.tests"), self.flow.act("home")),
            Button(t("btn.back_to_menu"), action("menu", "show")),
        ]
        ctx.say(texts[-1], column(*buttons))

    async def _previous(self, ctx: Ctx, attempt: CareerAttempt) -> CareerAttempt | None:
        """The completed attempt of the same test just before ``attempt``."""
        done = [
            a
            for a in await self.tests.attempts_of(ctx.person.id)
            if a.instrument == attempt.instrument and a.status is AttemptStatus.COMPLETED
        ]
        later = [a for a in done if (a.started_at, a.id) < (attempt.started_at, attempt.id)]
        return later[0] if later else None

    async def open(self, ctx: Ctx, test: Instrument, attempt: CareerAttempt) -> None:
        if attempt.status is not AttemptStatus.COMPLETED:
            await ctx.stale()
            return
        await self.show(ctx, test, attempt)

    async def compare(self, ctx: Ctx, test: Instrument, attempt: CareerAttempt) -> None:
        earlier = await self._previous(ctx, attempt) if attempt.status is AttemptStatus.COMPLETED else None
        back = column(
            Button(t("career.btn.history"), self.flow.act("history")),
            Button(t("btn.back_to_menu"), action("menu", "show")),
        )
        if earlier is None:
            ctx.say(t("career.compare_none"), back)
            return
        ctx.say(compare_text(test, earlier, attempt, ctx.services.timezone), back)

    async def history(self, ctx: Ctx) -> None:
        zone = ctx.services.timezone
        done = [a for a in await self.tests.attempts_of(ctx.person.id) if a.status is AttemptStatus.COMPLETED]
        buttons: list[Button] = []
        lines: list[str] = []
        for attempt in done:
            test = instrument(attempt.instrument)
            if test is None:
                continue
            date = date_of(attempt.finished_at, zone)
            summary = leaders_names(test, attempt)
            lines.append(
                t("career.history_line", number=len(lines) + 1, date=date, title=test.title, code=summary)
            )
            if len(buttons) < 8:  # a phone screen of buttons; older ones stay listed above
                label = t("career.btn.open", number=len(lines), date=date, summary=summary)
                buttons.append(Button(label[:60], self.flow.act("open", attempt.id)))
        text = t("career.history_title") + "\n" + "\n".join(lines) if lines else t("career.history_empty")
        if await self.links.guardians_of(ctx.person.id):
            shared = await self.tests.career_shared(ctx.person.id)
            text += "\n\n" + t(f"career.share_state.{'on' if shared else 'off'}")
            toggle = ("off", "career.btn.share_off") if shared else ("on", "career.btn.share_on")
            buttons.append(Button(t(toggle[1]), self.flow.act("share", toggle[0])))
        buttons += [
            Button(t("career.btn.tests"), self.flow.act("home")),
            Button(t("btn.back_to_menu"), action("menu", "show")),
        ]
        ctx.say(text, column(*buttons))

    async def share(self, ctx: Ctx, allowed: bool) -> None:
        await self.tests.share_career(ctx.person.id, allowed)
        ctx.say(t("career.shared_on" if allowed else "career.shared_off"))
        await self.history(ctx)

    async def kids(self, ctx: Ctx) -> None:
        if ctx.person.role is not Role.PARENT:
            await ctx.stale()
            return
        zone = ctx.services.timezone
        children = await self.tests.children_career(ctx.person.id)
        lines = [t("career.kids_title")] if children else [t("career.kids_none")]
        for child in children:
            name = child.display_name or t("family.unnamed")
            if not child.shared:
                lines.append(t("career.kid_hidden", name=name))
            elif not child.latest:
                lines.append(t("career.kid_empty", name=name))
            for attempt in child.latest:
                test = instrument(attempt.instrument)
                if test is not None:
                    summary = leaders_names(test, attempt)
                    date = date_of(attempt.finished_at, zone)
                    lines.append(t("career.kid_line", name=name, title=test.title, date=date, names=summary))
        ctx.say(
            "\n".join(lines),
            column(
                Button(t("career.btn.tests"), self.flow.act("home")),
                Button(t("btn.back_to_menu"), action("menu", "show")),
            ),
        )
