"""The operators' ``/plan`` in the bot: a person's plan, a new step, a step done or moved.

``/plan telegram:123456`` lists the plan; ``/plan telegram:123456 20.12.2026 Отправить резюме; ЦЗН
Тольятти`` records a step (the place after «;» is optional); ``/plan done 7`` and ``/plan move 7
25.12.2026`` close and move one. The role is checked by the store inside each transaction: to anyone
else the command does not exist, as ``/operator`` does not.
"""

from __future__ import annotations

from typing import Protocol

from backend_client.broadcasts import Actor, NotOperator
from backend_client.errors import ConsentRequired
from backend_client.plans import (
    BadStep,
    NotAPlanRole,
    PersonNotFound,
    PlanStep,
    StepDraft,
    StepNotFound,
    parse_day,
)
from backend_client.ports import PlanDesk
from dialogs.context import Ctx
from dialogs.texts import t
from dialogs.views.plan import day_text


class OperatorRole(Protocol):
    async def is_operator(self, channel: str, account_id: str) -> bool: ...


class Desk:
    role: OperatorRole | None

    @property
    def desk(self) -> PlanDesk:
        raise NotImplementedError

    async def desk_command(self, ctx: Ctx, arg: str) -> None:
        ctx.state.clear_step()
        actor = Actor(ctx.incoming.channel, ctx.incoming.account_id, ctx.press)
        if self.role is None or not await self.role.is_operator(actor.channel, actor.account_id):
            ctx.say(t("engine.unknown_command"))
            return
        words = arg.split()
        try:
            if not words:
                ctx.say(t("plan.operator.usage"))
            elif words[0] in ("done", "move"):
                await self._change(ctx, actor, words)
            else:
                await self._person(ctx, actor, words[0], arg.strip()[len(words[0]) :].strip())
        except NotOperator:  # revoked between the check and the transaction
            ctx.say(t("engine.unknown_command"))
        except BadStep as error:
            ctx.say(t(f"plan.operator.bad_step.{error.reason}"))
        except StepNotFound:
            ctx.say(t("plan.not_yours"))

    async def _person(self, ctx: Ctx, actor: Actor, account: str, rest: str) -> None:
        channel, _, external = account.partition(":")
        if not channel or not external:
            ctx.say(t("plan.operator.bad_account", value=account))
            return
        try:
            if not rest:
                self._list(ctx, account, await self.desk.steps_for(actor, channel, external))
                return
            due_text, _, words = rest.partition(" ")
            due = parse_day(due_text)
            if due is None:
                ctx.say(t("plan.operator.bad_date", value=due_text))
                return
            text, _, place = words.partition(";")
            draft = StepDraft(text.strip(), due, place.strip())
            step, created = await self.desk.add_step(
                actor, channel, external, draft, today=ctx.local_now().date()
            )
        except PersonNotFound:
            ctx.say(t("plan.operator.no_person" if rest else "plan.operator.no_person_list", account=account))
            return
        except ConsentRequired:
            key = "plan.operator.no_consent" if rest else "plan.operator.no_consent_list"
            ctx.say(t(key, account=account))
            return
        except NotAPlanRole:
            ctx.say(t("plan.operator.not_a_plan_role", account=account))
            return
        key = "plan.operator.added" if created else "plan.operator.same"
        ctx.say(t(key, id=step.id, text=step.text, day=day_text(step.due_on)))

    async def _change(self, ctx: Ctx, actor: Actor, words: list[str]) -> None:
        wanted = 2 if words[0] == "done" else 3  # «move» needs the new date
        if len(words) < wanted or not words[1].isascii() or not words[1].isdigit():
            ctx.say(t("plan.operator.usage"))
            return
        step_id = int(words[1])
        if words[0] == "done":
            step, _ = await self.desk.complete_step(actor, step_id)
        else:
            due = parse_day(words[2])
            if due is None:
                ctx.say(t("plan.operator.bad_date", value=" ".join(words[2:])))
                return
            step = await self.desk.move_step(actor, step_id, due, today=ctx.local_now().date())
        ctx.say(_line(step))

    @staticmethod
    def _list(ctx: Ctx, account: str, steps: list[PlanStep]) -> None:
        if not steps:
            ctx.say(t("plan.operator.list_empty", account=account))
            return
        ctx.say("\n".join((t("plan.operator.list_title", account=account), *(_line(step) for step in steps))))


def _line(step: PlanStep) -> str:
    status = t("plan.operator.status_done" if step.done else "plan.operator.status_open")
    return t("plan.operator.list_line", id=step.id, status=status, day=day_text(step.due_on), text=step.text)
