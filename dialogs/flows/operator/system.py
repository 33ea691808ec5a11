"""System messages at the desk: planned works (three texts, announced ahead) and emergency notices."""

from __future__ import annotations

from datetime import datetime

from backend_client.broadcasts import MaintenanceTexts, SystemKind
from dialogs.context import Ctx
from dialogs.flows.operator.common import Desk, act, draft, local
from dialogs.texts import t
from dialogs.ui import Button, column


def maintenance_texts(ctx: Ctx, start: datetime, end: datetime, text: str) -> MaintenanceTexts:
    window = {"start": local(ctx, start), "end": local(ctx, end), "text": text}
    return MaintenanceTexts(
        t("system.maintenance", **window),
        t("system.maintenance_eve", **window),
        t("system.maintenance_done", **window),
    )


def preview(ctx: Ctx) -> None:
    """The announcement, the eve's reminder and the «done» notice of the works drafted."""
    ctx.state.clear_step()
    op = draft(ctx)
    start = datetime.fromisoformat(str(op["start"]))
    end = datetime.fromisoformat(str(op["end"]))
    texts = maintenance_texts(ctx, start, end, str(op["text"]))
    ctx.say(
        t("operator.confirm_maintenance", announcement=texts.announcement, eve=texts.eve, done=texts.done),
        column(
            Button(t("operator.btn.plan"), act("plan")),
            Button(t("operator.btn.abort"), act("home")),
        ),
    )


async def plan(ctx: Ctx, desk: Desk) -> bool:
    """Announce the works drafted; False when the draft is gone (an old button)."""
    broadcasts, actor = desk.powers(ctx)
    op = draft(ctx)
    if not {"start", "end", "text"} <= op.keys():
        return False
    start = datetime.fromisoformat(str(op["start"]))
    end = datetime.fromisoformat(str(op["end"]))
    message = await broadcasts.plan_maintenance(
        actor, start, end, maintenance_texts(ctx, start, end, str(op["text"]))
    )
    ctx.data.pop("op", None)
    ctx.say(t("operator.planned", number=message.id))
    return True


def confirm_emergency(ctx: Ctx, text: str) -> None:
    ctx.state.clear_step()
    ctx.say(
        t("operator.confirm_emergency", text=t("system.emergency", text=text)),
        column(
            Button(t("operator.btn.alarm"), act("alarm")),
            Button(t("operator.btn.abort"), act("home")),
        ),
    )


async def system_messages(ctx: Ctx, desk: Desk) -> None:
    """The system messages in force, each with what can be done to it."""
    broadcasts, _ = desk.powers(ctx)
    messages = await broadcasts.system_messages()
    lines = [t("system.title"), *(m.text for m in messages)]
    buttons = []
    for m in messages:
        if m.kind is SystemKind.MAINTENANCE and m.starts_at > ctx.now():
            buttons.append(Button(t("operator.btn.calloff", number=m.id), act("calloff", m.id)))
        elif m.kind is SystemKind.EMERGENCY:
            buttons.append(Button(t("operator.btn.resolve", number=m.id), act("resolve", m.id)))
            buttons.append(Button(t("operator.btn.withdraw", number=m.id), act("withdraw", m.id)))
    buttons.append(Button(t("operator.btn.home"), act("home")))
    ctx.say("\n\n".join(lines) if messages else t("system.none"), column(*buttons))
