"""The campaign composer: text, audience, moment, confirmation, sending."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from backend_client.broadcasts import Audience, CampaignDraft, CampaignKind
from backend_client.models import Role
from backend_client.reference import municipality
from dialogs.context import Ctx
from dialogs.flows.operator.common import Desk, act, draft, local
from dialogs.texts import t
from dialogs.ui import Button, column
from dialogs.validation import InputError, match_municipality

NUMBERS = re.compile(r"\d+")
ROLES = (
    Role.PUPIL,
    Role.COLLEGE_STUDENT,
    Role.UNIVERSITY_STUDENT,
    Role.GRADUATE,
    Role.PARENT,
    Role.JOBSEEKER,
)


def audience(ctx: Ctx) -> Audience:
    raw = draft(ctx).get("audience")
    return Audience.from_json(raw if isinstance(raw, dict) else {})


def set_audience(ctx: Ctx, values: Sequence[object], name: str) -> None:
    data = audience(ctx).as_json()
    data[name] = [value.value if isinstance(value, Role) else value for value in values]
    draft(ctx)["audience"] = data


def toggle_role(ctx: Ctx, role: Role) -> None:
    roles = set(audience(ctx).roles) ^ {role}
    set_audience(ctx, [r for r in ROLES if r in roles], "roles")


def filter_municipality(ctx: Ctx, text: str) -> bool:
    """Narrow the audience to the municipality typed; False when none matches."""
    try:
        match = match_municipality(text)
    except InputError:
        match = None
    if match is None or match.found is None:
        return False
    set_audience(ctx, [match.found.code], "municipalities")
    return True


def filter_grade(ctx: Ctx, text: str) -> bool:
    """Narrow the audience to the grades (or, with «курс», courses) typed; False when they are not 1–11."""
    numbers = [int(n) for n in NUMBERS.findall(text)]
    if not numbers or any(n < 1 or n > 11 for n in numbers):
        return False
    set_audience(ctx, numbers, "courses" if "курс" in text.lower() else "grades")
    return True


def describe(given: Audience) -> str:
    if given.everyone:  # system messages reach every account, consent or not
        return t("operator.audience_all_accounts" if given.all_accounts else "operator.audience_everyone")
    parts = []
    if given.roles:
        parts.append(", ".join(t(f"role.{role.value}") for role in given.roles))
    if given.municipalities:
        parts.append(", ".join(m.name for code in given.municipalities if (m := municipality(code))))
    if given.grades:
        parts.append(t("operator.grades", grades=", ".join(map(str, given.grades))))
    if given.courses:
        parts.append(t("operator.courses", courses=", ".join(map(str, given.courses))))
    if given.institutions:
        parts.append(", ".join(given.institutions))
    return "; ".join(parts)


async def audience_screen(ctx: Ctx, desk: Desk) -> None:
    broadcasts, actor = desk.powers(ctx)
    ctx.state.clear_step()
    chosen = audience(ctx)
    count = await broadcasts.audience_size(actor, chosen)
    role_buttons = [
        Button(("✅ " if role in chosen.roles else "") + t(f"role.{role.value}"), act("role", role.value))
        for role in ROLES
    ]
    ctx.say(
        t("operator.audience", audience=describe(chosen), count=count),
        column(
            *role_buttons,
            Button(t("operator.btn.municipality"), act("filter", "municipality")),
            Button(t("operator.btn.grade"), act("filter", "grade")),
            Button(t("operator.btn.institution"), act("filter", "institution")),
            Button(t("operator.btn.reset"), act("reset")),
            Button(t("operator.btn.next"), act("when")),
            Button(t("operator.btn.abort"), act("home")),
        ),
    )


async def schedule_screen(ctx: Ctx) -> None:
    if "text" not in draft(ctx):
        await ctx.stale()
        return
    ctx.say(
        t("operator.when"),
        column(
            Button(t("operator.btn.now"), act("now")),
            Button(t("operator.btn.later"), act("later")),
            Button(t("operator.btn.abort"), act("home")),
        ),
    )


async def confirm_screen(ctx: Ctx, desk: Desk) -> None:
    broadcasts, actor = desk.powers(ctx)
    ctx.state.clear_step()
    op = draft(ctx)
    chosen = audience(ctx)
    count = await broadcasts.audience_size(actor, chosen)
    at = datetime.fromisoformat(str(op["at"]))
    ctx.say(
        t(
            "operator.confirm",
            text=op.get("text", ""),
            audience=describe(chosen),
            count=count,
            when=t("operator.at_once") if at <= ctx.now() else local(ctx, at),
        ),
        column(
            Button(t("operator.btn.send"), act("send")),
            Button(t("operator.btn.abort"), act("home")),
        ),
    )


async def send(ctx: Ctx, desk: Desk) -> bool:
    """Create the campaign drafted; False for an old confirmation button after the draft was sent or
    dropped."""
    broadcasts, actor = desk.powers(ctx)
    op = draft(ctx)
    if "text" not in op or "at" not in op:
        return False
    at = datetime.fromisoformat(str(op["at"]))
    campaign = await broadcasts.create_campaign(
        actor, CampaignDraft(CampaignKind.NEWS, str(op["text"]), audience(ctx), at)
    )
    ctx.data.pop("op", None)
    ctx.say(t("operator.created", number=campaign.id, when=local(ctx, campaign.not_before)))
    return True
