"""VK's error codes and messages (``errors.json`` of the VK API schema 5.199), and the refusal the emulated
methods raise. VK answers every error with HTTP 200 and ``{"error": {error_code, error_msg,
request_params}}``; vkbottle turns that into ``VKAPIError[code]``."""

from __future__ import annotations

from typing import Any

MESSAGES = {
    1: "Unknown error occurred",
    3: "Unknown method passed",
    5: "User authorization failed: invalid access_token (4).",
    6: "Too many requests per second",
    7: "Permission to perform this action is denied",
    9: "Flood control",
    10: "Internal server error",
    15: "Access denied",
    100: "One of the parameters specified was missing or invalid",
    901: "Can't send messages for users without permission",
    902: "Can't send messages to this user due to their privacy settings",
    911: "Keyboard format is invalid",
    914: "Message is too long",
}


class VkError(Exception):
    def __init__(self, code: int, detail: str = "") -> None:
        message = MESSAGES.get(code, "Unknown error occurred")
        super().__init__(f"{message}: {detail}" if detail else message)
        self.code = code
        self.message = str(self)

    def envelope(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        echoed = [{"key": "method", "value": method}, {"key": "oauth", "value": "1"}]
        echoed += [{"key": k, "value": str(v)} for k, v in params.items() if k != "access_token"]
        return {"error": {"error_code": self.code, "error_msg": self.message, "request_params": echoed}}
