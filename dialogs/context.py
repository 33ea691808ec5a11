"""Everything a flow step may use while one incoming message is handled."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from backend_client.clock import Clock
from backend_client.models import Person
from backend_client.ports import (
    Accounts,
    AlertSubscriptions,
    Broadcasts,
    CollegeCatalogue,
    Feedback,
    Graduates,
    PlanDesk,
    Plans,
    Records,
    Vacancies,
)
from dialogs.intents import Confidence, Route
from dialogs.menu_entry import MenuEntry
from dialogs.state import ConversationState, StateStore
from dialogs.texts import t
from dialogs.ui import Document, Incoming, IncomingKind, Keyboard, Reply
from nlu.types import Understanding


class PlanStore(Plans, PlanDesk, Protocol):
    """The plan store as the composition root hands it: the person's side and the operators'."""


class Enterable(Protocol):
    """What ``Ctx.go`` needs of a flow (``dialogs.flow.Flow`` is one); declared here so the context does
    not import the flows that import it."""

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None: ...


@dataclass(frozen=True, slots=True)
class ConsentTerms:
    """Who processes the data and under which text version; shown in every consent request."""

    # .2 adds career-test answers and notification settings; .3 event sign-ups; .4 applications, favourites
    version: str = "2026-12"
    operator: str = "Региональный центр профориентации и содействия занятости молодёжи Самарской области"
    contact: str = "pd@frontdoor.example"


@dataclass(frozen=True, slots=True)
class CentreContacts:
    """The regional centre people can reach (/help lists it) and how soon it aims to answer a ticket."""

    name: str = "Региональный центр профориентации и содействия занятости молодёжи Самарской области"
    phone: str = "+7 (846) 200-00-00"
    email: str = "centr@frontdoor.example"
    address: str = "г. Самара, ул. Примерная, 1"
    hours: str = "пн–пт 9:00–18:00"
    answer_within: timedelta = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Services:
    """What the composition root hands the features: the stores and the settings. Typed, so no look-ups
    by string key. Each ``Feature.flow`` picks the narrow ports its flow uses from here; during a turn a
    flow sees only the settings (``Ctx.services`` is a ``FlowSettings``)."""

    records: Records
    states: StateStore
    clock: Clock
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Samara"))
    consent: ConsentTerms = field(default_factory=ConsentTerms)
    invite_ttl: timedelta = timedelta(days=7)
    # channel -> function turning a /start payload into a link the person can forward (Telegram: t.me/...)
    deep_links: Mapping[str, Callable[[str], str]] = field(default_factory=dict)
    nlu: Understanding | None = None  # free text outside a waiting step; None: "I did not understand"
    confidence: Confidence = field(default_factory=Confidence)
    broadcasts: Broadcasts | None = None  # operators' powers and system messages; None: no operator menu
    # What the features registered (dialogs.features): the main menu's entries and the NLU routes.
    vacancies: Vacancies | None = (
        None  # the work catalogue; None: «Работа и стажировки» says it is unavailable
    )
    # saved searches and the alerts they send; None: «Подписаться на такие вакансии» is not offered
    vacancy_alerts: AlertSubscriptions | None = None
    colleges: CollegeCatalogue | None = None  # «Колледжи и техникумы»; None: the catalogue is unavailable
    graduates: Graduates | None = None  # «Анкета выпускника» and the centre's bookings; None: unavailable
    plans: PlanStore | None = None  # «Мой план» and the check-ins; None: the feature is not built
    feedback: Feedback | None = None  # «Обратная связь»; None: «Написать в центр» gives the contacts only
    centre: CentreContacts = field(default_factory=CentreContacts)
    # What the features registered (dialogs.features): the main menu's entries, the NLU routes and the
    # lines «Мои данные» shows (person id -> text).
    menu: tuple[MenuEntry, ...] = ()
    routes: Mapping[str, Route] = field(default_factory=dict)
    my_data: tuple[Callable[[int], Awaitable[str]], ...] = ()


class FlowSettings(Protocol):
    """What a flow reads of the composition root while it answers: settings, never a store. The stores
    reach a flow through its constructor, as the narrow ports it declares."""

    @property
    def clock(self) -> Clock: ...

    @property
    def timezone(self) -> ZoneInfo: ...

    @property
    def consent(self) -> ConsentTerms: ...

    @property
    def invite_ttl(self) -> timedelta: ...

    @property
    def deep_links(self) -> Mapping[str, Callable[[str], str]]: ...

    @property
    def confidence(self) -> Confidence: ...

    @property
    def centre(self) -> CentreContacts: ...


class Ctx:
    def __init__(
        self,
        incoming: Incoming,
        person: Person,
        state: ConversationState,
        services: Services,
        flows: Mapping[str, Enterable],
    ) -> None:
        self.incoming = incoming
        self.person = person
        self.state = state
        self.services: FlowSettings = services
        self._accounts: Accounts = services.records  # whom the turn is for, read again (refresh_person)
        self._flows = flows
        self.replies: list[Reply] = []
        self.notice = ""
        self.forget = False  # the conversation was erased: do not save it back
        self.repeat = False  # the press repeats the one that led here: nothing to do, buttons stay

    @property
    def press(self) -> str:
        """This turn's identity for effects (``backend_client/sql/infra/presses.py``): the same for every
        repeat of one press or answer, different for the next. A button's token is issued once; a typed
        answer is known by the state version it answered (and the person, since an erasure starts the
        conversation's versions over)."""
        incoming = self.incoming
        if incoming.kind is IncomingKind.BUTTON:
            return f"{incoming.conversation_key}:b:{incoming.button}"
        return f"{incoming.conversation_key}:p{self.person.id}:v{self.state.version}"

    # -- reading the world ----------------------------------------------------------------------
    @property
    def data(self) -> dict[str, object]:
        return self.state.data

    def now(self) -> datetime:
        return self.services.clock.now()

    def local_now(self) -> datetime:
        return self.now().astimezone(self.services.timezone)

    def deep_link(self, payload: str) -> str | None:
        make = self.services.deep_links.get(self.incoming.channel)
        return make(payload) if make else None

    async def refresh_person(self) -> Person:
        self.person = await self._accounts.identify(
            self.incoming.channel, self.incoming.account_id, self.incoming.chat_id
        )
        return self.person

    # -- answering ------------------------------------------------------------------------------
    def say(self, text: str, keyboard: Keyboard = (), document: Document | None = None) -> None:
        self.replies.append(Reply(text=text, keyboard=keyboard, document=document))

    def wait(self, flow: str, step: str) -> None:
        self.state.wait_for(flow, step)

    async def go(self, flow: str, entry: str = "", arg: str = "") -> None:
        await self._flows[flow].enter(self, entry, arg)

    async def menu(self) -> None:
        await self.go("menu")

    async def stale(self) -> None:
        """A button that is no longer valid: say so kindly and show where the person is now."""
        self.notice = t("engine.stale_notice")
        self.say(t("engine.stale"))
        self.state.clear_step()
        await self.menu()

    async def not_understood(self) -> None:
        self.say(t("engine.not_understood"))
        await self.menu()
