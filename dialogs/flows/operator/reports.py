"""What the desk shows about what was sent: recent campaigns, one campaign's figures, the test report."""

from __future__ import annotations

from backend_client.broadcasts import Audience, Campaign, CampaignKind, CampaignStats, CampaignStatus
from dialogs.context import Ctx
from dialogs.flows.operator.common import Desk, act, local
from dialogs.flows.operator.composer import describe
from dialogs.texts import t
from dialogs.ui import Button, column


def _system_name(campaign: Campaign) -> str:
    emergency = campaign.kind in (CampaignKind.EMERGENCY, CampaignKind.EMERGENCY_RESOLVED)
    return t(f"operator.system_name.{'emergency' if emergency else 'maintenance'}")


def campaign_title(campaign: Campaign) -> str:
    """«Рассылка №4 (рассылка)» or, for a stage of a system message, «Плановые работы №1 (…)»."""
    if campaign.system_message_id is None:
        return t("operator.stats_title", number=campaign.id, kind=t(f"operator.kind.{campaign.kind.value}"))
    return t(
        "operator.system_title",
        system=_system_name(campaign),
        number=campaign.system_message_id,
        kind=t(f"operator.stage.{campaign.kind.value}"),
    )


async def campaigns(ctx: Ctx, desk: Desk) -> None:
    broadcasts, actor = desk.powers(ctx)
    recent = await broadcasts.recent_campaigns(actor)
    buttons = [Button(_campaign_line(ctx, c), act("open", c.id)) for c in recent]
    buttons.append(Button(t("operator.btn.home"), act("home")))
    ctx.say(t("operator.campaigns" if recent else "operator.no_campaigns"), column(*buttons))


def _campaign_line(ctx: Ctx, c: Campaign) -> str:
    values = {
        "status": t(f"operator.status.{c.status.value}"),
        "when": f"{c.not_before.astimezone(ctx.services.timezone):%d.%m %H:%M}",
    }
    if c.system_message_id is None:
        return t("operator.campaign_line", number=c.id, kind=t(f"operator.kind.{c.kind.value}"), **values)
    stage = t(f"operator.stage.{c.kind.value}")
    return t("operator.system_line", system=_system_name(c), number=c.system_message_id, kind=stage, **values)


async def stats(ctx: Ctx, desk: Desk, campaign_id: int) -> bool:
    """One campaign's figures with what can still be done to it; False when there is no such campaign."""
    broadcasts, actor = desk.powers(ctx)
    found = await broadcasts.campaign(actor, campaign_id)
    if found is None:
        return False
    buttons = [Button(t("operator.btn.refresh"), act("open", campaign_id))]
    open_ = found.campaign.status is CampaignStatus.SCHEDULED or found.queued > 0
    if found.campaign.status is not CampaignStatus.CANCELLED and open_:
        buttons.append(Button(t("operator.btn.cancel_campaign"), act("cancel", campaign_id)))
    buttons.append(Button(t("operator.btn.campaigns"), act("campaigns")))
    ctx.say(_stats_text(ctx, found), column(*buttons))
    return True


def _stats_text(ctx: Ctx, stats: CampaignStats) -> str:
    c = stats.campaign
    by = stats.by_status
    lines = [
        t(
            "operator.stats",
            title=campaign_title(c),
            status=t(f"operator.status.{c.status.value}"),
            when=local(ctx, c.not_before),
            audience=describe(c.audience),
            recipients="—" if c.recipients is None else c.recipients,
            queued=stats.queued,
            quiet=stats.held_quiet,
            delivered=by.get("delivered", 0) + by.get("merged", 0),
            merged=by.get("merged", 0),
            blocked=by.get("blocked", 0),
            failed=by.get("failed", 0),
            cancelled=by.get("cancelled", 0) + by.get("expired", 0),
        )
    ]
    for reason, count in stats.failures.items():
        lines.append(t("operator.failure_line", reason=reason or "—", count=count))
    return "\n".join(lines)


async def career_report(ctx: Ctx, desk: Desk) -> None:
    broadcasts, actor = desk.powers(ctx)
    await broadcasts.audience_size(actor, Audience())  # the role check of a read-only report
    report = await desk.reports.career_report()
    lines = [t("operator.report_title")]
    for figures in report.instruments:
        lines.append(
            t(
                "operator.report_line",
                instrument=figures.instrument,
                started=figures.started,
                completed=figures.completed,
                rate=f"{figures.completion_rate:.0%}",
                people=figures.people,
            )
        )
    share = report.pupils_8_9_tested / report.pupils_8_9 if report.pupils_8_9 else 0.0
    lines.append(
        t(
            "operator.report_pilot",
            tested=report.pupils_8_9_tested,
            total=report.pupils_8_9,
            share=f"{share:.0%}",
        )
    )
    ctx.say("\n".join(lines), column(Button(t("operator.btn.home"), act("home"))))
