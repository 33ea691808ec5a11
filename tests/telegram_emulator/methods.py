"""The emulated Bot API methods. Each takes the state and the decoded parameters (already checked against
the spec or the built-in table) and returns the ``result``, or raises ApiError with Telegram's wording."""

from __future__ import annotations

import asyncio
import json
import mimetypes
import re
from collections.abc import Awaitable, Callable
from typing import Any

from yarl import URL

from tests.telegram_emulator import errors
from tests.telegram_emulator.errors import ApiError
from tests.telegram_emulator.spec import Upload
from tests.telegram_emulator.state import Chat, SentDocument, State, Stored, WebhookInfo, now_date

Params = dict[str, Any]
Handler = Callable[[State, Params], Awaitable[Any]]
HANDLERS: dict[str, Handler] = {}  # lower-case method name -> handler

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
MAX_BUTTONS, MAX_ROW = 100, 8  # undocumented; python-telegram-bot's InlineKeyboardMarkupLimit
SECRET = re.compile(r"[A-Za-z0-9_-]+")
COMMAND = re.compile(r"[a-z0-9_]{1,32}")


def method(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[name.lower()] = handler
        return handler

    return register


# -- identity and updates -----------------------------------------------------------------------------
@method("getMe")
async def get_me(state: State, p: Params) -> Any:
    return state.bot | {
        "can_join_groups": False,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


@method("getUpdates")
async def get_updates(state: State, p: Params) -> Any:
    if state.webhook is not None:
        raise ApiError(409, errors.WEBHOOK_ACTIVE)
    queue = state.updates
    queue.poller += 1
    me = queue.poller
    state.changed.notify()  # an older getUpdates still waiting is answered 409, as by Telegram
    queue.set_allowed(p.get("allowed_updates"))
    offset = int(p.get("offset", 0))
    if offset < 0:
        queue.keep_last(-offset)
    elif offset > 0:
        queue.confirm_before(offset)
    limit = min(100, max(1, int(p.get("limit", 100))))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max(0, int(p.get("timeout", 0)))
    while not queue.pending:
        left = deadline - loop.time()
        if left <= 0 or state.closing:
            return []
        await state.changed.wait(left)
        if queue.poller != me:
            raise ApiError(409, errors.OTHER_POLLER)
        if state.webhook is not None:
            raise ApiError(409, errors.WEBHOOK_ACTIVE)
    batch = queue.pending[:limit]
    queue.handed_out(batch)
    return batch


@method("setWebhook")
async def set_webhook(state: State, p: Params) -> Any:
    url = str(p["url"])
    if not url:  # an empty URL removes the webhook
        return await delete_webhook(state, p)
    parsed = URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ApiError(400, errors.BAD_WEBHOOK_URL)
    secret = p.get("secret_token") or None
    if secret is not None:
        if len(secret) > 256:
            raise ApiError(400, errors.SECRET_TOO_LONG)
        if not SECRET.fullmatch(secret):
            raise ApiError(400, errors.SECRET_CHARACTERS)
    state.updates.set_allowed(p.get("allowed_updates"))
    if p.get("drop_pending_updates"):
        state.updates.pending.clear()
    max_connections = min(100, max(1, int(p.get("max_connections", 40))))  # Telegram clamps it
    allowed = sorted(state.updates.allowed) if state.updates.allowed else None
    state.webhook = WebhookInfo(url, secret, max_connections, allowed)
    state.changed.notify()
    return True


@method("deleteWebhook")
async def delete_webhook(state: State, p: Params) -> Any:
    state.webhook = None
    if p.get("drop_pending_updates"):
        state.updates.pending.clear()
    state.changed.notify()
    return True


@method("getWebhookInfo")
async def get_webhook_info(state: State, p: Params) -> Any:
    hook = state.webhook
    info: dict[str, Any] = {
        "url": hook.url if hook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates.pending),
    }
    if hook:
        info["max_connections"] = hook.max_connections
        if hook.allowed_updates:
            info["allowed_updates"] = hook.allowed_updates
        if hook.last_error_date:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
    return info


# -- messages -----------------------------------------------------------------------------------------
def _writable(state: State, chat_id: Any) -> Chat:
    chat = state.chats.get(chat_id) if isinstance(chat_id, int) else None
    if chat is None:
        raise ApiError(400, errors.CHAT_NOT_FOUND)
    if chat.blocked:
        raise ApiError(403, errors.BLOCKED)
    if not chat.opened:
        raise ApiError(403, errors.CANT_INITIATE)
    return chat


def _count_message(state: State, chat: Chat) -> None:
    if state.limits is not None and (wait := state.limits.retry_after(chat.id)):
        raise ApiError(429, errors.too_many_requests(wait), wait)


def _text(text: Any) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, errors.TEXT_EMPTY)
    if len(text) > MAX_TEXT:
        raise ApiError(400, errors.TEXT_TOO_LONG)
    return text


def _inline_markup(markup: Any) -> dict[str, Any] | None:
    """The inline keyboard to show, after Telegram's checks. Reply keyboards are not part of a Message."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError(400, 'Bad Request: can\'t parse inline keyboard button: field "inline_keyboard"')
    if sum(len(row) for row in rows) > MAX_BUTTONS or any(len(row) > MAX_ROW for row in rows):
        raise ApiError(400, errors.MARKUP_TOO_LONG)
    for button in (button for row in rows for button in row):
        if not isinstance(button, dict) or set(button) <= {"text", "style", "icon_custom_emoji_id"}:
            raise ApiError(400, errors.TEXT_BUTTONS)
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode()) <= 64:
            raise ApiError(400, errors.BUTTON_DATA_INVALID)
    return markup if any(rows) else None


@method("sendMessage")
async def send_message(state: State, p: Params) -> Any:
    chat = _writable(state, p["chat_id"])
    text = _text(p["text"])
    markup = _inline_markup(p.get("reply_markup"))
    _count_message(state, chat)
    content: dict[str, Any] = {"text": text}
    if p.get("entities"):
        content["entities"] = p["entities"]
    if markup:
        content["reply_markup"] = markup
    return chat.add(state.bot, content, from_bot=True)


@method("sendDocument")
async def send_document(state: State, p: Params) -> Any:
    chat = _writable(state, p["chat_id"])
    document = _document(state, p["document"])
    caption = p.get("caption")
    if caption is not None and len(caption) > MAX_CAPTION:
        raise ApiError(400, errors.CAPTION_TOO_LONG)
    markup = _inline_markup(p.get("reply_markup"))
    _count_message(state, chat)
    content: dict[str, Any] = {"document": document.public()}
    if caption:
        content["caption"] = caption
    if markup:
        content["reply_markup"] = markup
    state.documents[document.file_id] = document
    return chat.add(state.bot, content, from_bot=True, document=document)


def _document(state: State, given: Any) -> SentDocument:
    if isinstance(given, str) and given in state.documents:  # a file_id sent before
        return state.documents[given]
    if not isinstance(given, Upload):
        raise ApiError(400, errors.WRONG_FILE)
    if not given.content:
        raise ApiError(400, errors.EMPTY_FILE)
    # Telegram goes by the name; aiohttp labels every uploaded part application/octet-stream anyway.
    mime = mimetypes.guess_type(given.filename)[0] or given.content_type or "application/octet-stream"
    return SentDocument(state.new_file_id(), given.filename, mime, given.content)


def _stored(state: State, p: Params, missing: str, *, editing: bool) -> tuple[Chat, Stored]:
    if p.get("inline_message_id"):
        raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")  # inline-mode messages are not emulated
    if p.get("chat_id") is None or p.get("message_id") is None:
        raise ApiError(400, errors.NO_MESSAGE_ID)
    chat = state.chats.get(p["chat_id"]) if isinstance(p["chat_id"], int) else None
    if chat is None:
        raise ApiError(400, errors.CHAT_NOT_FOUND)
    if editing and chat.blocked:
        raise ApiError(403, errors.BLOCKED)
    stored = chat.messages.get(p["message_id"])
    if stored is None:
        raise ApiError(400, missing)
    if editing and not stored.from_bot:
        raise ApiError(400, errors.CANT_EDIT)
    return chat, stored


def _edited(stored: Stored, markup: dict[str, Any] | None, changes: dict[str, Any]) -> dict[str, Any]:
    dropped = {"reply_markup", "edit_date", *changes}
    if "text" in changes:
        dropped.add("entities")  # new text, new entities
    raw = {k: v for k, v in stored.raw.items() if k not in dropped} | changes | {"edit_date": now_date()}
    if markup:
        raw["reply_markup"] = markup
    return raw


@method("editMessageText")
async def edit_message_text(state: State, p: Params) -> Any:
    chat, stored = _stored(state, p, errors.EDIT_NOT_FOUND, editing=True)
    text = _text(p.get("text"))
    markup = _inline_markup(p.get("reply_markup"))  # no markup: the keyboard goes, as in Telegram
    if "text" not in stored.raw:
        raise ApiError(400, errors.NO_TEXT_TO_EDIT)
    if stored.raw["text"] == text and stored.raw.get("reply_markup") == markup:
        raise ApiError(400, errors.NOT_MODIFIED)
    changes: dict[str, Any] = {"text": text}
    if p.get("entities"):
        changes["entities"] = p["entities"]
    raw = _edited(stored, markup, changes)
    chat.replace(stored.raw["message_id"], raw)
    return raw


@method("editMessageReplyMarkup")
async def edit_message_reply_markup(state: State, p: Params) -> Any:
    chat, stored = _stored(state, p, errors.EDIT_NOT_FOUND, editing=True)
    markup = _inline_markup(p.get("reply_markup"))
    if stored.raw.get("reply_markup") == markup:
        raise ApiError(400, errors.NOT_MODIFIED)
    raw = _edited(stored, markup, {})
    chat.replace(stored.raw["message_id"], raw)
    return raw


@method("deleteMessage")
async def delete_message(state: State, p: Params) -> Any:
    chat, stored = _stored(state, p, errors.DELETE_NOT_FOUND, editing=False)
    del chat.messages[stored.raw["message_id"]]
    return True


# -- callbacks and commands ---------------------------------------------------------------------------
@method("answerCallbackQuery")
async def answer_callback_query(state: State, p: Params) -> Any:
    query_id = str(p["callback_query_id"])
    if query_id not in state.open_queries:  # unknown, or answered already
        raise ApiError(400, errors.QUERY_TOO_OLD)
    if len(p.get("text") or "") > MAX_CALLBACK_ANSWER:
        raise ApiError(400, errors.ANSWER_TOO_LONG)
    del state.open_queries[query_id]
    state.callback_answers[query_id] = p
    return True


def commands_key(scope: dict[str, Any] | None = None, language_code: str | None = None) -> tuple[str, str]:
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code or ""


@method("setMyCommands")
async def set_my_commands(state: State, p: Params) -> Any:
    commands = p["commands"]
    if not isinstance(commands, list) or not all(isinstance(c, dict) for c in commands):
        raise ApiError(400, "Bad Request: can't parse commands JSON object")
    if len(commands) > 100:
        raise ApiError(400, errors.TOO_MANY_COMMANDS)
    for command in commands:
        if not COMMAND.fullmatch(str(command.get("command", ""))):
            raise ApiError(400, errors.COMMAND_INVALID)
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise ApiError(400, errors.COMMAND_DESCRIPTION_INVALID)
    menu = [{"command": c["command"], "description": c["description"]} for c in commands]
    state.commands[commands_key(p.get("scope"), p.get("language_code"))] = menu
    return True


@method("getMyCommands")
async def get_my_commands(state: State, p: Params) -> Any:
    return state.commands.get(commands_key(p.get("scope"), p.get("language_code")), [])


@method("deleteMyCommands")
async def delete_my_commands(state: State, p: Params) -> Any:
    state.commands.pop(commands_key(p.get("scope"), p.get("language_code")), None)
    return True
