"""The search screens: the section's home, results five a page with the active filters as «✕» chips,
the filters, and the vacancies matched to the person's profile with their reasons."""

from __future__ import annotations

import re
from dataclasses import replace

from backend_client.models import AgeBand
from backend_client.reference import BY_CODE
from backend_client.vacancies.models import Match, Vacancy
from dialogs.context import Ctx
from dialogs.flow import action
from dialogs.flows.jobs.common import PAGE, JobsBase, Step
from dialogs.flows.jobs.route import JOB_INTENTS, typed_search
from dialogs.flows.jobs.search import (
    KINDS,
    MAX_SALARY,
    SWITCHES,
    Search,
    chip_text,
    filters_line,
    switch_name,
)
from dialogs.texts import known_labels, t
from dialogs.ui import Button, Keyboard, column, rows
from dialogs.validation import InputError, button_word, match_municipality, parse_free_text
from dialogs.views.events import label
from dialogs.views.jobs import list_line, money, pay_text, place_name, reasons_text
from nlu.types import OUT_OF_SCOPE, NluUnavailable, Parse

QUERY_CHARS = 100
SALARY_PRESETS = (20_000, 30_000, 40_000, 60_000)
MIN_SALARY = 1_000  # a month's pay below this is a typo (or hourly pay)


class Browse(JobsBase):
    # -- home -----------------------------------------------------------------------------------------
    def home(self, ctx: Ctx) -> None:
        teen = self.teen(ctx)
        minor = ctx.person.age_band is AgeBand.MINOR
        title = t("jobs.home.title_teen" if teen else "jobs.home.title")
        ctx.say(
            f"{title}\n\n{t('jobs.home.intro_teen' if minor else 'jobs.home.intro')}",
            column(
                Button(t("jobs.btn.all"), self.act("show")),
                Button(t("jobs.btn.filters"), self.act("filters")),
                Button(t("jobs.btn.matches"), self.act("matches")),
                *self._personal(ctx),
                Button(t("btn.back_to_menu"), action("menu", "show")),
            ),
        )
        self.wait(ctx, Step.HOME)

    def _personal(self, ctx: Ctx) -> list[Button]:
        if not ctx.person.may_store_personal_data:
            return []
        return [
            Button(t("jobs.btn.saved"), self.act("saved")),
            Button(t("jobs.btn.mine"), self.act("mine")),
            Button(t("alerts.btn.mine"), action("alerts", "list")),
        ]

    async def typed_query(self, ctx: Ctx, text: str) -> None:
        """Words typed on the home or a results screen: a new search, the filters kept."""
        if word := button_word(text, known_labels()):
            ctx.say(t("valid.button_word", label=word))
            return
        try:
            words = parse_free_text(text, limit=QUERY_CHARS)
        except InputError as problem:
            ctx.say(t(problem.key, **problem.values))
            return
        parse = await self._understand(words)
        if parse is not None and _another_wish(ctx, parse, words):
            ctx.state.clear_step()
            await ctx.go("nlu", "text", words)  # «хочу пройти тест» is not a vacancy to look for
            return
        await self.results(ctx, typed_search(self.search(ctx), words, parse), 0)

    async def _understand(self, words: str) -> Parse | None:
        if self.nlu is None:
            return None
        try:
            return await self.nlu.parse(words)
        except NluUnavailable:
            return None

    # -- results --------------------------------------------------------------------------------------
    async def results(self, ctx: Ctx, search: Search, page: int) -> None:
        seeker = await self.seeker(ctx)
        if self.under_14(ctx, seeker):
            self.say_under_14(ctx)
            return
        found = await self.vacancies.search(seeker, search.query(page, PAGE))
        if not found.items and page > 0:
            await self.results(ctx, search, 0)
            return
        self.keep(ctx, search)
        self.came_from(ctx, "results", page)
        chips = self._chips(search)
        if not found.items:
            hint = (
                t("jobs.empty_teen") if seeker.age is not None and seeker.age < 18 else t("jobs.empty_hint")
            )
            ctx.say(
                f"{t('jobs.empty')}\n{filters_line(search)}\n\n{hint}",
                (
                    *chips,
                    *column(
                        _subscribe(search),
                        Button(t("jobs.btn.filters"), self.act("filters")),
                        *self.footer(ctx),
                    ),
                ),
            )
            self.wait(ctx, Step.EMPTY)
            return
        first = page * PAGE + 1
        lines = [t("jobs.results.title", total=found.total), filters_line(search), ""]
        lines += [list_line(number, vacancy) for number, vacancy in enumerate(found.items, first)]
        if found.pages > 1:
            lines.append(t("jobs.results.page", page=page + 1, pages=found.pages))
        lines.append(t("jobs.results.hint"))
        paging = []
        if page > 0:
            paging.append(Button(t("jobs.btn.back"), self.act("page", page - 1)))
        if page + 1 < found.pages:
            paging.append(Button(t("jobs.btn.more"), self.act("page", page + 1)))
        keyboard = (
            *chips,
            *self._openers(found.items, first),
            *rows(paging),
            *column(
                Button(t("jobs.btn.filters"), self.act("filters")), _subscribe(search), *self.footer(ctx)
            ),
        )
        ctx.say("\n".join(lines), keyboard)
        self.wait(ctx, Step.RESULTS)

    def _chips(self, search: Search) -> Keyboard:
        """Each active filter as a one-tap «✕» remove, two to a row."""
        chips = [
            Button(t("jobs.chip_remove", chip=label(chip_text(search, chip))), self.act("drop", chip))
            for chip in search.active()
        ]
        return rows(*(chips[i : i + 2] for i in range(0, len(chips), 2)))

    def _openers(self, vacancies: tuple[Vacancy, ...] | list[Vacancy], first: int) -> Keyboard:
        return column(
            *(
                Button(
                    t("jobs.btn.open", number=number, title=label(vacancy.title)),
                    self.act("open", vacancy.id),
                )
                for number, vacancy in enumerate(vacancies, first)
            )
        )

    # -- filters --------------------------------------------------------------------------------------
    def filters(self, ctx: Ctx, note: str = "") -> None:
        search = self.search(ctx)
        chips = [chip_text(search, chip) for chip in search.active()]
        now = t("jobs.filters.now", chips=" · ".join(chips)) if chips else t("jobs.filters.none")
        text = "\n".join(
            part for part in (note, t("jobs.filters.title"), now, t("jobs.filters.help")) if part
        )
        place = (
            t("jobs.btn.place", place=place_name(search.place)) if search.place else t("jobs.btn.place_any")
        )
        salary = (
            t("jobs.btn.salary", salary=t("jobs.chip.salary", salary=money(search.salary)))
            if search.salary
            else t("jobs.btn.salary_any")
        )
        toggles = [
            Button(
                t("jobs.on" if search.is_on(f) else "jobs.off", name=switch_name(f)), self.act("toggle", f)
            )
            for f in (*KINDS, *SWITCHES)
        ]
        ctx.state.clear_step()
        ctx.say(
            text,
            (
                (Button(place, self.act("place")),),
                (Button(salary, self.act("salary")),),
                *rows(*(toggles[i : i + 2] for i in range(0, len(toggles), 2))),
                *column(Button(t("jobs.btn.show"), self.act("show")), *self.footer(ctx)),
            ),
        )

    async def ask_place(self, ctx: Ctx, note: str = "") -> None:
        seeker = await self.seeker(ctx)
        buttons = []
        if seeker.municipality and seeker.municipality in BY_CODE:
            buttons.append(
                Button(
                    t("jobs.btn.place_home", place=place_name(seeker.municipality)),
                    self.act("set_place", seeker.municipality),
                )
            )
        buttons.append(Button(t("jobs.btn.place_clear"), self.act("set_place")))
        buttons.append(Button(t("jobs.btn.to_filters"), self.act("filters")))
        ctx.say(f"{note}\n\n{t('jobs.place.ask')}" if note else t("jobs.place.ask"), column(*buttons))
        self.wait(ctx, Step.PLACE)

    async def typed_place(self, ctx: Ctx, text: str) -> None:
        try:
            found = match_municipality(text)
        except InputError as problem:
            await self.ask_place(ctx, t(problem.key, **problem.values))
            return
        if found.found is not None:
            self.set_place(ctx, found.found.code)
            return
        buttons = [Button(place.title, self.act("set_place", place.code)) for place in found.candidates]
        ctx.say(
            t("jobs.place.choose"), column(*buttons, Button(t("jobs.btn.to_filters"), self.act("filters")))
        )
        self.wait(ctx, Step.PLACE)

    def set_place(self, ctx: Ctx, code: str | None) -> None:
        self.keep(ctx, replace(self.search(ctx), place=code))
        self.filters(ctx)

    def ask_salary(self, ctx: Ctx, note: str = "") -> None:
        presets = [
            Button(t("jobs.btn.salary_preset", salary=money(amount)), self.act("set_salary", amount))
            for amount in SALARY_PRESETS
        ]
        ctx.say(
            f"{note}\n\n{t('jobs.salary.ask')}" if note else t("jobs.salary.ask"),
            (
                *rows(presets[:2], presets[2:]),
                *column(
                    Button(t("jobs.btn.salary_clear"), self.act("set_salary", 0)),
                    Button(t("jobs.btn.to_filters"), self.act("filters")),
                ),
            ),
        )
        self.wait(ctx, Step.SALARY)

    def typed_salary(self, ctx: Ctx, text: str) -> None:
        amount = _roubles(text)
        if amount is None:
            self.ask_salary(ctx, t("jobs.salary.bad"))
        elif not MIN_SALARY <= amount <= MAX_SALARY:
            self.ask_salary(ctx, t("jobs.salary.absurd", low=money(MIN_SALARY), high=money(MAX_SALARY)))
        else:
            self.set_salary(ctx, amount)

    def set_salary(self, ctx: Ctx, amount: int) -> None:
        self.keep(ctx, replace(self.search(ctx), salary=amount or None))
        self.filters(ctx)

    # -- matched to the profile -----------------------------------------------------------------------
    async def matches(self, ctx: Ctx, page: int) -> None:
        seeker = await self.seeker(ctx)
        if self.under_14(ctx, seeker):
            self.say_under_14(ctx)
            return
        found = await self.vacancies.match(seeker, limit=PAGE + 1, offset=page * PAGE)
        ctx.state.clear_step()
        if not found and page > 0:
            await self.matches(ctx, 0)
            return
        self.came_from(ctx, "matches", page)
        if not found:
            ctx.say(
                t("jobs.matches.none"),
                column(
                    Button(t("jobs.btn.profile"), action("profile", "show")),
                    Button(t("jobs.btn.career"), action("career", "home")),
                    Button(t("jobs.btn.all"), self.act("show")),
                    *self.footer(ctx),
                ),
            )
            return
        shown = found[:PAGE]
        first = page * PAGE + 1
        lines = [t("jobs.matches.title"), *(_match_line(n, m) for n, m in enumerate(shown, first))]
        paging = []
        if page > 0:
            paging.append(Button(t("jobs.btn.back"), self.act("matches", page - 1)))
        if len(found) > PAGE:
            paging.append(Button(t("jobs.btn.more"), self.act("matches", page + 1)))
        keyboard = (
            *self._openers([m.vacancy for m in shown], first),
            *rows(paging),
            *column(*self.footer(ctx)),
        )
        ctx.say("\n".join(lines), keyboard)


def _subscribe(search: Search) -> Button:
    """«Подписаться на такие вакансии»: the alerts flow saves this search (``dialogs/flows/alerts``)."""
    return Button(t("alerts.btn.subscribe"), action("alerts", "subscribe", search.encode()))


def _another_wish(ctx: Ctx, parse: Parse, words: str) -> bool:
    """A sentence surely meaning something other than work (a single word is a search term, whatever the
    model makes of it)."""
    return (
        len(words.split()) > 1
        and parse.intent not in JOB_INTENTS
        and parse.intent != OUT_OF_SCOPE
        and parse.confidence >= ctx.services.confidence.high
        and parse.first("profession") is None
    )


def _match_line(number: int, match: Match) -> str:
    vacancy = match.vacancy
    return t(
        "jobs.matches.line",
        number=number,
        title=vacancy.title,
        employer=vacancy.employer.name,
        pay=pay_text(vacancy),
        place=place_name(vacancy.municipality),
        reasons=reasons_text(match.reasons),
    )


# «от 30 000 ₽», «30к», «30 тысяч рублей»: the number, and whether it counts thousands
_MONEY = re.compile(
    r"^(?:от\s*)?(\d{1,3}(?:[ \u00a0]\d{3})+|\d+)\s*(тыс\.?|тысяч[аи]?|к|k)?"
    r"\s*(?:₽|р\.?|руб\.?|рубл(?:ей|я|ь))?$"
)


def _roubles(text: str) -> int | None:
    """«30000», «30 000», «30 000 ₽», «30 тысяч», «30к», «от 30000 руб.» -> roubles; None otherwise."""
    found = _MONEY.match(" ".join(text.casefold().split()))
    if found is None:
        return None
    digits = re.sub(r"\D", "", found.group(1))
    if not digits.isascii() or len(digits) > 9:
        return None
    return int(digits) * (1000 if found.group(2) else 1)
