"""Conversation state: where a person is in a flow, their in-progress answers and the buttons they hold.

The state is serialised to JSON and kept in a ``StateStore`` (SQL by default, Redis for several bot
instances). Stores see only an opaque blob with a version, so they do not depend on this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from backend_client.ports import ConversationStore

StateStore = ConversationStore

SCHEMA = 1


@dataclass(slots=True)
class ConversationState:
    flow: str = ""  # the flow whose step waits for text ("" when nothing waits)
    step: str = ""
    data: dict[str, Any] = field(default_factory=dict)  # answers in progress, JSON-compatible only
    buttons: dict[str, str] = field(default_factory=dict)  # opaque token -> internal action
    version: int = 0  # the stored version this state was loaded from (0: new)
    # When the waiting step's question was shown, and the last typed answer ("flow.step", its digest,
    # when), so an answer that arrives twice (retyped after a restart) is not filed under the next step.
    asked_at: float = 0.0
    last_answer: tuple[str, str, float] | None = None
    last_press: str = ""  # the token whose press issued the current buttons: a repeat of it is no stale

    @property
    def waiting(self) -> bool:
        return bool(self.flow and self.step)

    def wait_for(self, flow: str, step: str) -> None:
        self.flow, self.step = flow, step

    def clear_step(self) -> None:
        self.flow, self.step = "", ""

    def reset(self) -> None:
        """Forget the step and every answer in progress (buttons are reissued with the next reply)."""
        self.clear_step()
        self.data.clear()

    def to_blob(self) -> str:
        body: dict[str, Any] = {
            "v": SCHEMA,
            "flow": self.flow,
            "step": self.step,
            "data": self.data,
            "buttons": self.buttons,
        }
        if self.asked_at:
            body["asked"] = self.asked_at
        if self.last_answer:
            body["last"] = list(self.last_answer)
        if self.last_press:
            body["pressed"] = self.last_press
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_blob(cls, blob: str, version: int) -> ConversationState:
        try:
            raw = json.loads(blob)
        except ValueError:
            return cls(version=version)
        if not isinstance(raw, dict) or raw.get("v") != SCHEMA:
            # An unknown shape (older release, manual edit): start over rather than misread it.
            return cls(version=version)
        return cls(
            flow=str(raw.get("flow", "")),
            step=str(raw.get("step", "")),
            data=dict(raw.get("data") or {}),
            buttons={str(k): str(v) for k, v in (raw.get("buttons") or {}).items()},
            version=version,
            asked_at=float(raw.get("asked") or 0.0),
            last_answer=_last_answer(raw.get("last")),
            last_press=str(raw.get("pressed") or ""),
        )


def _last_answer(raw: Any) -> tuple[str, str, float] | None:
    if isinstance(raw, list) and len(raw) == 3:
        return str(raw[0]), str(raw[1]), float(raw[2])
    return None
