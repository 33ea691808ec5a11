"""The declarative routing of ``dialogs.flow.Flow``: a button verb's typed argument and a waiting step's
text reach their handlers; an unknown verb, a bad argument or an unknown step is a stale button."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

import pytest

from dialogs.context import Ctx
from dialogs.engine import Engine
from dialogs.features import commands, listed_commands
from dialogs.flow import Flow, on_answer, on_press
from dialogs.state import ConversationState
from dialogs.texts import t
from dialogs.ui import Incoming


class Colour(StrEnum):
    RED = "red"


class Step(StrEnum):
    LIST = "list"
    NAME = "name"
    CITY = "city"
    ROOM = "room"  # waited at with a parameter: ``room:<number>``


class Toy(Flow):
    name = "toy"
    steps = Step

    def __init__(self) -> None:
        self.seen: list[object] = []

    @on_press("pick")
    async def pick(self, ctx: Ctx, number: int) -> None:
        self.seen.append(number)

    @on_press("paint")
    async def paint(self, ctx: Ctx, colour: Colour) -> None:
        self.seen.append(colour)

    @on_press("side")
    async def side(self, ctx: Ctx, side: Literal["left", "right"] = "left") -> None:
        self.seen.append(side)

    @on_press("plain")
    async def plain(self, ctx: Ctx) -> None:
        self.seen.append("plain")

    @on_answer(Step.NAME)
    async def named(self, ctx: Ctx, text: str) -> None:
        self.seen.append(("name", text))

    @on_answer(Step.CITY)
    async def placed(self, ctx: Ctx, step: Step, text: str) -> None:
        self.seen.append((step, text))

    @on_answer(Step.ROOM)
    async def room(self, ctx: Ctx, number: int, text: str) -> None:
        self.seen.append((number, text))


async def _ctx(engine: Engine) -> Ctx:
    person = await engine.services.records.identify("test", "toy1", "toy1")
    incoming = Incoming.message("test", "toy1", "x")
    return Ctx(incoming, person, ConversationState(), engine.services, engine.flows)


@pytest.mark.parametrize(
    ("verb", "arg", "seen"),
    [
        ("pick", "7", 7),
        ("paint", "red", Colour.RED),
        ("side", "right", "right"),
        ("side", "", "left"),
        ("plain", "", "plain"),
    ],
)
async def test_a_press_reaches_its_handler_with_a_typed_argument(engine, verb, arg, seen) -> None:
    toy, ctx = Toy(), await _ctx(engine)
    await toy.on_action(ctx, verb, arg)
    assert toy.seen == [seen]
    assert ctx.notice == ""


@pytest.mark.parametrize(
    ("verb", "arg"),
    [
        ("jump", ""),  # a verb no release of this flow has
        ("pick", "x"),
        ("pick", "-1"),
        ("pick", "٣"),  # a digit, but not an ASCII one
        ("pick", ""),  # an argument is required
        ("paint", "blue"),
        ("side", "up"),
        ("plain", "extra"),  # a verb without an argument given one
    ],
)
async def test_an_unknown_verb_or_a_bad_argument_is_a_stale_button(engine, verb, arg) -> None:
    toy, ctx = Toy(), await _ctx(engine)
    await toy.on_action(ctx, verb, arg)
    assert toy.seen == []
    assert ctx.notice == t("engine.stale_notice")


async def test_typed_text_reaches_the_handler_of_the_waiting_step(engine) -> None:
    toy, ctx = Toy(), await _ctx(engine)
    await toy.on_text(ctx, "name", "Аня")
    await toy.on_text(ctx, "city", "Самара")
    assert toy.seen == [("name", "Аня"), (Step.CITY, "Самара")]


async def test_a_step_waited_at_with_a_parameter_gets_it_parsed(engine) -> None:
    toy, ctx = Toy(), await _ctx(engine)
    toy.wait(ctx, Step.ROOM, 12)
    assert ctx.state.step == "room:12"
    await toy.on_text(ctx, ctx.state.step, "тут")
    assert toy.seen == [(12, "тут")]


@pytest.mark.parametrize("step", ["list", "gone", "room:x", "room", "name:3"])
async def test_text_at_a_step_without_a_handler_is_stale(engine, step) -> None:
    toy, ctx = Toy(), await _ctx(engine)
    await toy.on_text(ctx, step, "что-нибудь")
    assert toy.seen == []
    assert ctx.notice == t("engine.stale_notice")


def test_a_flow_refuses_handlers_it_cannot_route() -> None:
    class Other(StrEnum):
        ELSEWHERE = "elsewhere"

    with pytest.raises(TypeError):

        class Foreign(Flow):  # a step of another flow
            steps = Step

            @on_answer(Other.ELSEWHERE)
            async def there(self, ctx: Ctx, text: str) -> None: ...

    with pytest.raises(KeyError):
        Toy().act("jump")  # a button nobody handles is a bug, found when drawn


def test_every_command_a_messenger_lists_has_its_handler() -> None:
    assert set(listed_commands(operator=True)) == commands().keys()
