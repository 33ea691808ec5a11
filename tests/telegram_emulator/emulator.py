"""A Telegram Bot API emulator on loopback that the real aiogram client talks to over HTTP.

It answers with Telegram's envelopes and HTTP statuses, keeps per-chat transcripts, queues updates for
getUpdates or POSTs them to a webhook, enforces the documented size limits, can inject faults, and can
enforce broadcast rate limits on an injectable clock.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import ClientSession, ClientTimeout, web

from tests.telegram_emulator.limits import RateLimits
from tests.telegram_emulator.spec import DEFAULT_SPEC, BotApiSpec

if TYPE_CHECKING:
    from tests.telegram_emulator.user import EmulatedUser

BOT_ID = 123456
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Frontdoor", "username": "frontdoor_test_bot"}
SECRET_ALPHABET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook "
    "first"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
# Parameters that stay text even when they look like numbers or JSON.
TEXT_PARAMS = {"text", "caption", "callback_query_id", "secret_token", "url", "description", "file_name"}


def _member(status: str) -> dict[str, Any]:
    return {"status": status, "user": BOT_USER} | ({"until_date": 0} if status == "kicked" else {})


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


@dataclass(slots=True)
class ApiCall:
    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any]


@dataclass(slots=True)
class Fault:
    method: str
    status: int
    description: str
    retry_after: int | None
    times: int
    chat_id: int | None


@dataclass(slots=True)
class WebhookInfo:
    url: str
    secret_token: str | None
    allowed_updates: list[str] | None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass(slots=True)
class Chat:
    id: int
    first_name: str
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)  # bot messages as shown now
    next_id: int = 1


@dataclass(slots=True)
class SentDocument:
    file_name: str
    content: bytes
    mime_type: str


class TelegramEmulator:
    def __init__(
        self,
        token: str = "123456:TEST-token",
        *,
        spec_path: Path | None = DEFAULT_SPEC,
        clock: Callable[[], float] | None = None,
        rate_limits: bool = False,
        webhook_backoff: float = 0.05,
        webhook_attempts: int = 6,
    ) -> None:
        self.token = token
        self.spec = BotApiSpec.load(spec_path) if spec_path is not None and spec_path.exists() else None
        self.clock = clock or time.monotonic
        self.limits = RateLimits(self.clock) if rate_limits else None
        self.calls: list[ApiCall] = []
        self.webhook: WebhookInfo | None = None
        self.commands: list[dict[str, str]] = []
        self.documents: dict[str, SentDocument] = {}
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self._chats: dict[int, Chat] = {}
        self._blocked: set[int] = set()
        self._faults: list[Fault] = []
        self._pending: list[dict[str, Any]] = []
        self.delivered: list[dict[str, Any]] = []  # every update handed out, for repeat_update()
        self._update_ids = itertools.count(random.randint(1_000, 1_000_000))  # like Telegram: any start
        self._arrived = asyncio.Event()
        self._callback_ids = itertools.count(1)
        self._callbacks: dict[str, int] = {}  # open callback query id -> user id
        self._webhook_task: asyncio.Task[None] | None = None
        self._backoff, self._attempts = webhook_backoff, webhook_attempts
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # -- lifecycle ----------------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=60 * 2**20)
        app.router.add_route("*", "/bot{token}/{method}", self._route)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._webhook_task:
            self._webhook_task.cancel()
            await asyncio.gather(self._webhook_task, return_exceptions=True)
        if self._runner:
            await self._runner.cleanup()

    async def __aenter__(self) -> TelegramEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- the user side ------------------------------------------------------------------------------
    def user(self, user_id: int, first_name: str = "Тест") -> EmulatedUser:
        from tests.telegram_emulator.user import EmulatedUser  # the driver needs the emulator: import late

        self._chats.setdefault(user_id, Chat(user_id, first_name))
        return EmulatedUser(self, user_id, first_name)

    def chat(self, chat_id: int) -> Chat:
        return self._chats[chat_id]

    def inject_update(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self._pending.append({"update_id": update_id, **update})
        self._arrived.set()
        if self.webhook:
            self._kick_webhook()
        return update_id

    def repeat_update(self, update_id: int) -> None:
        """Deliver an update again with the same id, as Telegram does after a webhook timeout."""
        for call in self.delivered:
            if call["update_id"] == update_id:
                self._pending.append(call)
                self._arrived.set()
                if self.webhook:
                    self._kick_webhook()
                return
        raise KeyError(update_id)

    def block_by_user(self, user_id: int) -> None:
        self._blocked.add(user_id)
        self._member_update(user_id, "member", "kicked")

    def unblock_by_user(self, user_id: int) -> None:
        self._blocked.discard(user_id)
        self._member_update(user_id, "kicked", "member")

    def _member_update(self, user_id: int, old: str, new: str) -> None:
        chat = self._chats[user_id]
        user = {"id": user_id, "is_bot": False, "first_name": chat.first_name}
        self.inject_update(
            {
                "my_chat_member": {
                    "chat": {"id": user_id, "type": "private", "first_name": chat.first_name},
                    "from": user,
                    "date": int(time.time()),
                    "old_chat_member": _member(old),
                    "new_chat_member": _member(new),
                }
            }
        )

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
        self._faults.append(Fault(method.lower(), status, description, retry_after, times, chat_id))

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def transcript(self, chat_id: int) -> list[dict[str, Any]]:
        chat = self._chats.get(chat_id)
        return [chat.messages[k] for k in sorted(chat.messages)] if chat else []

    async def wait_for(self, predicate: Callable[[], bool], seconds: float = 5.0) -> None:
        """Poll ``predicate`` until true; fails after ``seconds`` (a bound, not a timing assertion)."""
        try:
            async with asyncio.timeout(seconds):
                while not predicate():  # noqa: ASYNC110 - the state changes in another task, no event to wait on
                    await asyncio.sleep(0.01)
        except TimeoutError:
            raise AssertionError("the emulator did not reach the expected state") from None

    # -- HTTP ---------------------------------------------------------------------------------------
    async def _route(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return self._error_response(method, {}, ApiError(401, "Unauthorized"))
        params = await self._params(request)
        try:
            result = await self._call(method, params)
        except ApiError as error:
            return self._error_response(method, params, error)
        body = {"ok": True, "result": result}
        self.calls.append(ApiCall(method, params, 200, body))
        return web.json_response(body)

    def _error_response(self, method: str, params: dict[str, Any], error: ApiError) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": error.code, "description": error.description}
        headers = {}
        if error.retry_after is not None:
            body["parameters"] = {"retry_after": error.retry_after}
            headers["Retry-After"] = str(error.retry_after)
        self.calls.append(ApiCall(method, params, error.code, body))
        return web.json_response(body, status=error.code, headers=headers)

    async def _params(self, request: web.Request) -> dict[str, Any]:
        raw: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            raw.update(await request.json())
            return raw
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if part.filename:  # type: ignore[union-attr]
                    raw[part.name] = SentDocument(
                        part.filename, await part.read(), part.headers.get("Content-Type", "")
                    )  # type: ignore[union-attr,arg-type]
                else:
                    raw[part.name] = await part.text()  # type: ignore[union-attr]
        elif request.can_read_body:
            raw.update(await request.post())
        return {key: self._decode(key, value) for key, value in raw.items()}

    @staticmethod
    def _decode(key: str, value: Any) -> Any:
        if not isinstance(value, str) or key in TEXT_PARAMS:
            return value
        if value in ("true", "false"):
            return value == "true"
        if re.fullmatch(r"-?\d+", value):
            return int(value)
        if value[:1] in "[{":
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    # -- methods ------------------------------------------------------------------------------------
    async def _call(self, method: str, params: dict[str, Any]) -> Any:
        name = method.lower()
        handler = getattr(self, f"_m_{name}", None)
        if handler is None or (self.spec is not None and not self.spec.knows(method)):
            raise ApiError(404, "Not Found: method not found")
        if self.spec is not None:
            problem = self.spec.problem(
                method, {k: v for k, v in params.items() if not isinstance(v, SentDocument)}
            )
            if problem:
                raise ApiError(400, problem)
        self._maybe_fault(name, params)
        return await handler(params)

    def _maybe_fault(self, name: str, params: dict[str, Any]) -> None:
        for fault in self._faults:
            if fault.method == name and fault.times > 0 and fault.chat_id in (None, params.get("chat_id")):
                fault.times -= 1
                if fault.status == 403 and params.get("chat_id") is not None:
                    self.block_by_user(int(params["chat_id"]))
                raise ApiError(fault.status, fault.description, fault.retry_after)

    async def _m_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER | {
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(409, WEBHOOK_CONFLICT)
        offset = int(params.get("offset", 0))
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        limit = max(1, min(100, int(params.get("limit", 100))))
        timeout = float(params.get("timeout", 0))
        if not self._pending and timeout > 0:
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), timeout)
            except TimeoutError:
                return []
        batch = self._pending[:limit]
        self.delivered.extend(u for u in batch if u not in self.delivered)
        return batch

    async def _m_setwebhook(self, params: dict[str, Any]) -> bool:
        secret = params.get("secret_token")
        if secret is not None and not SECRET_ALPHABET.match(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        self.webhook = WebhookInfo(str(params["url"]), secret, params.get("allowed_updates"))
        self._kick_webhook()
        return True

    async def _m_deletewebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _m_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self.webhook:
            info["url"] = self.webhook.url
            if self.webhook.last_error_date:
                info["last_error_date"] = self.webhook.last_error_date
                info["last_error_message"] = self.webhook.last_error_message
        return info

    async def _m_setmycommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: too many commands")
        for command in commands:
            if not COMMAND_NAME.match(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: command description is invalid")
        self.commands = commands
        return True

    async def _m_getmycommands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        return self.commands

    def _sendable_chat(self, params: dict[str, Any]) -> Chat:
        chat_id = int(params["chat_id"])
        chat = self._chats.get(chat_id)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if self.limits is not None and (wait := self.limits.retry_after(chat_id)):
            raise ApiError(429, f"Too Many Requests: retry after {wait}", wait)
        return chat

    @staticmethod
    def _check_text(text: Any) -> str:
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return text

    @staticmethod
    def _check_markup(markup: Any) -> dict[str, Any] | None:
        if markup is None:
            return None
        rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
        if rows is None:
            return markup if isinstance(markup, dict) else None
        if sum(len(row) for row in rows) > 100 or any(len(row) > 8 for row in rows):
            raise ApiError(400, "Bad Request: reply markup is too long")
        for row in rows:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not str(button.get("text", "")).strip():
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
        return markup

    def _store(self, chat: Chat, content: dict[str, Any], markup: dict[str, Any] | None) -> dict[str, Any]:
        message = {
            "message_id": chat.next_id,
            "date": int(time.time()),
            "chat": {"id": chat.id, "type": "private", "first_name": chat.first_name},
            "from": BOT_USER,
            **content,
        }
        if markup:
            message["reply_markup"] = markup
        chat.messages[chat.next_id] = message
        chat.next_id += 1
        return message

    async def _m_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        text = self._check_text(params.get("text"))
        markup = self._check_markup(params.get("reply_markup"))
        return self._store(self._sendable_chat(params), {"text": text}, markup)

    async def _m_senddocument(self, params: dict[str, Any]) -> dict[str, Any]:
        upload = params.get("document")
        if isinstance(upload, str) and upload.startswith("attach://"):
            upload = params.pop(upload.removeprefix("attach://"), None)  # multipart part named by reference
        if not isinstance(upload, SentDocument):
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        chat = self._sendable_chat(params)
        file_id = f"doc-{len(self.documents) + 1}"
        self.documents[file_id] = upload
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": upload.file_name,
            "mime_type": upload.mime_type,
            "file_size": len(upload.content),
        }
        content: dict[str, Any] = {"document": document}
        if params.get("caption"):
            content["caption"] = params["caption"]
        return self._store(chat, content, self._check_markup(params.get("reply_markup")))

    def _existing(self, params: dict[str, Any], missing: str) -> tuple[Chat, dict[str, Any]]:
        chat = self._chats.get(int(params.get("chat_id", 0)))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        message = chat.messages.get(int(params.get("message_id", 0)))
        if message is None:
            raise ApiError(400, f"Bad Request: {missing}")
        return chat, message

    async def _m_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        _, message = self._existing(params, "message to edit not found")
        text = self._check_text(params.get("text"))
        markup = self._check_markup(params.get("reply_markup"))
        if message.get("text") == text and message.get("reply_markup") == markup:
            raise ApiError(400, NOT_MODIFIED)
        message["text"] = text
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        return message

    async def _m_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        _, message = self._existing(params, "message to edit not found")
        markup = self._check_markup(params.get("reply_markup"))
        if message.get("reply_markup") == markup:
            raise ApiError(400, NOT_MODIFIED)
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        return message

    async def _m_deletemessage(self, params: dict[str, Any]) -> bool:
        chat, _ = self._existing(params, "message to delete not found")
        del chat.messages[int(params["message_id"])]
        return True

    async def _m_answercallbackquery(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self._callbacks:
            raise ApiError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        if len(str(params.get("text", ""))) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        del self._callbacks[query_id]
        self.callback_answers[query_id] = params
        return True

    def open_callback(self, user_id: int) -> str:
        query_id = str(next(self._callback_ids))
        self._callbacks[query_id] = user_id
        return query_id

    # -- webhook delivery ---------------------------------------------------------------------------
    def _kick_webhook(self) -> None:
        """Make sure the delivery loop runs while a webhook is set (it waits for updates when idle)."""
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.get_running_loop().create_task(self._deliver())
        self._arrived.set()

    async def _deliver(self) -> None:
        async with ClientSession(timeout=ClientTimeout(total=30)) as session:
            while self.webhook is not None:
                if not self._pending:
                    self._arrived.clear()
                    await self._arrived.wait()
                    continue
                update = self._pending[0]
                self.delivered.append(update)  # handed out, whatever the bot answers
                await self._post(session, update)
                self._pending.pop(0)

    async def _post(self, session: ClientSession, update: dict[str, Any]) -> bool:
        delay = self._backoff
        for _ in range(self._attempts):
            webhook = self.webhook
            if webhook is None:
                return False
            headers = (
                {"X-Telegram-Bot-Api-Secret-Token": webhook.secret_token} if webhook.secret_token else {}
            )
            try:
                async with session.post(webhook.url, json=update, headers=headers) as response:
                    if 200 <= response.status < 300:
                        return True
                    webhook.last_error_message = f"Wrong response from the webhook: {response.status}"
            except OSError as error:
                webhook.last_error_message = f"Connection failed: {type(error).__name__}"
            webhook.last_error_date = int(time.time())
            await asyncio.sleep(delay)
            delay *= 2
        return False
