"""«Колледжи и техникумы»: browse the catalogue by municipality or by profession, and a college's card.

Reading the catalogue stores nothing about the person, so it needs no consent. The person's municipality
(from the profile, when there is one) puts the colleges near them first. Buttons carry a municipality
code, a profession id or a college id; a college gone from the catalogue since the button was sent is
said so, and anything the flow did not issue is a stale button.
"""

from __future__ import annotations

from enum import StrEnum

from backend_client.colleges.models import College
from backend_client.ports import CollegeCatalogue, Profiles
from backend_client.reference import BY_CODE
from dialogs.career.catalogue import Profession, catalogue
from dialogs.context import Ctx
from dialogs.flow import Flow, action, on_answer, on_press
from dialogs.flows.colleges.professions import match_professions
from dialogs.flows.colleges.screens import card_text, list_line, town
from dialogs.texts import t
from dialogs.ui import Button, column

MAX_LISTED = 10  # colleges (or professions) offered as buttons on one screen


class Step(StrEnum):
    """The screens of ``colleges.mmd``; only PROFESSION waits for text."""

    HOME = "home"
    PLACES = "places"
    LIST = "list"
    PROFESSION = "profession"  # waiting: a profession typed
    CHOOSE = "choose"  # several professions fit: which one
    TAUGHT = "taught"  # the colleges teaching one profession
    CARD = "card"
    UNAVAILABLE = "unavailable"


def _label(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


class CollegesFlow(Flow):
    name = "colleges"
    steps = Step

    def __init__(self, catalogue: CollegeCatalogue | None, profiles: Profiles) -> None:
        self.colleges = catalogue
        self.profiles = profiles

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        """``arg`` from free text: ``m=<code>;p=<typed profession>`` (either may be missing)."""
        ctx.state.clear_step()
        values = dict(part.partition("=")[::2] for part in arg.split(";") if "=" in part)
        if values.get("p"):
            await self._typed(ctx, values["p"], values["m"] if values.get("m") in BY_CODE else "")
        elif values.get("m") in BY_CODE:
            await self.in_place(ctx, values["m"])
        else:
            await self.home(ctx)

    # -- the buttons --------------------------------------------------------------------------------
    @on_press("home")
    async def home(self, ctx: Ctx) -> None:
        if self.colleges is None:
            ctx.say(t("colleges.unavailable"), column(self._menu()))
            return
        places = await self.colleges.college_places()
        mine = await self._home_place(ctx)
        buttons = []
        if mine and mine in places:
            buttons.append(Button(t("colleges.btn.near", town=town(mine)), self.act("in", mine)))
        buttons += [
            Button(t("colleges.btn.places"), self.act("places")),
            Button(t("colleges.btn.by_profession"), self.act("profs")),
            self._menu(),
        ]
        text = t("colleges.home") if places else t("colleges.empty")
        ctx.say(text, column(*buttons))

    @on_press("places")
    async def places(self, ctx: Ctx) -> None:
        if self.colleges is None:
            await self.home(ctx)
            return
        places = await self.colleges.college_places()
        ordered = sorted(places.items(), key=lambda item: (-item[1], town(item[0])))
        buttons = [
            Button(t("colleges.btn.place", town=town(code), n=n), self.act("in", code)) for code, n in ordered
        ]
        ctx.say(
            t("colleges.places"),
            column(*buttons, Button(t("colleges.btn.home"), self.act("home")), self._menu()),
        )

    @on_press("in")
    async def in_place(self, ctx: Ctx, code: str) -> None:
        if code not in BY_CODE:
            await ctx.stale()
            return
        if self.colleges is None:
            await self.home(ctx)
            return
        found = await self.colleges.colleges(municipality=code)
        if not found and not await self.colleges.college_places():
            await self.home(ctx)  # an empty catalogue says so
            return
        if not found:
            ctx.say(t("colleges.none_in", town=town(code)), column(*self._footer()))
            return
        lines = [t("colleges.list_title", town=town(code))]
        lines += [list_line(n, c) for n, c in enumerate(found, 1)]
        ctx.say("\n".join([*lines, "", self._demo(found)]).strip(), self._keyboard(found))

    @on_press("profs")
    async def ask_profession(self, ctx: Ctx) -> None:
        ctx.say(t("colleges.ask_profession"), column(*self._footer(profession=False)))
        self.wait(ctx, Step.PROFESSION)

    @on_answer(Step.PROFESSION)
    async def profession_typed(self, ctx: Ctx, text: str) -> None:
        await self._typed(ctx, text, "")

    @on_press("prof")
    async def taught(self, ctx: Ctx, chosen: str) -> None:
        """``id`` or ``id|code``: a profession of the career catalogue, and the place to put first."""
        profession_id, _, place = chosen.partition("|")
        profession = catalogue().get(profession_id)
        if profession is None or (place and place not in BY_CODE):
            await ctx.stale()
            return
        if self.colleges is None:
            await self.home(ctx)
            return
        found = await self.colleges.colleges(profession=profession.id)
        if not found:
            ctx.say(t("colleges.not_taught", profession=profession.title), column(*self._footer()))
            return
        await self._taught(ctx, profession, found, place)

    @on_press("result")
    async def from_result(self, ctx: Ctx, ids: str) -> None:
        """From a career-test result: ``id.id.id`` of its professions; those some college teaches."""
        professions = [p for p in (catalogue().get(i) for i in ids.split(".")) if p is not None]
        if not professions:
            await ctx.stale()
            return
        await self._choose(ctx, professions, t("colleges.from_result"))

    @on_press("open")
    async def open_card(self, ctx: Ctx, college_id: str) -> None:
        college = await self.colleges.college(college_id) if self.colleges is not None else None
        if college is None:
            ctx.say(t("colleges.gone"))
            await self.home(ctx)
            return
        buttons = [
            Button(
                _label(t("colleges.btn.more_in", town=town(college.municipality))),
                self.act("in", college.municipality),
            ),
            Button(t("colleges.btn.by_profession"), self.act("profs")),
            self._menu(),
        ]
        ctx.say(card_text(college), column(*buttons))

    # -- helpers ------------------------------------------------------------------------------------
    async def _typed(self, ctx: Ctx, text: str, place: str) -> None:
        found = match_professions(text)
        if not found:
            ctx.say(t("colleges.unknown_profession", text=text[:60]), column(*self._footer(profession=False)))
            self.wait(ctx, Step.PROFESSION)
            return
        await self._choose(ctx, found, t("colleges.which_profession"), place)

    async def _choose(self, ctx: Ctx, professions: list[Profession], question: str, place: str = "") -> None:
        """One profession taught somewhere: its colleges at once; several: which one; none: say so."""
        if self.colleges is None:
            await self.home(ctx)
            return
        taught = [(p, await self.colleges.colleges(profession=p.id)) for p in professions]
        taught = [(p, found) for p, found in taught if found]
        if not taught:
            names = ", ".join(p.title for p in professions[:5])
            ctx.say(t("colleges.none_taught", professions=names), column(*self._footer()))
            return
        if len(taught) == 1:
            await self._taught(ctx, *taught[0], place)
            return
        where = f"|{place}" if place else ""
        buttons = [Button(_label(p.title), self.act("prof", p.id + where)) for p, _ in taught[:MAX_LISTED]]
        ctx.say(question, column(*buttons, *self._footer()))

    async def _taught(self, ctx: Ctx, profession: Profession, found: list[College], place: str = "") -> None:
        """``found`` in ``place`` (a town named in free text; else the profile's) first, then the rest."""
        mine = place or await self._home_place(ctx)
        near = [c for c in found if c.municipality == mine]
        far = [c for c in found if c.municipality != mine]
        lines = [t("colleges.taught_title", profession=profession.title)]
        number = 0
        for heading, group in (
            (t("colleges.near", town=town(mine)) if mine else "", near),
            (t("colleges.elsewhere") if near else "", far),
        ):
            if group and heading:
                lines.append(heading)
            for college in group:
                number += 1
                lines.append(list_line(number, college, college.teaches(profession.id)))
        if mine and not near:
            lines.insert(1, t("colleges.none_near", town=town(mine)))
        ordered = near + far
        ctx.say("\n".join([*lines, "", self._demo(ordered)]).strip(), self._keyboard(ordered))

    async def _home_place(self, ctx: Ctx) -> str:
        return (await self.profiles.get_profile(ctx.person.id)).municipality or ""

    def _keyboard(self, found: list[College]) -> tuple[tuple[Button, ...], ...]:
        buttons = [
            Button(_label(t("colleges.btn.open", number=n, name=c.name)), self.act("open", c.id))
            for n, c in enumerate(found[:MAX_LISTED], 1)
        ]
        return column(*buttons, *self._footer())

    def _footer(self, *, profession: bool = True) -> list[Button]:
        buttons = [Button(t("colleges.btn.places"), self.act("places"))]
        if profession:
            buttons.append(Button(t("colleges.btn.by_profession"), self.act("profs")))
        return [*buttons, self._menu()]

    @staticmethod
    def _menu() -> Button:
        return Button(t("btn.back_to_menu"), action("menu", "show"))

    @staticmethod
    def _demo(found: list[College]) -> str:
        return t("colleges.demo_short") if any(c.illustrative for c in found) else ""
