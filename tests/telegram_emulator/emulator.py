"""TelegramEmulator: the Bot API on loopback for the real aiogram client, plus the handles tests drive it by.

    async with TelegramEmulator() as telegram:
        bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(telegram.base_url)))
        user = telegram.user(42)
        user.start()                      # queued for getUpdates, or POSTed to the webhook
        ...                               # the bot answers
        await telegram.wait_for(lambda: user.seen("Здравствуйте"))

Stricter than Telegram on purpose: with the spec file (``../shared/specs/telegram/api.json``) an unknown
parameter or nested field is refused with 400 "Bad Request: unknown parameter <name>".
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from aiohttp import web

from tests.telegram_emulator.faults import DISCONNECT, Faults
from tests.telegram_emulator.limits import RateLimits
from tests.telegram_emulator.methods import commands_key
from tests.telegram_emulator.server import ApiCall, BotApiServer
from tests.telegram_emulator.spec import DEFAULT_SPEC, BotApiSpec
from tests.telegram_emulator.state import Chat, SentDocument, SentMessage, State, WebhookInfo
from tests.telegram_emulator.user import EmulatedUser
from tests.telegram_emulator.webhook import WebhookDelivery


@functools.cache
def _load_spec(path: Path) -> BotApiSpec:
    return BotApiSpec.load(path)  # read-only once built: one parse per test session


class TelegramEmulator:
    def __init__(
        self,
        token: str = "123456:TEST-token",
        *,
        spec_path: Path | Literal["auto"] | None = "auto",
        clock: Callable[[], float] | None = None,
        rate_limits: bool = False,
        webhook_backoff: float = 0.05,
        webhook_attempts: int = 5,
    ) -> None:
        """``spec_path``: "auto" loads ``../shared/specs/telegram/api.json`` beside the repository when it
        exists; None uses only the built-in checks. ``clock``: seconds as a float for rate limits
        (default ``time.monotonic``; see ``ManualSeconds`` and ``advance``). ``webhook_backoff`` and
        ``webhook_attempts``: the first retry delay (doubling) and the attempts per update."""
        if spec_path == "auto":
            spec_path = DEFAULT_SPEC if DEFAULT_SPEC.exists() else None
        self.spec = _load_spec(spec_path.resolve()) if spec_path is not None else BotApiSpec.builtin()
        self.token = token
        self.state = State(token, clock or time.monotonic)
        if rate_limits:
            self.state.limits = RateLimits(self.state.now)
        self._faults = Faults()
        self._server = BotApiServer(token, self.spec, self.state, self._faults)
        self._delivery = WebhookDelivery(self.state, backoff=webhook_backoff, attempts=webhook_attempts)
        self._delivery_task: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self._users: dict[int, EmulatedUser] = {}
        self.base_url = ""

    # -- lifecycle ------------------------------------------------------------------------------------
    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port; ``base_url`` says where."""
        # handler_cancellation: a long poll whose client went away stops at once instead of lingering.
        self._runner = web.AppRunner(
            self._server.app(), access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        self._delivery_task = asyncio.create_task(self._delivery.run())

    async def stop(self) -> None:
        self.state.closing = True
        self.state.changed.notify()
        if self._delivery_task is not None:
            self._delivery_task.cancel()
            await asyncio.gather(self._delivery_task, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> TelegramEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- the people's side ----------------------------------------------------------------------------
    def user(
        self, user_id: int, first_name: str = "Тест", *, language_code: str = "ru", started: bool = False
    ) -> EmulatedUser:
        """A person in a private chat with the bot (the same driver for the same id). The bot may write
        only after the person wrote (403 "bot can't initiate conversation" before); ``started=True`` makes
        it as if they pressed Start earlier."""
        if user_id not in self._users:
            self.state.add_user(user_id, first_name, language_code)
            self._users[user_id] = EmulatedUser(self, user_id)
        if started:
            self.state.chats[user_id].opened = True
        return self._users[user_id]

    def group(self, chat_id: int, title: str = "Группа") -> None:
        """A group the bot is a member of (chat ids of groups are negative)."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        self.state.chats[chat_id] = Chat(chat_id, "group", title, opened=True)

    def inject_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update (without update_id) for getUpdates or the webhook; returns its update_id.
        Its chat becomes known, as after a message. Kinds the bot did not ask for (allowed_updates, by
        default chat_member and reactions) are dropped on arrival, as Telegram does."""
        self.state.learn(update)
        return self.state.add_update(update)

    def repeat_update(self, update_id: int) -> None:
        """Deliver an update again with the same id, as Telegram does after a webhook timeout."""
        for update in self.state.updates.delivered:
            if update["update_id"] == update_id:
                self.state.updates.requeue(update)
                self.state.changed.notify()
                return
        raise KeyError(f"update {update_id} was never delivered")

    def block_by_user(self, user_id: int) -> None:
        """Later sends to the chat get 403 "bot was blocked by the user"; a my_chat_member update
        (kicked) is queued."""
        chat = self.state.chats[user_id]
        if not chat.blocked:
            chat.blocked = True
            self.state.member_update(user_id, "member", "kicked")

    def unblock_by_user(self, user_id: int) -> None:
        chat = self.state.chats[user_id]
        if chat.blocked:
            chat.blocked = False
            self.state.member_update(user_id, "kicked", "member")

    # -- what happened --------------------------------------------------------------------------------
    @property
    def calls(self) -> list[ApiCall]:
        """Every API call received, answered or refused, in order."""
        return self._server.calls

    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def transcript(self, chat_id: int, *, include_user: bool = False) -> list[SentMessage]:
        """The bot's messages as the chat shows them now (edits applied, deleted ones gone), oldest
        first; with ``include_user`` the person's own messages too."""
        chat = self.state.chats.get(chat_id)
        return chat.view(include_user=include_user) if chat else []

    @property
    def webhook(self) -> WebhookInfo | None:
        return self.state.webhook

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Updates queued and not yet confirmed (getUpdates offset) or delivered (webhook)."""
        return list(self.state.updates.pending)

    @property
    def delivered(self) -> list[dict[str, Any]]:
        """Every update handed out at least once, by getUpdates or to the webhook."""
        return self.state.updates.delivered

    @property
    def dropped_updates(self) -> list[dict[str, Any]]:
        """Updates the webhook delivery gave up on after its last attempt."""
        return self._delivery.dropped

    @property
    def commands(self) -> list[dict[str, Any]]:
        """The default-scope command menu (setMyCommands without scope and language)."""
        return self.state.commands.get(commands_key(), [])

    @property
    def documents(self) -> dict[str, SentDocument]:
        """Every file the bot sent, by file_id."""
        return self.state.documents

    @property
    def callback_answers(self) -> dict[str, dict[str, Any]]:
        """answerCallbackQuery parameters by callback query id."""
        return self.state.callback_answers

    # -- faults and time ------------------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """The next ``times`` calls of ``method`` (to ``chat_id`` only, if given) get this error instead
        of their effect; e.g. 429 with retry_after, 403 blocked, 400 chat not found, 502 Bad Gateway."""
        self._faults.add(method, status, description, retry_after, times, chat_id)

    def disconnect_next(self, method: str, *, times: int = 1, chat_id: int | None = None) -> None:
        """The next ``times`` calls of ``method`` (to ``chat_id`` only, if given) have their connection
        closed without an answer and without their effect (aiogram raises TelegramNetworkError)."""
        self._faults.add(method, DISCONNECT, "", None, times, chat_id)

    def advance(self, seconds: float) -> None:
        """Move the emulator's clock (rate limits) forward, whatever clock it was given."""
        self.state.skew += seconds

    async def wait_for(self, predicate: Callable[[], object], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Poll ``predicate`` until it is true; AssertionError after ``timeout`` seconds (a bound for a
        stuck test, not a timing assertion)."""
        try:
            async with asyncio.timeout(timeout):
                while not predicate():  # noqa: ASYNC110 - the state changes in other tasks; polling is simplest
                    await asyncio.sleep(0.01)
        except TimeoutError:
            raise AssertionError(f"the emulator did not reach the expected state in {timeout} s") from None
