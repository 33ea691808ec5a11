"""Webhook delivery as the Bot API server does it (``WebhookActor.cpp``): updates are POSTed as JSON with the
secret header, one at a time per chat and in order, several chats at once (up to max_connections); a
non-2xx answer or a connection error is retried with doubling backoff (short, for tests) and the update is
dropped after the last attempt. Failures are recorded as the webhook's last_error_date/message."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import ClientConnectorError, ClientError, ClientSession, ClientTimeout

from tests.telegram_emulator.state import State, WebhookInfo, now_date, update_chat

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookDelivery:
    def __init__(self, state: State, *, backoff: float, attempts: int, timeout: float = 10.0) -> None:
        self._state = state
        self._backoff = backoff
        self._attempts = max(1, attempts)
        self._timeout = timeout
        self._busy: set[int] = set()  # chats with a delivery in flight
        self._tasks: set[asyncio.Task[None]] = set()
        self.dropped: list[dict[str, Any]] = []  # updates given up on after the last attempt

    async def run(self) -> None:
        """For the emulator's lifetime: start the deliveries that may go whenever anything changes."""
        async with ClientSession(timeout=ClientTimeout(total=self._timeout)) as session:
            try:
                while True:
                    self._start_ready(session)
                    await self._state.changed.wait()
            finally:
                for task in self._tasks:
                    task.cancel()
                await asyncio.gather(*self._tasks, return_exceptions=True)

    def _start_ready(self, session: ClientSession) -> None:
        hook = self._state.webhook
        if hook is None:
            return
        seen: set[int] = set()
        for update in list(self._state.updates.pending):
            chat = update_chat(update)
            if chat in seen:  # only the oldest pending update of a chat may go
                continue
            seen.add(chat)
            if chat in self._busy:
                continue
            if len(self._busy) >= hook.max_connections:
                break
            self._busy.add(chat)
            task = asyncio.create_task(self._deliver(session, hook, update, chat))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _deliver(
        self, session: ClientSession, hook: WebhookInfo, update: dict[str, Any], chat: int
    ) -> None:
        queue = self._state.updates
        try:
            delay = self._backoff
            for attempt in range(self._attempts):
                if self._state.webhook is not hook:
                    return  # deleted or replaced: the update stays queued for what comes next
                queue.handed_out([update])
                if await self._post(session, hook, update):
                    queue.remove(update)
                    return
                if attempt + 1 < self._attempts:
                    await asyncio.sleep(delay)
                    delay *= 2
            queue.remove(update)
            self.dropped.append(update)
        finally:
            self._busy.discard(chat)
            self._state.changed.notify()  # the chat's next update may go now

    async def _post(self, session: ClientSession, hook: WebhookInfo, update: dict[str, Any]) -> bool:
        headers = {SECRET_HEADER: hook.secret_token} if hook.secret_token else None
        try:
            async with session.post(hook.url, json=update, headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return True
                message = f"Wrong response from the webhook: {response.status} {response.reason}"
        except TimeoutError:
            message = "Read timeout expired"
        except ClientConnectorError:
            message = "Connection refused"
        except (ClientError, OSError) as error:
            message = f"Connection failed: {type(error).__name__}"
        hook.last_error_date = now_date()
        hook.last_error_message = message
        return False
