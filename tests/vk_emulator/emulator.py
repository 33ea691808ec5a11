"""VkEmulator: the VK API on loopback for the real vkbottle client, plus the handles tests drive it by.

    async with VkEmulator() as vk:
        api = API(vk.token); api.API_URL = vk.api_url
        user = vk.user(42)
        user.send("Начать")             # an event for Long Poll (and the Callback API, when confirmed)
        ...                             # the bot answers
        await vk.wait_for(lambda: user.seen("Здравствуйте"))

Stricter than VK on purpose: with the schema (``../shared/specs/vk/``) an unknown parameter is refused
with error 100, where VK would ignore it.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from aiohttp import web

from tests.vk_emulator.callback import CallbackDelivery, CallbackServer
from tests.vk_emulator.limits import RequestLimit
from tests.vk_emulator.server import DISCONNECT, ApiCall, Fault, VkApiServer
from tests.vk_emulator.spec import DEFAULT_SPEC, VkApiSpec
from tests.vk_emulator.state import DialogMessage, State
from tests.vk_emulator.user import VkUser


@functools.cache
def _load_spec(path: Path) -> VkApiSpec:
    return VkApiSpec.load(path)


class VkEmulator:
    def __init__(
        self,
        token: str = "vk1.a.test-community-token",
        *,
        group_id: int = 1,
        screen_name: str = "frontdoor_test",
        spec_path: Path | Literal["auto"] | None = "auto",
        clock: Callable[[], float] | None = None,
        rate_limits: bool = False,
        callback_backoff: float = 0.05,
        callback_attempts: int = 5,
    ) -> None:
        """``spec_path``: "auto" loads ``../shared/specs/vk`` beside the repository when it exists; None
        uses the built-in table. ``clock``: seconds for rate limits and event ages (``ManualSeconds``)."""
        if spec_path == "auto":
            spec_path = DEFAULT_SPEC if DEFAULT_SPEC.exists() else None
        self.spec = _load_spec(spec_path.resolve()) if spec_path is not None else VkApiSpec.builtin()
        self.token = token
        self.group_id = group_id
        self.state = State(token, group_id, screen_name, clock or time.monotonic)
        self._server = VkApiServer(self.spec, self.state)
        if rate_limits:
            self._server.limit = RequestLimit(self.state.now)
        self._callback = CallbackDelivery(self.state, backoff=callback_backoff, attempts=callback_attempts)
        self._tasks: list[asyncio.Task[None]] = []
        self._runner: web.AppRunner | None = None
        self._users: dict[int, VkUser] = {}
        self.base_url = ""

    @property
    def api_url(self) -> str:
        """What vkbottle's ``API.API_URL`` should be (method names are appended)."""
        return f"{self.base_url}/method/"

    # -- lifecycle ------------------------------------------------------------------------------------
    async def start(self) -> None:
        self._runner = web.AppRunner(
            self._server.app(), access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        self._server.base_url = self.base_url
        self._tasks.append(asyncio.create_task(self._callback.run()))

    async def stop(self) -> None:
        self.state.closing = True
        self.state.changed.notify()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> VkEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- the people's side ----------------------------------------------------------------------------
    def user(self, user_id: int, first_name: str = "Тест") -> VkUser:
        if user_id not in self._users:
            self.state.person(user_id, first_name)
            self._users[user_id] = VkUser(self, user_id)
        return self._users[user_id]

    def inject_event(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        """Any raw event, e.g. a type the bot does not handle."""
        return self.state.add_event(kind, obj)

    # -- the Callback API -----------------------------------------------------------------------------
    @property
    def confirmation(self) -> str:
        return self.state.confirmation

    async def use_callback(self, url: str, secret: str | None) -> bool:
        """Confirm ``url`` as the community's Callback API server (the handshake); from then on every
        new event is POSTed there. False when the server did not answer the confirmation string."""
        return await self._callback.confirm(url, secret)

    def redeliver(self, event: dict[str, Any]) -> None:
        """POST an event once more, as VK does when it did not get "ok" in time."""
        self._callback.deliver_again(event)

    @property
    def callback(self) -> CallbackServer | None:
        return self._callback.server

    # -- what happened --------------------------------------------------------------------------------
    @property
    def calls(self) -> list[ApiCall]:
        return self._server.calls

    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    def transcript(self, user_id: int) -> list[DialogMessage]:
        person = self.state.people.get(user_id)
        return [m for m in person.messages if m.from_bot] if person else []

    # -- faults and time ------------------------------------------------------------------------------
    def fail_next(self, method: str, *, code: int, times: int = 1, peer_id: int | None = None) -> None:
        """The next ``times`` calls of ``method`` (to ``peer_id`` only, if given) get VK error ``code``
        (6 too many requests, 9 flood, 10 internal, 901 no permission...) instead of their effect."""
        if times < 1:
            raise ValueError("times must be at least 1")
        self._server.faults.append(Fault(method, code, times, peer_id))

    def disconnect_next(self, method: str, *, times: int = 1, peer_id: int | None = None) -> None:
        """The next ``times`` calls of ``method`` (to ``peer_id`` only, if given) have their connection
        closed without an answer and without their effect (the client gets aiohttp's ClientError)."""
        self.fail_next(method, code=DISCONNECT, times=times, peer_id=peer_id)

    def fail_long_poll(self, *codes: int) -> None:
        """The next a_check requests answer ``{"failed": code}``: 1 history outdated (with a new ts),
        2 key expired, 3 information lost (both invalidate the key)."""
        self.state.lp_failures.extend(codes)

    def forget_history(self) -> None:
        """Drop the event history, as VK does after a while: an older ``ts`` gets ``failed: 1``."""
        self.state.forget_history()

    def advance(self, seconds: float) -> None:
        self.state.skew += seconds

    async def wait_for(self, predicate: Callable[[], object], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Poll ``predicate`` until true; AssertionError after ``timeout`` (a bound, not a timing check)."""
        try:
            async with asyncio.timeout(timeout):
                while not predicate():  # noqa: ASYNC110 - the state changes in other tasks
                    await asyncio.sleep(0.01)
        except TimeoutError:
            raise AssertionError(f"the emulator did not reach the expected state in {timeout} s") from None
