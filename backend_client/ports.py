"""Narrow ports that flows and jobs depend on. Every method is one use case and owns its transaction.

A flow asks for the protocol it needs (``Accounts``, ``Consents`` ...), never for a session or an engine.
The embedded SQL store implements all of them; tests run one contract suite per port over every backend.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from backend_client.broadcasts import (
    Actor,
    Audience,
    Campaign,
    CampaignDraft,
    CampaignStats,
    MaintenanceTexts,
    SystemMessage,
)
from backend_client.events import (
    Event,
    EventDraft,
    ImportResult,
    ReminderTarget,
    Signup,
    SignupOutcome,
)
from backend_client.guardianship import GivenConsent, GuardianNotices
from backend_client.models import (
    AgeBand,
    AskBand,
    AskCount,
    CareerAttempt,
    CareerOutcome,
    CareerReport,
    ChannelAccount,
    ChildCareer,
    Consent,
    InDemandList,
    Invite,
    InviteAnswer,
    InvitePurpose,
    LinkedPerson,
    Person,
    Profile,
    Role,
)
from backend_client.outreach import (
    Category,
    DeliveryMode,
    Notice,
    NotificationSettings,
    OutboxStatus,
    OutgoingMessage,
    QuietHours,
)


class Accounts(Protocol):
    async def identify(self, channel: str, external_id: str, chat_id: str) -> Person:
        """The person behind a channel account; created on first contact with no personal data at all."""
        ...

    async def accounts_of(self, person_id: int) -> list[ChannelAccount]: ...

    async def set_blocked(self, channel: str, external_id: str, blocked: bool) -> None:
        """The messenger told us the person blocked (or unblocked) the bot."""
        ...


class Onboarding(Protocol):
    async def choose_role(self, person_id: int, role: Role, age_band: AgeBand) -> Person:
        """Record who the person is and their age band: the minimum needed to run the consent procedure."""
        ...


class Consents(Protocol):
    async def give_own_consent(self, person_id: int, *, version: str, channel: str) -> Person:
        """The person consents for themselves (14 and over)."""
        ...

    async def decline(self, person_id: int) -> Person:
        """The person refuses consent: anything personal already kept is removed."""
        ...

    async def await_guardian(self, person_id: int) -> Person:
        """A child under 14 asks a parent to consent; until then nothing personal is stored."""
        ...

    async def consents_of(self, person_id: int) -> list[Consent]: ...

    async def consents_given(self, guardian_id: int) -> list[GivenConsent]:
        """Consents and confirmations the guardian gave for children (what the guardian may withdraw)."""
        ...

    async def withdraw_given_consent(
        self, guardian_id: int, child_id: int, *, told: GuardianNotices | None = None
    ) -> bool:
        """The guardian withdraws what they gave for the child; a child under 14 waits for a parent
        again, their data deleted, and is told. False when there was nothing to withdraw."""
        ...


class Guardians(Protocol):
    async def create_invite(self, child_id: int, purpose: InvitePurpose, ttl: timedelta) -> Invite:
        """A one-time code the child passes to a parent; older open codes of that purpose stop working."""
        ...

    async def find_invite(self, code: str) -> Invite | None: ...

    async def answer_invite(
        self,
        code: str,
        guardian_id: int,
        *,
        accept: bool,
        version: str,
        channel: str,
        told: GuardianNotices | None = None,
    ) -> InviteAnswer:
        """The parent answers; accepting records the guardian's consent or confirmation and links them.
        With ``told`` the child is told the answer through the outbox, in the same transaction.

        Raises InviteNotFound, InviteExpired, InviteUsed, OwnInvite, NotAGuardian.
        """
        ...

    async def children_of(self, guardian_id: int) -> list[LinkedPerson]: ...

    async def guardians_of(self, child_id: int) -> list[LinkedPerson]: ...

    async def unlink(
        self, guardian_id: int, child_id: int, *, actor_id: int, told: GuardianNotices | None = None
    ) -> bool:
        """Either side may remove a link; returns False when there was none. What the guardian gave for
        the child ends with it, and the other side is told (``told``)."""
        ...


class Profiles(Protocol):
    async def get_profile(self, person_id: int) -> Profile: ...

    async def save_profile(self, person_id: int, changes: Mapping[str, Any]) -> Profile:
        """Store validated profile fields in one transaction. Raises ConsentRequired without consent."""
        ...


class PersonalData(Protocol):
    async def export(self, person_id: int) -> dict[str, Any]:
        """Everything stored about the person, as JSON-ready data."""
        ...

    async def erase(self, person_id: int, *, reason: str, told: GuardianNotices | None = None) -> None:
        """Delete personal data, accounts and links; keep only anonymous counters and an audit line.
        Their name leaves other people's outbox rows; consents they gave for children end (``told``)."""
        ...


class NotificationPreferences(Protocol):
    async def notification_settings(self, person_id: int) -> NotificationSettings: ...

    async def set_delivery_mode(self, person_id: int, category: Category, mode: DeliveryMode) -> None:
        """The person's choice for one category. Raises ConsentRequired before consent."""
        ...

    async def set_quiet_hours(self, person_id: int, quiet: QuietHours | None) -> None:
        """Own quiet hours, or None to return to the default for the person's age."""
        ...


@dataclass(frozen=True, slots=True)
class StoredConversation:
    blob: str
    version: int


@dataclass(frozen=True, slots=True)
class Receipt:
    """One inbound update as the messenger numbered it. ``source`` names the bot: ids are per bot, and
    Telegram may restart them, so a receipt is remembered as an id, never as "the highest id seen"."""

    source: str
    update_id: int


class ConversationStore(Protocol):
    """Conversation state kept between messages, as an opaque blob with an optimistic version.

    A turn may carry the ``Receipt`` of the update that caused it: the store then records the receipt in
    the same atomic write as the state, so a redelivered update is recognised exactly when its effect on
    the conversation was kept (no "claimed but lost" window), and two deliveries racing each other commit
    once (the store decides; the loser raises DuplicateUpdate and writes nothing).

    The receipt also keeps the turn's ``replies`` (opaque text) until the transport calls
    ``replies_sent``: a redelivery of a turn whose replies never left finds them with
    ``unsent_replies``, and a sweep finds the ones no redelivery will come for with ``unsent``.
    """

    async def load(self, key: str) -> StoredConversation | None: ...

    async def save(
        self,
        key: str,
        blob: str,
        expected_version: int,
        receipt: Receipt | None = None,
        replies: str | None = None,
    ) -> int:
        """Store ``blob`` if the stored version is still ``expected_version`` (0: nothing stored yet).

        Returns the new version; raises ConversationConflict if someone else saved in between, and
        DuplicateUpdate if ``receipt`` was recorded before. Either way nothing is written.
        """
        ...

    async def delete(self, key: str, receipt: Receipt | None = None, replies: str | None = None) -> None:
        """Forget the conversation; with ``receipt`` as ``save`` does (DuplicateUpdate, nothing deleted)."""
        ...

    async def record(self, receipt: Receipt, replies: str | None = None) -> None:
        """Record the receipt of a turn that changed no state; DuplicateUpdate if it was recorded before."""
        ...

    async def handled(self, receipt: Receipt) -> bool:
        """Whether a turn with this receipt was committed (receipts are kept at least 24 hours)."""
        ...

    async def unsent_replies(self, receipt: Receipt) -> str | None:
        """The replies of a committed turn that were not yet reported sent; None when sent or unknown."""
        ...

    async def replies_sent(self, receipt: Receipt) -> None:
        """The messenger took the turn's replies: forget them."""
        ...

    async def unsent(self, source: str, before: datetime, limit: int = 100) -> list[tuple[Receipt, str]]:
        """Turns of ``source`` recorded before ``before`` whose replies were never reported sent, oldest
        first."""
        ...


class CareerTests(Protocol):
    """Career-test attempts: answers are saved one by one, so a test resumes where it stopped."""

    async def start_attempt(self, person_id: int, instrument: str, version: str) -> CareerAttempt:
        """A new attempt; an unfinished one of the same test is abandoned. Raises ConsentRequired."""
        ...

    async def open_attempt(self, person_id: int, instrument: str) -> CareerAttempt | None: ...

    async def attempt(self, person_id: int, attempt_id: int) -> CareerAttempt | None:
        """The person's own attempt by id (None for someone else's or an unknown one)."""
        ...

    async def attempts_of(self, person_id: int) -> list[CareerAttempt]:
        """Every attempt of the person, newest first."""
        ...

    async def record_answer(
        self, person_id: int, attempt_id: int, index: int, key: str
    ) -> CareerAttempt | None:
        """Answer item ``index``; None when the attempt is not open or that item is not the next one."""
        ...

    async def step_back(self, person_id: int, attempt_id: int) -> CareerAttempt | None:
        """Forget the last answer (to change it); None when the attempt is not open."""
        ...

    async def complete_attempt(
        self, person_id: int, attempt_id: int, outcome: CareerOutcome
    ) -> CareerAttempt | None: ...

    async def abandon_attempt(self, person_id: int, attempt_id: int) -> bool: ...

    async def share_career(self, person_id: int, allowed: bool) -> None:
        """Whether linked parents may see the latest result summary. Raises ConsentRequired."""
        ...

    async def career_shared(self, person_id: int) -> bool: ...

    async def children_career(self, guardian_id: int) -> list[ChildCareer]: ...


class InDemand(Protocol):
    async def in_demand_list(self) -> InDemandList | None:
        """The imported list, or None while the operator has not imported one."""
        ...

    async def replace_in_demand(self, ids: frozenset[str], source: str) -> int:
        """Replace the whole list in one transaction; returns how many professions it holds."""
        ...


class CareerReports(Protocol):
    async def career_report(self) -> CareerReport:
        """Aggregate figures for operators; nothing in them identifies a person."""
        ...


class AskCounts(Protocol):
    """What people ask in free text, for operators: counts only, never the text or who wrote it."""

    async def count_ask(self, intent: str, band: AskBand) -> None:
        """One more free-text message understood as ``intent`` with ``band`` today (a UTC day)."""
        ...

    async def ask_counts(self, since: date) -> list[AskCount]:
        """Counts per day, intent and band from the UTC day ``since`` on, oldest first."""
        ...


class Events(Protocol):
    """«Профтуры и профпробы» for the people who sign up."""

    async def upcoming_events(
        self,
        person_id: int,
        *,
        municipality: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 5,
        offset: int = 0,
    ) -> list[Event]:
        """Scheduled, not started, with free places, for the person's role: their municipality first."""
        ...

    async def event(self, event_id: int) -> Event | None: ...

    async def sign_up(self, person_id: int, event_id: int) -> SignupOutcome:
        """Idempotent; capacity enforced in the store. Raises ConsentRequired and EventNotFound."""
        ...

    async def cancel_signup(self, person_id: int, event_id: int) -> bool: ...

    async def signups_of(self, person_id: int, *, active_only: bool = True) -> list[Signup]: ...


class EventCatalogue(Protocol):
    """Operators and the catalogue: each call checks the role in its own transaction (NotOperator)."""

    async def list_events(self, actor: Actor, *, include_past: bool = False) -> list[Event]: ...

    async def create_event(self, actor: Actor, draft: EventDraft) -> Event: ...

    async def move_event(
        self,
        actor: Actor,
        event_id: int,
        starts_at: datetime,
        ends_at: datetime | None = None,
        *,
        address: str | None = None,
        municipality_code: str | None = None,
    ) -> Event:
        """New time or place: version + 1. EventNotFound, EventClosed, BadEvent."""
        ...

    async def cancel_event(self, actor: Actor, event_id: int) -> Event:
        """Version + 1; the sign-ups stay, so the people can be told. EventNotFound, EventClosed."""
        ...

    async def import_events(self, actor: Actor, drafts: Sequence[EventDraft]) -> ImportResult:
        """Idempotent by external id, all or nothing."""
        ...


class EventReminderSources(Protocol):
    async def reminder_targets(
        self, *, starting_before: datetime, cancelled_since: datetime, moved_since: datetime | None = None
    ) -> list[ReminderTarget]:
        """Active sign-ups of events not started yet: scheduled ones starting before ``starting_before``
        or moved since ``moved_since``, and ones cancelled since ``cancelled_since``, with the person's
        linked parents and the event's moves since the sign-up."""
        ...


class Records(
    Accounts,
    Onboarding,
    Consents,
    Guardians,
    Profiles,
    PersonalData,
    CareerTests,
    InDemand,
    CareerReports,
    NotificationPreferences,
    AskCounts,
    Events,
    Protocol,
):
    """Everything the conversations need from the core records (the embedded store implements it all)."""


class UpdateJournal(Protocol):
    """The receipts of handled inbound updates (``ConversationStore`` records them with each turn)."""

    async def prune(self, before: datetime) -> int:  # receipts, their unsent replies and press keys
        """Drop receipts older than ``before`` (Telegram keeps updates for 24 hours)."""
        ...


class Outbox(Protocol):
    """Durable proactive messages: one row per message to one channel account, sent by relays."""

    async def enqueue(self, notices: Sequence[Notice]) -> int:
        """Store notices for every unblocked account of each person; known keys are skipped. Rows added."""
        ...

    async def claim(
        self,
        *,
        owner: str,
        limit: int,
        lease: timedelta,
        channels: Collection[str] | None = None,
        chats: Collection[str] | None = None,
    ) -> list[OutgoingMessage]:
        """Take up to ``limit`` due rows for ``lease``: pending ones whose time came, and rows whose relay
        died (lease expired). Highest priority first. ``channels``: only rows for these messengers (a
        relay takes only what it can send; None: every channel); ``chats``: only rows for these chat ids
        (a terminal chat's relay serves its own account and leaves the others to their terminals)."""
        ...

    async def start_sending(self, message_id: int, *, owner: str) -> bool:
        """Mark the messenger call as under way; False when the row was withdrawn or the lease lost."""
        ...

    async def start_sending_many(self, message_ids: Sequence[int], *, owner: str) -> set[int]:
        """The same for a wave of rows at once; the ids that may be sent."""
        ...

    async def delivered(self, message_id: int, *, owner: str, sent_message_id: str | None) -> None: ...

    async def delivered_many(self, rows: Sequence[tuple[int, str | None]], *, owner: str) -> None:
        """Record a wave's deliveries: (row id, the messenger's message id) pairs."""
        ...

    async def finish(self, message_id: int, status: OutboxStatus, *, owner: str, reason: str = "") -> None:
        """A final outcome other than delivery: blocked, failed (with the reason), cancelled, expired."""
        ...

    async def postpone(self, message_id: int, *, owner: str, until: datetime, reason: str = "") -> None:
        """Give a claimed row back, due again at ``until`` (quiet hours, a pause, a retry)."""
        ...

    async def release(self, message_ids: Sequence[int], *, owner: str) -> int:
        """Give back at once the rows among these that ``owner`` claimed and has not started sending
        (its relay failed or stops), in their place in the queue; how many went back."""
        ...

    async def absorb_digest(self, message_id: int, *, owner: str, header: str, limit: int) -> str | None:
        """Fold the chat's other rows waiting for the digest hour into this claimed one; the new text."""
        ...

    async def stop_account(self, channel: str, chat_id: str, *, reason: str) -> int:
        """The person blocked the bot: every pending row for that chat ends as blocked."""
        ...

    async def cancel(self, keys: Iterable[str] = (), *, campaign_id: int | None = None) -> int:
        """Withdraw rows not yet sent, by notice key or by campaign."""
        ...

    async def pending_keys(self, prefix: str) -> set[str]:
        """Keys of notices under ``prefix`` with a row not sent yet (for rules to withdraw stale ones)."""
        ...

    async def counts(self, *, campaign_id: int | None = None) -> dict[str, int]: ...

    async def failures(self, *, campaign_id: int | None = None) -> dict[str, int]: ...

    async def next_due(self) -> datetime | None: ...

    async def forget_texts(self, finished_before: datetime, limit: int = 1000) -> int:
        """Blank the text of rows that ended before ``finished_before`` (retention); rows blanked."""
        ...


class Leases(Protocol):
    async def hold(self, name: str, holder: str, ttl: timedelta) -> bool:
        """Take or renew the named lease for ``ttl``; False while someone else holds it."""
        ...

    async def let_go(self, name: str, holder: str) -> None: ...


class Broadcasts(Protocol):
    """Operators and what they send. Every method taking an ``Actor`` checks the operator role in its own
    transaction (NotOperator) and writes the audit line there."""

    async def is_operator(self, channel: str, account_id: str) -> bool: ...

    async def grant_operator(self, channel: str, account_id: str, *, by: str) -> bool: ...

    async def revoke_operator(self, channel: str, account_id: str, *, by: str) -> bool: ...

    async def operator_accounts(self) -> list[tuple[str, str]]: ...

    async def audience_size(self, actor: Actor, audience: Audience) -> int: ...

    async def create_campaign(self, actor: Actor, draft: CampaignDraft) -> Campaign: ...

    async def campaign(self, actor: Actor, campaign_id: int) -> CampaignStats | None: ...

    async def recent_campaigns(self, actor: Actor, *, limit: int = 10) -> list[Campaign]: ...

    async def cancel_campaign(self, actor: Actor, campaign_id: int) -> int:
        """Withdraws what is not sent yet; CampaignClosed when it was already cancelled."""
        ...

    async def start_due_campaigns(self, *, limit: int = 10) -> list[int]:
        """Fan out campaigns whose time came; the ids started."""
        ...

    async def plan_maintenance(
        self, actor: Actor, starts_at: datetime, ends_at: datetime, texts: MaintenanceTexts
    ) -> SystemMessage:
        """NoticeTooShort unless announced 3 working days ahead; BadWindow for an empty or past window."""
        ...

    async def announce_emergency(self, actor: Actor, text: str) -> SystemMessage: ...

    async def cancel_system_message(
        self, actor: Actor, message_id: int, *, works_off: str, resolved: str | None = None
    ) -> bool:
        """Call a system message off; False when there is no open one with that id. Planned works: their
        reminders are withdrawn and, when people were told, ``works_off`` goes to everyone. An emergency:
        what has not gone yet is withdrawn and, only when given, ``resolved`` goes to everyone."""
        ...

    async def system_messages(self) -> list[SystemMessage]: ...

    async def maintenance_windows(self) -> list[tuple[datetime, datetime]]: ...


class ReminderSources(Protocol):
    """What reminder rules read from the records."""

    async def unfinished_starts(
        self, started_after: datetime, started_before: datetime
    ) -> list[tuple[int, str]]:
        """(person_id, "onboarding" | "profile") of people who began in the window and did not finish."""
        ...
