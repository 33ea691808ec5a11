"""The emulated VK API methods. Each takes the state, the emulator's base URL and the decoded parameters,
and returns the ``response`` or raises VkError with VK's code."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.vk_emulator.errors import VkError
from tests.vk_emulator.keyboard import parse_keyboard
from tests.vk_emulator.state import State

Params = dict[str, Any]
Handler = Callable[[State, str, Params], Any]
HANDLERS: dict[str, Handler] = {}

MESSAGE_LIMIT = 4096  # what VK enforces in practice (the schema says 9000); vkbottle splits at 4096
EVENT_TTL = 60.0  # seconds a callback-button event can be answered
SNACKBAR_LIMIT = 90


def method(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[name] = handler
        return handler

    return register


@method("groups.getById")
def get_by_id(state: State, base_url: str, p: Params) -> Any:
    return {"groups": [state.group | {"is_closed": 0, "type": "group"}], "profiles": []}


@method("groups.getLongPollServer")
def get_long_poll_server(state: State, base_url: str, p: Params) -> Any:
    _own_group(state, p["group_id"])
    return {"key": state.lp_key, "server": f"{base_url}/lp", "ts": str(state.next_ts)}


@method("groups.getCallbackConfirmationCode")
def get_confirmation_code(state: State, base_url: str, p: Params) -> Any:
    _own_group(state, p["group_id"])
    return {"code": state.confirmation}


@method("messages.isMessagesFromGroupAllowed")
def is_allowed(state: State, base_url: str, p: Params) -> Any:
    _own_group(state, p["group_id"])
    person = state.people.get(p["user_id"])
    return {"is_allowed": int(person is not None and person.allowed)}


@method("users.get")
def users_get(state: State, base_url: str, p: Params) -> Any:
    ids = [int(i) for i in p.get("user_ids", []) if str(i).lstrip("-").isdigit()]
    return [state.people[i].public() for i in ids if i in state.people]


@method("messages.send")
def send(state: State, base_url: str, p: Params) -> Any:
    if "random_id" not in p:
        raise VkError(100, "random_id is a required parameter")
    text = p.get("message", "")
    if not text and not p.get("attachment"):
        raise VkError(100, "message is empty or invalid")
    if len(text) > MESSAGE_LIMIT:
        raise VkError(914)
    keyboard = parse_keyboard(p["keyboard"]) if "keyboard" in p else None
    if "peer_ids" in p:
        return [_send_one(state, int(peer), p, text, keyboard, batch=True) for peer in p["peer_ids"]]
    peer = p.get("peer_id", p.get("user_id"))
    if peer is None:
        raise VkError(100, "peer_id is a required parameter")
    return _send_one(state, int(peer), p, text, keyboard, batch=False)


def _send_one(
    state: State, peer: int, p: Params, text: str, keyboard: dict[str, Any] | None, *, batch: bool
) -> Any:
    random_id = int(p["random_id"])
    try:
        person = state.people.get(peer)
        if person is None or not person.allowed:
            raise VkError(901)
        if random_id and random_id in state.random_ids:
            message_id = state.random_ids[random_id]  # VK drops the repeat and answers the first id
        else:
            sent = state.add_message(
                person,
                text,
                from_bot=True,
                keyboard=keyboard,
                random_id=random_id,
                attachment=p.get("attachment", ""),
            )
            message_id = sent.id
            if random_id:
                state.random_ids[random_id] = message_id
    except VkError as error:
        if not batch:
            raise
        return {"peer_id": peer, "error": {"code": error.code, "description": error.message}}
    if batch:
        return {"peer_id": peer, "message_id": message_id, "conversation_message_id": message_id}
    return message_id


@method("messages.sendMessageEventAnswer")
def send_event_answer(state: State, base_url: str, p: Params) -> Any:
    event = state.events.get(p["event_id"])
    if event is None or event.user_id != p["user_id"] or event.peer_id != p["peer_id"]:
        raise VkError(100, "event_id is invalid")
    if event.answer is not None or state.now() - event.at > EVENT_TTL:
        raise VkError(100, "event_id is invalid")
    answer: dict[str, Any] = {}
    if "event_data" in p:
        try:
            answer = json.loads(p["event_data"])
        except ValueError:
            raise VkError(100, "event_data is not JSON") from None
        if answer.get("type") == "show_snackbar" and not 1 <= len(answer.get("text", "")) <= SNACKBAR_LIMIT:
            raise VkError(100, f"snackbar text is 1-{SNACKBAR_LIMIT} characters")
        if answer.get("type") not in ("show_snackbar", "open_link", "open_app"):
            raise VkError(100, "event_data type is invalid")
    event.answer = answer
    return 1


def _own_group(state: State, group_id: int) -> None:
    if int(group_id) != state.group["id"]:
        raise VkError(15, "no access to this group")
