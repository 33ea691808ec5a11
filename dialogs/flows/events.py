"""«Профтуры и профпробы»: the list of upcoming events, an event's card, signing up and «Мои записи».

Reading the catalogue needs no consent (nothing about the person is stored); signing up and «Мои
записи» do. Button actions carry the event id; the store decides what a press may do (capacity, a
cancelled or started event), so an old card's button can never oversell a place.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import partial

from backend_client.errors import ConsentRequired
from backend_client.events import EventNotFound, EventStatus, SignupOutcome, SignupStatus
from backend_client.models import ConsentStatus, Role
from backend_client.ports import Events
from backend_client.reference import MUNICIPALITIES
from dialogs.context import Ctx
from dialogs.feature import Feature, MenuEntry
from dialogs.flow import Flow, action, on_press
from dialogs.intents import Route
from dialogs.texts import t
from dialogs.ui import Button, column, rows
from dialogs.views.events import card_text, day_text, kind_name, label, short_date, town
from nlu.dates import resolve
from nlu.types import Parse

PAGE = 5
# Who sees «Профтуры и профпробы» in the menu: everyone the catalogue's audiences name (graduates included)
EVENT_ROLES = frozenset({Role.PUPIL, Role.COLLEGE_STUDENT, Role.UNIVERSITY_STUDENT, Role.GRADUATE})
_CODE_BY_NAME = {m.name: m.code for m in MUNICIPALITIES}


class Step(StrEnum):
    """The screens of ``events.mmd``; the flow never waits for text."""

    LIST = "list"
    EMPTY = "empty"  # nothing ahead, or nothing for the filter
    CARD = "card"
    NEEDS_CONSENT = "needs_consent"  # signing up or «Мои записи» without consent
    LEAVE_CONFIRM = "leave_confirm"
    MINE = "mine"


class EventsFlow(Flow):
    name = "events"
    steps = Step

    def __init__(self, events: Events) -> None:
        self.events = events

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        ctx.state.clear_step()
        if entry == "mine":
            await self._mine(ctx)
        else:
            await self._list(ctx, 0, arg)

    @on_press("list")
    async def list_page(self, ctx: Ctx, where: str = "") -> None:
        """``page|query``: a page of the list under the NLU's filter (see ``_filter``)."""
        page, _, query = where.partition("|")
        await self._list(ctx, int(page) if page.isascii() and page.isdigit() else 0, query)

    @on_press("mine")
    async def mine(self, ctx: Ctx) -> None:
        await self._mine(ctx)

    @on_press("open")
    async def open_card(self, ctx: Ctx, event_id: int) -> None:
        await self._card(ctx, event_id)

    @on_press("join")
    async def join(self, ctx: Ctx, event_id: int) -> None:
        await self._join(ctx, event_id)

    @on_press("leave_ask")
    async def leave_ask(self, ctx: Ctx, event_id: int) -> None:
        await self._leave_ask(ctx, event_id)

    @on_press("leave")
    async def leave(self, ctx: Ctx, event_id: int) -> None:
        await self._leave(ctx, event_id)

    # -- the list -------------------------------------------------------------------------------
    async def _list(self, ctx: Ctx, page: int, query: str) -> None:
        place, since, until, described = self._filter(ctx, query)
        found = await self.events.upcoming_events(
            ctx.person.id, municipality=place, since=since, until=until, limit=PAGE + 1, offset=page * PAGE
        )
        shown = found[:PAGE]
        if not shown and page > 0:
            await self._list(ctx, 0, query)
            return
        if not shown:
            ctx.say(
                t("events.none_filtered" if query else "events.none"),
                column(*self._footer(ctx, all_events=bool(query))),
            )
            return
        zone = ctx.services.timezone
        title = t("events.title_filtered", filter=described) if described else t("events.title")
        lines = [title, t("events.intro"), ""]
        buttons = []
        for number, event in enumerate(shown, page * PAGE + 1):
            lines.append(
                t(
                    "events.line",
                    number=number,
                    date=short_date(event.starts_at, zone),
                    place=town(event.municipality),
                    kind=kind_name(event),
                    title=event.title,
                    left=event.places_left,
                )
            )
            buttons.append(
                (
                    Button(
                        t("events.btn.open", number=number, title=label(event.title)),
                        self.act("open", event.id),
                    ),
                )
            )
        paging = []
        if page > 0:
            paging.append(Button(t("events.btn.back"), self.act("list", f"{page - 1}|{query}")))
        if len(found) > PAGE:
            paging.append(Button(t("events.btn.more"), self.act("list", f"{page + 1}|{query}")))
        keyboard = (*buttons, *rows(paging), *column(*self._footer(ctx, all_events=bool(query))))
        ctx.say("\n".join(lines), keyboard)

    def _footer(self, ctx: Ctx, *, all_events: bool = False, mine: bool = True) -> list[Button]:
        buttons = []
        if all_events:
            buttons.append(Button(t("events.btn.list"), self.act("list")))
        if mine and ctx.person.consent is ConsentStatus.GRANTED:
            buttons.append(Button(t("events.btn.mine"), self.act("mine")))
        buttons.append(Button(t("btn.back_to_menu"), action("menu", "show")))
        return buttons

    @staticmethod
    def _filter(ctx: Ctx, query: str) -> tuple[str | None, datetime | None, datetime | None, str]:
        """``m=36440;d=tomorrow`` (from the NLU's entities) -> municipality, start window, description."""
        values = dict(part.partition("=")[::2] for part in query.split(";") if "=" in part)
        place = values.get("m") or None
        zone = ctx.services.timezone
        days = resolve(values["d"], ctx.local_now().date()) if values.get("d") else None
        since = until = None
        described = []
        if place:
            described.append(town(place))
        if days is not None:
            first, last = days
            since = _midnight(first, ctx)
            until = _midnight(last + timedelta(days=1), ctx)
            noon_first = datetime.combine(first, time(12), tzinfo=zone)
            noon_last = datetime.combine(last, time(12), tzinfo=zone)
            described.append(
                t("events.days_one", day=day_text(noon_first, zone))
                if first == last
                else t("events.days_range", first=day_text(noon_first, zone), last=day_text(noon_last, zone))
            )
        return place, since, until, ", ".join(described)

    # -- one event ------------------------------------------------------------------------------
    async def _card(self, ctx: Ctx, event_id: int, note: str = "") -> None:
        event = await self.events.event(event_id)
        if event is None:
            ctx.say(t("events.gone"))
            await self._list(ctx, 0, "")
            return
        signed_up = ctx.person.consent is ConsentStatus.GRANTED and any(
            s.event.id == event_id for s in await self.events.signups_of(ctx.person.id)
        )
        now = ctx.now()
        text = card_text(event, ctx.services.timezone, signed_up=signed_up, now=now)
        buttons = []
        if event.status is EventStatus.SCHEDULED and event.starts_at > now:
            if (
                ctx.person.role is Role.PARENT
                and event.audience.roles
                and Role.PARENT not in event.audience.roles
            ):
                text += "\n\n" + t("events.parent_note")  # the child signs up in their own chat
            elif signed_up:
                buttons.append(Button(t("events.btn.leave"), self.act("leave_ask", event_id)))
            elif event.places_left > 0:
                buttons.append(Button(t("events.btn.join"), self.act("join", event_id)))
        buttons.append(Button(t("events.btn.list"), self.act("list")))
        ctx.say(f"{note}\n\n{text}" if note else text, column(*buttons, *self._footer(ctx)))

    async def _join(self, ctx: Ctx, event_id: int) -> None:
        if not await self._consented(ctx):
            return
        try:
            outcome = await self.events.sign_up(ctx.person.id, event_id)
        except ConsentRequired:
            await self._consented(ctx, refresh=True)
            return
        except EventNotFound:
            ctx.say(t("events.gone"))
            await self._list(ctx, 0, "")
            return
        note = (
            t("events.signed_up")
            if outcome is SignupOutcome.SIGNED_UP
            else t(f"events.outcome.{outcome.value}")
        )
        await self._card(ctx, event_id, note)

    async def _leave_ask(self, ctx: Ctx, event_id: int) -> None:
        event = await self.events.event(event_id)
        if event is None:
            await ctx.stale()
            return
        ctx.say(
            t("events.leave_confirm", title=event.title),
            column(
                Button(t("events.btn.leave_yes"), self.act("leave", event_id)),
                Button(t("events.btn.leave_no"), self.act("open", event_id)),
            ),
        )

    async def _leave(self, ctx: Ctx, event_id: int) -> None:
        done = await self.events.cancel_signup(ctx.person.id, event_id)
        await self._card(ctx, event_id, t("events.left" if done else "events.not_in"))

    # -- «Мои записи» ----------------------------------------------------------------------------
    async def _mine(self, ctx: Ctx) -> None:
        if not await self._consented(ctx):
            return
        now, zone = ctx.now(), ctx.services.timezone
        signups = [s for s in await self.events.signups_of(ctx.person.id) if s.event.ends_at > now]
        if not signups:
            ctx.say(t("events.mine_none"), column(*self._footer(ctx, all_events=True, mine=False)))
            return
        lines = [t("events.mine_title")]
        buttons = []
        for number, signup in enumerate(signups, 1):
            event = signup.event
            mark = t("events.mine_cancelled_mark") if event.status is EventStatus.CANCELLED else ""
            lines.append(
                t(
                    "events.mine_line",
                    number=number,
                    date=short_date(event.starts_at, zone),
                    kind=kind_name(event),
                    title=event.title,
                    mark=mark,
                )
            )
            buttons.append(
                Button(
                    t("events.btn.open", number=number, title=label(event.title)),
                    self.act("open", event.id),
                )
            )
        ctx.say("\n".join(lines), column(*buttons, *self._footer(ctx, all_events=True, mine=False)))

    async def _consented(self, ctx: Ctx, *, refresh: bool = False) -> bool:
        """Signing up stores personal data: without consent, say why and show the way to give it."""
        if refresh:
            await ctx.refresh_person()
        elif ctx.person.consent is ConsentStatus.GRANTED:
            return True
        ctx.say(t("events.needs_consent"))
        await ctx.menu()  # the menu leads to the consent step, the parent's code or «Дать согласие»
        return False


def _midnight(day: date, ctx: Ctx) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ctx.services.timezone)


def events_arg(parse: Parse) -> str:
    """«профтуры в тольятти завтра» -> ``m=36440;d=tomorrow``: the events list pre-filtered."""
    parts = []
    municipality = parse.first("municipality")
    if municipality is not None and municipality.value in _CODE_BY_NAME:
        parts.append(f"m={_CODE_BY_NAME[municipality.value]}")
    day = parse.first("date")
    if day is not None:
        parts.append(f"d={day.value}")
    return ";".join(parts)


async def signups_line(events: Events, person_id: int) -> str:
    """The sign-ups' line of «Мои данные» (the export holds each of them)."""
    signups = await events.signups_of(person_id, active_only=False)
    if not signups:
        return t("events.mydata_none")
    active = sum(1 for signup in signups if signup.status is SignupStatus.ACTIVE)
    return t("events.mydata", active=active, total=len(signups))


FEATURE = Feature(
    name="events",
    flow=lambda services: EventsFlow(services.records),
    menu=(MenuEntry("btn.events", action("events", "list"), order=60, roles=EVENT_ROLES),),
    intents={
        "events": Route(flow="events", arg=events_arg),
        "event_signup": Route(flow="events", arg=events_arg),
        "my_registrations": Route(flow="events", entry="mine"),
        "cancel_registration": Route(flow="events", entry="mine"),
    },
    my_data=lambda services: partial(signups_line, services.records),
)
