"""What a failed VK API call means, read once for both users: the interactive delivery (``delivery``)
and the relay's sender (``sender``) map the verdict onto their own outcomes.

Codes from VK's errors.json (PLATFORMS.md §3.3, policy in §7.3):

- blocked (the person cannot be written to): 7 permission denied, 18 deleted or banned, 113 invalid user
  id, 900 blacklist, 901 no permission (until ``message_allow``), 902 privacy settings, 917 no access to
  the chat, 936 contact not found, 945 chat disabled, 946 chat not supported;
- retry after a pause: 6 too many requests per second (about a second), 29 method quota reached (ten
  minutes);
- transient: 1 unknown error, 9 flood control, 10 internal error (also any answer that is not VK's JSON,
  see ``bot.vk.api.NoReschedule``), network errors and timeouts;
- refused: anything else (911 keyboard, 914 too long, 100 parameters): retrying the same call cannot help.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from aiohttp import ClientError
from vkbottle import VKAPIError

BLOCKED = frozenset({7, 18, 113, 900, 901, 902, 917, 936, 945, 946})
PAUSE = {6: 1.0, 29: 600.0}  # seconds to wait before calling again
TRANSIENT = frozenset({1, 9, 10})
NETWORK = (ClientError, TimeoutError)
ERRORS = (VKAPIError, *NETWORK)  # what a call may raise that ``classify`` reads


class Kind(Enum):
    BLOCKED = "blocked"
    RETRY_AFTER = "retry after"
    TRANSIENT = "transient"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Failure:
    kind: Kind
    reason: str  # for logs: VK's code and message, or the exception's class (never a text we sent)
    retry_after: float = 0.0  # seconds, for RETRY_AFTER


def classify(error: BaseException) -> Failure:
    """The verdict on a VKAPIError, a network error or a timeout (anything else: refused)."""
    if isinstance(error, VKAPIError):
        code, reason = error.code, f"{error.code}: {error.error_msg}"
        if code in BLOCKED:
            return Failure(Kind.BLOCKED, reason)
        if code in PAUSE:
            return Failure(Kind.RETRY_AFTER, reason, PAUSE[code])
        if code in TRANSIENT:
            return Failure(Kind.TRANSIENT, reason)
        return Failure(Kind.REFUSED, reason)
    if isinstance(error, NETWORK):
        return Failure(Kind.TRANSIENT, type(error).__name__)
    return Failure(Kind.REFUSED, type(error).__name__)
