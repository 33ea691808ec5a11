"""«Уведомления»: how the person wants proactive messages, per category, and their quiet hours.

Also the target of the one-tap "stop this kind" under every proactive message: that button carries a
public payload (``~stop:<category>``) instead of a one-time token, because it is sent by the relay, not in
a conversation turn; it can only ever switch off a category for the person who pressed it.
"""

from __future__ import annotations

from datetime import time
from enum import StrEnum

from backend_client.models import AgeBand, ConsentStatus
from backend_client.outreach import (
    ADULT_QUIET_HOURS,
    ALWAYS_ON,
    MINOR_QUIET_HOURS,
    Category,
    DeliveryMode,
    NotificationSettings,
    QuietHours,
)
from backend_client.ports import NotificationPreferences
from dialogs.context import Ctx
from dialogs.feature import Feature, MenuEntry, opens
from dialogs.flow import Flow, Run, action, on_press
from dialogs.intents import Route
from dialogs.texts import t
from dialogs.ui import Button, column

QUIET_PRESETS = {
    "21-09": QuietHours(time(21, 0), time(9, 0)),
    "22-08": QuietHours(time(22, 0), time(8, 0)),
    "23-07": QuietHours(time(23, 0), time(7, 0)),
}


def _category(value: str) -> Category | None:
    known = value in Category.__members__.values()
    return Category(value) if known and value not in ALWAYS_ON else None


def _span(quiet: QuietHours) -> str:
    return f"{quiet.start:%H:%M}–{quiet.end:%H:%M}"


class Step(StrEnum):
    """The screens of ``settings.mmd``; the flow never waits for text."""

    OVERVIEW = "overview"
    NEEDS_CONSENT = "needs_consent"
    MODE = "mode"  # a category's delivery mode
    QUIET = "quiet"  # the quiet-hours presets


class SettingsFlow(Flow):
    name = "settings"
    steps = Step

    def __init__(self, preferences: NotificationPreferences) -> None:
        self.preferences = preferences

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        if ctx.person.consent is not ConsentStatus.GRANTED:
            ctx.say(t("settings.need_consent"))
            await ctx.menu()
            return
        if entry == "stop":
            await self._stop(ctx, arg)
            return
        await self._show(ctx)

    async def guard_press(self, ctx: Ctx, run: Run) -> None:
        if ctx.person.consent is not ConsentStatus.GRANTED:
            await self.enter(ctx)  # consent withdrawn meanwhile: says why there is nothing to set
            return
        await run()

    @on_press("show")
    async def show(self, ctx: Ctx) -> None:
        await self._show(ctx)

    @on_press("category")
    async def category(self, ctx: Ctx, category: Category) -> None:
        modes = [
            Button(t(f"settings.mode.{mode.value}"), self.act("mode", f"{category.value}.{mode.value}"))
            for mode in DeliveryMode
        ]
        ctx.say(t("settings.choose_mode", category=t(f"settings.category.{category.value}")), column(*modes))

    @on_press("mode")
    async def mode(self, ctx: Ctx, choice: str) -> None:
        """``category.mode``."""
        await self._set_mode(ctx, choice)

    @on_press("quiet")
    async def quiet(self, ctx: Ctx, preset: str = "") -> None:
        """No preset: the choice of presets; a preset key or «default»: saved."""
        await self._quiet(ctx, preset)

    async def _show(self, ctx: Ctx) -> None:
        settings = await self.preferences.notification_settings(ctx.person.id)
        lines = [t("settings.title")]
        buttons = []
        for category in Category:
            if category in ALWAYS_ON:
                continue
            name = t(f"settings.category.{category.value}")
            mode = t(f"settings.mode.{settings.mode(category).value}")
            lines.append(t("settings.line", category=name, mode=mode))
            buttons.append(Button(t("settings.change", category=name), self.act("category", category.value)))
        lines.append(t("settings.quiet_line", span=_span(self._quiet_hours(ctx, settings))))
        buttons.append(Button(t("settings.change_quiet"), self.act("quiet")))
        buttons.append(Button(t("btn.back_to_menu"), action("menu", "show")))
        ctx.say("\n".join(lines), column(*buttons))

    @staticmethod
    def _quiet_hours(ctx: Ctx, settings: NotificationSettings) -> QuietHours:
        if settings.quiet is not None:
            return settings.quiet
        return ADULT_QUIET_HOURS if ctx.person.age_band is AgeBand.ADULT else MINOR_QUIET_HOURS

    async def _set_mode(self, ctx: Ctx, arg: str) -> None:
        category_value, _, mode_value = arg.partition(".")
        category = _category(category_value)
        if category is None or mode_value not in DeliveryMode.__members__.values():
            await ctx.stale()
            return
        mode = DeliveryMode(mode_value)
        await self.preferences.set_delivery_mode(ctx.person.id, category, mode)
        ctx.say(t("settings.saved"))
        await self._show(ctx)

    async def _quiet(self, ctx: Ctx, arg: str) -> None:
        if not arg:
            presets = [Button(_span(quiet), self.act("quiet", key)) for key, quiet in QUIET_PRESETS.items()]
            presets.append(Button(t("settings.quiet_default"), self.act("quiet", "default")))
            ctx.say(t("settings.choose_quiet"), column(*presets))
            return
        if arg != "default" and arg not in QUIET_PRESETS:
            await ctx.stale()
            return
        await self.preferences.set_quiet_hours(ctx.person.id, QUIET_PRESETS.get(arg))
        ctx.say(t("settings.saved"))
        await self._show(ctx)

    async def _stop(self, ctx: Ctx, arg: str) -> None:
        category = _category(arg)
        if category is None:
            await ctx.stale()
            return
        await self.preferences.set_delivery_mode(ctx.person.id, category, DeliveryMode.OFF)
        ctx.notice = t("settings.stopped_notice")
        ctx.say(t("settings.stopped", category=t(f"settings.category.{category.value}")))
        await self._show(ctx)


FEATURE = Feature(
    name="settings",
    flow=lambda services: SettingsFlow(services.records),
    commands={"settings": opens("settings")},
    menu=(MenuEntry("btn.settings", action("settings", "show"), order=70),),
    intents={"unsubscribe": Route(flow="settings")},
    public={"stop": "stop"},  # «не присылать такие» under any notice
)
