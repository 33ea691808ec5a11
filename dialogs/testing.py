"""``DialogClient``: talk to the engine like a person does, so flow tests read like a transcript.

client = DialogClient(engine, account_id="pupil-1")
await client.send("/start")
await client.press("Школьник")
assert "Сколько вам лет" in client.text
"""

from __future__ import annotations

from dialogs.engine import Engine
from dialogs.ui import Button, Document, Incoming, Outcome, plain_label


class DialogClient:
    def __init__(self, engine: Engine, account_id: str = "1001", channel: str = "test") -> None:
        self.engine = engine
        self.account_id = account_id
        self.channel = channel
        self.last = Outcome()
        self.transcript: list[str] = []
        self._buttons: tuple[Button, ...] = ()  # buttons of the newest outcome that showed any

    async def send(self, text: str) -> Outcome:
        self.transcript.append(f"> {text}")
        return await self._deliver(Incoming.message(self.channel, self.account_id, text))

    async def press(self, label: str) -> Outcome:
        """Press a visible button by its label: exact match first, else the one label containing ``label``."""
        button = self.button(label)
        self.transcript.append(f"> [{button.label}]")
        return await self._deliver(Incoming.press(self.channel, self.account_id, button.payload))

    async def press_token(self, token: str) -> Outcome:
        """Press a raw payload: an old button kept by the test, or a forged one."""
        self.transcript.append(f"> [token {token!r}]")
        return await self._deliver(Incoming.press(self.channel, self.account_id, token))

    async def send_unsupported(self) -> Outcome:
        self.transcript.append("> [sticker]")
        return await self._deliver(Incoming.unsupported(self.channel, self.account_id))

    def button(self, label: str) -> Button:
        """The visible button meant by ``label``: exact, then prefix, then substring (icons ignored)."""
        wanted = label.casefold()
        for matches in (
            lambda plain: plain == wanted,
            lambda plain: plain.startswith(wanted),
            lambda plain: wanted in plain,
        ):
            found = [b for b in self._buttons if matches(plain_label(b.label))]
            if len(found) == 1:
                return found[0]
        raise AssertionError(f"no single button {label!r}; visible: {self.labels}")

    @property
    def labels(self) -> list[str]:
        return [b.label for b in self._buttons]

    @property
    def text(self) -> str:
        """All texts of the last answer, joined: what the person just read."""
        return "\n\n".join(self.last.texts)

    @property
    def documents(self) -> list[Document]:
        return [r.document for r in self.last.replies if r.document is not None]

    async def _deliver(self, incoming: Incoming) -> Outcome:
        outcome = await self.engine.handle(incoming)
        self.last = outcome
        shown = tuple(b for reply in outcome.replies for b in reply.buttons)
        if shown or (incoming.button and outcome.replies):  # a notice alone leaves the screen as it was
            self._buttons = shown
        self.transcript.extend(f"< {text}" for text in outcome.texts)
        return outcome
