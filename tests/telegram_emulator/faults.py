"""Scripted faults: the next N calls of a method (optionally to one chat) get a given error instead, or
(status ``DISCONNECT``) no answer at all: the connection is closed, as by a network failure.

A fault is only that answer: it changes no state (a scripted 403 does not block the user; use
``block_by_user`` for that)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.telegram_emulator.errors import ApiError

DISCONNECT = 0  # the fault's status for "close the connection without answering"


class Disconnect(Exception):
    """The call's connection is to be closed without an answer."""


@dataclass(slots=True)
class Fault:
    method: str  # lower case: method names are case-insensitive
    status: int
    description: str
    retry_after: int | None
    times: int
    chat_id: int | str | None


class Faults:
    def __init__(self) -> None:
        self._queue: list[Fault] = []

    def add(
        self,
        method: str,
        status: int,
        description: str,
        retry_after: int | None,
        times: int,
        chat_id: int | str | None,
    ) -> None:
        if times < 1:
            raise ValueError("times must be at least 1")
        self._queue.append(Fault(method.lower(), status, description, retry_after, times, chat_id))

    def take(self, method: str, params: dict[str, Any]) -> ApiError | Disconnect | None:
        """The error for this call if a fault matches it (and use the fault up), else None."""
        for fault in self._queue:
            if fault.method != method.lower():
                continue
            if fault.chat_id is not None and params.get("chat_id") != fault.chat_id:
                continue
            fault.times -= 1
            if fault.times == 0:
                self._queue.remove(fault)
            if fault.status == DISCONNECT:
                return Disconnect()
            return ApiError(fault.status, fault.description, fault.retry_after)
        return None

    def __len__(self) -> int:
        return len(self._queue)
