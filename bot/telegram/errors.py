"""What a failed Bot API call means, read once for both users: the interactive delivery (``delivery``)
and the relay's sender (``sender``) map the verdict onto their own outcomes (PLATFORMS.md §1.2, §7.3).

- blocked (the chat cannot be written to): 403 (blocked, deactivated, can't initiate, kicked, a bot)
  and the 400s of a chat that is gone ("chat not found", "user is deactivated", "peer_id_invalid");
- retry after: 429 with its ``retry_after``;
- transient: 5xx, network errors and timeouts, an answer that is not Telegram's JSON (a proxy's 502
  page);
- refused: anything else, retrying the same call cannot help: other 400s (too long, bad markup), a
  request too large (a network error by aiogram's classes, but the same body fails again), 401, 404,
  409.

"message is not modified" (an edit that changes nothing) is no failure at all: see ``not_modified``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from aiogram.exceptions import (
    AiogramError,
    ClientDecodeError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)

GONE_CHAT = ("chat not found", "user is deactivated", "peer_id_invalid")
TRANSIENT = (TelegramServerError, TelegramNetworkError, ClientDecodeError, TimeoutError)
ERRORS = (AiogramError, TimeoutError)  # what a call may raise that ``classify`` reads


class Kind(Enum):
    BLOCKED = "blocked"
    RETRY_AFTER = "retry after"
    TRANSIENT = "transient"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Failure:
    kind: Kind
    reason: str  # Telegram's description, or the exception's class
    retry_after: float = 0.0  # seconds, for RETRY_AFTER


def classify(error: BaseException) -> Failure:
    reason = getattr(error, "message", "") or type(error).__name__
    if isinstance(error, TelegramRetryAfter):
        return Failure(Kind.RETRY_AFTER, reason, float(error.retry_after))
    if isinstance(error, TelegramForbiddenError):
        return Failure(Kind.BLOCKED, reason)
    if isinstance(error, TelegramBadRequest) and any(gone in reason.lower() for gone in GONE_CHAT):
        return Failure(Kind.BLOCKED, reason)
    if isinstance(error, TRANSIENT) and not isinstance(error, TelegramEntityTooLarge):
        return Failure(Kind.TRANSIENT, "timeout" if isinstance(error, TimeoutError) else reason)
    return Failure(Kind.REFUSED, reason)


def not_modified(error: BaseException) -> bool:
    """An edit whose text and buttons are already there: Telegram refuses it, the person sees it right."""
    return isinstance(error, TelegramBadRequest) and "message is not modified" in error.message
