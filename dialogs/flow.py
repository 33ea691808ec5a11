"""What a flow is: a named feature that starts, reacts to its buttons and, while it waits, to text.

A flow declares its routing instead of branching over strings: its steps as a ``StrEnum`` (``steps``;
the names its ``.mmd`` diagram uses, the values what the conversation state stores), one method per button
verb (``@on_press("cancel")``) and one per waiting step (``@on_answer(Step.TEXT)``). A pressed button's
argument is parsed from the handler's annotation (``int``, a ``StrEnum``, a ``Literal`` of strings, or
``str``). An unknown verb, an argument that does not parse or an unknown step comes from an old release
or a forged button: it is a stale button, never an exception.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any, ClassVar, Literal, TypeVar, get_args, get_origin, get_type_hints

from dialogs.context import Ctx

Run = Callable[[], Awaitable[None]]
Handler = TypeVar("Handler", bound=Callable[..., Awaitable[None]])
_ABSENT = object()


def action(flow: str, verb: str, arg: str = "") -> str:
    """The internal action behind a button; it never leaves the server (see dialogs.ui)."""
    return f"{flow}:{verb}:{arg}"


def parse_action(value: str) -> tuple[str, str, str]:
    flow, _, rest = value.partition(":")
    verb, _, arg = rest.partition(":")
    return flow, verb, arg


def on_press(verb: str) -> Callable[[Handler], Handler]:
    """Mark a method as the handler of button ``verb``: ``(self, ctx)`` or ``(self, ctx, arg: T)``."""

    def mark(method: Handler) -> Handler:
        method.__dict__.setdefault("_presses", []).append(verb)
        return method

    return mark


def on_answer(*steps: StrEnum) -> Callable[[Handler], Handler]:
    """Mark a method as the handler of text typed while the flow waits at one of ``steps``:
    ``(self, ctx, text)``; ``(self, ctx, step: Step, text)`` when it serves several steps; or
    ``(self, ctx, param: T, text)`` for a step waited at with a parameter (``wait(ctx, step, param)``),
    which is parsed like a button's argument."""

    def mark(method: Handler) -> Handler:
        method.__dict__.setdefault("_answers", []).extend(steps)
        return method

    return mark


@dataclass(frozen=True, slots=True)
class _Press:
    method: str
    parse: Callable[[str], object] | None  # None: the verb takes no argument
    default: object  # taken for an empty argument; _ABSENT: an argument is required


@dataclass(frozen=True, slots=True)
class _Answer:
    method: str
    takes: Literal["text", "step", "param"]  # what comes between the context and the text
    parse: Callable[[str], object] | None = None  # for "param"


def _parser(kind: object) -> Callable[[str], object]:
    """The function turning a button's text argument into ``kind``; it raises ValueError when it can't."""
    if kind is int:
        return _non_negative
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind
    if get_origin(kind) is Literal:
        allowed = get_args(kind)
        return lambda arg: _one_of(arg, allowed)
    if kind is str:
        return str
    raise TypeError(f"button argument of unsupported type {kind!r}")


def _non_negative(arg: str) -> int:
    if not arg.isascii() or not arg.isdigit():
        raise ValueError(arg)
    return int(arg)


def _one_of(arg: str, allowed: tuple[object, ...]) -> str:
    if arg not in allowed:
        raise ValueError(arg)
    return arg


def _press(cls: type, name: str, method: Callable[..., Any]) -> _Press:
    params = list(inspect.signature(method).parameters.values())[2:]  # after self, ctx
    if not params:
        return _Press(name, None, _ABSENT)
    if len(params) > 1:
        raise TypeError(f"{cls.__name__}.{name}: a button passes one argument")
    kind = get_type_hints(method)[params[0].name]
    default = params[0].default if params[0].default is not inspect.Parameter.empty else _ABSENT
    return _Press(name, _parser(kind), default)


def _answer(cls: type, name: str, method: Callable[..., Any], steps: type[StrEnum]) -> _Answer:
    params = list(inspect.signature(method).parameters.values())[2:]  # after self, ctx
    if len(params) == 1:
        return _Answer(name, "text")
    if len(params) != 2:
        raise TypeError(f"{cls.__name__}.{name}: an answer handler takes the text and at most one more")
    kind = get_type_hints(method)[params[0].name]
    if kind is steps:
        return _Answer(name, "step")
    return _Answer(name, "param", _parser(kind))


class Flow:
    """Base class of every feature's conversation. Subclasses set ``name`` and ``steps`` and mark their
    handlers; flows not yet declarative override ``on_action`` / ``on_text`` themselves."""

    name: ClassVar[str] = ""
    steps: ClassVar[type[StrEnum] | None] = None
    _presses: ClassVar[dict[str, _Press]] = {}
    _answers: ClassVar[dict[str, _Answer]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        presses: dict[str, _Press] = {}
        answers: dict[str, _Answer] = {}
        # Handlers may live in plain mixin classes too: walk the whole MRO, the subclass last.
        for klass in reversed(cls.__mro__):
            for name, member in vars(klass).items():
                cls._collect(name, member, presses, answers)
        cls._presses = presses
        cls._answers = answers

    @classmethod
    def _collect(
        cls, name: str, member: object, presses: dict[str, _Press], answers: dict[str, _Answer]
    ) -> None:
        if not callable(member):
            return
        for verb in getattr(member, "_presses", ()):
            if verb in presses and presses[verb].method != name:
                raise TypeError(f"{cls.__name__}: button verb {verb!r} has two handlers")
            presses[verb] = _press(cls, name, member)
        for step in getattr(member, "_answers", ()):
            if cls.steps is None or step not in set(cls.steps):
                raise TypeError(f"{cls.__name__}.{name}: {step!r} is not one of the flow's steps")
            answers[str(step)] = _answer(cls, name, member, cls.steps)

    def act(self, verb: str, arg: object = "") -> str:
        if self._presses and verb not in self._presses:
            raise KeyError(f"{self.name}: no handler for button verb {verb!r}")
        return action(self.name, verb, str(arg))

    def wait(self, ctx: Ctx, step: StrEnum, param: object = "") -> None:
        """Wait for text at ``step`` (stored as ``step:param`` with a parameter); the step must have an
        answer handler."""
        if str(step) not in self._answers:
            raise KeyError(f"{self.name}: no answer handler for step {step!r}")
        ctx.wait(self.name, f"{step}:{param}" if param != "" else str(step))

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        raise NotImplementedError

    async def on_action(self, ctx: Ctx, verb: str, arg: str) -> None:
        """A button of this flow was pressed: the verb's handler runs (see ``guard_press``)."""
        press = self._presses.get(verb)
        if press is None:
            await ctx.stale()
            return
        handler = getattr(self, press.method)
        if press.parse is None:
            if arg:
                await ctx.stale()
                return
            await self.guard_press(ctx, lambda: handler(ctx))
            return
        if not arg and press.default is not _ABSENT:
            value = press.default
        else:
            try:
                value = press.parse(arg)
            except ValueError:
                await ctx.stale()
                return
        await self.guard_press(ctx, lambda: handler(ctx, value))

    async def on_text(self, ctx: Ctx, step: str, text: str) -> None:
        """Text arrived while this flow waits at ``step``: the step's handler runs (see ``guard_answer``)."""
        head, _, param = step.partition(":")
        found = self._answers.get(head)
        if found is None or self.steps is None or (found.takes != "param" and param):
            await ctx.stale()
            return
        handler = getattr(self, found.method)
        if found.takes == "text":
            await self.guard_answer(ctx, lambda: handler(ctx, text))
            return
        if found.takes == "step":
            typed_step = self.steps(head)
            await self.guard_answer(ctx, lambda: handler(ctx, typed_step, text))
            return
        try:
            value = found.parse(param) if found.parse else param
        except ValueError:
            await ctx.stale()
            return
        await self.guard_answer(ctx, lambda: handler(ctx, value, text))

    async def guard_press(self, ctx: Ctx, run: Run) -> None:
        """Around every button handler: a flow checks its preconditions here (who may press)."""
        await run()

    async def guard_answer(self, ctx: Ctx, run: Run) -> None:
        """Around every answer handler."""
        await run()
