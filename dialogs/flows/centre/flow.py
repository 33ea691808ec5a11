"""«Центр занятости»: the person's centre (by the profile's municipality), its services and published
slots, a confirmation, then the booking with «Перенести» and «Отменить».

Every booking change is the store's, once per press; the last seat is decided by the database, so a
slot taken or withdrawn meanwhile answers «это время заняли» / «этого времени больше нет» with the
current slots instead of a booking.
"""

from __future__ import annotations

from enum import StrEnum

from backend_client.errors import ConsentRequired
from backend_client.graduates.centres import (
    AlreadyBooked,
    Booking,
    Centre,
    CentreError,
    NoBooking,
    Service,
    Slot,
    SlotFull,
    SlotGone,
    centre_of,
)
from backend_client.graduates.survey import may_take
from backend_client.models import ConsentStatus
from backend_client.ports import CentreBookings, Profiles
from dialogs.context import Ctx
from dialogs.flow import Flow, Run, action, on_press
from dialogs.texts import t
from dialogs.ui import Button, column
from dialogs.views.graduates import centre_card, service_name, slot_when

NAME = "centre"
KEPT = "centre"  # conversation data: {"service": code}


class Step(StrEnum):
    """The screens of ``centre.mmd`` (every choice is a button)."""

    SERVICES = "services"
    SLOTS = "slots"
    CONFIRM = "confirm"
    BOOKING = "booking"


class CentreFlow(Flow):
    name = NAME
    steps = Step

    def __init__(self, bookings: CentreBookings | None, profiles: Profiles) -> None:
        self._bookings = bookings
        self._profiles = profiles

    @property
    def bookings(self) -> CentreBookings:
        if self._bookings is None:  # the guard answers before any screen asks
            raise LookupError("the graduates' store is not configured")
        return self._bookings

    async def enter(self, ctx: Ctx, entry: str = "", arg: str = "") -> None:
        ctx.state.clear_step()
        centre = await self._centre(ctx)
        if centre is None:
            return
        booking = await self._upcoming(ctx)
        if booking is not None:
            self._booking(ctx, centre, booking, t("centre.current", **self._what(ctx, booking)))
            return
        buttons = [Button(service_name(s), self.act("service", s.value)) for s in Service]
        ctx.say(f"{centre_card(centre)}\n\n{t('centre.choose_service')}", column(*buttons))

    async def guard_press(self, ctx: Ctx, run: Run) -> None:
        if await self._centre(ctx) is not None:
            await run()

    async def _centre(self, ctx: Ctx) -> Centre | None:
        """The person's centre, or None after saying why there is none to show."""
        if self._bookings is None or not may_take(ctx.person.role):
            ctx.say(t("centre.not_for_role"))
        elif ctx.person.consent is not ConsentStatus.GRANTED:
            ctx.say(t("centre.needs_consent"))
        else:
            profile = await self._profiles.get_profile(ctx.person.id)
            centre = centre_of(profile.municipality)
            if centre is not None:
                return centre
            ctx.say(t("centre.needs_municipality"))
        await ctx.menu()
        return None

    async def _upcoming(self, ctx: Ctx) -> Booking | None:
        """The person's booking while its time is ahead; a past appointment is history, not a booking."""
        booking = await self.bookings.booking(ctx.person.id)
        return booking if booking is not None and booking.slot.starts_at > ctx.now() else None

    def _what(self, ctx: Ctx, booking: Booking) -> dict[str, str]:
        return {
            "service": service_name(booking.slot.service),
            "when": slot_when(booking.slot.starts_at, ctx.services.timezone),
        }

    def _booking(self, ctx: Ctx, centre: Centre, booking: Booking, note: str) -> None:
        ctx.say(
            f"{note}\n\n{centre_card(centre)}",
            column(
                Button(t("centre.btn.move"), self.act("move")),
                Button(t("centre.btn.cancel"), self.act("cancel")),
                Button(t("btn.back_to_menu"), action("menu", "show")),
            ),
        )

    # -- choosing a time ------------------------------------------------------------------------------
    @on_press("service")
    async def service(self, ctx: Ctx, service: Service) -> None:
        await self._slots(ctx, service)

    async def _slots(self, ctx: Ctx, service: Service, note: str = "") -> None:
        ctx.data[KEPT] = {"service": service.value}
        profile = await self._profiles.get_profile(ctx.person.id)
        slots = await self.bookings.open_slots(profile.municipality or "", service)
        moving = await self._upcoming(ctx) is not None
        back = Button(t("centre.btn.services"), self.act("services"))
        if not slots:
            ctx.say(_with(note, t("centre.no_slots", service=service_name(service))), column(back))
            return
        verb = "pick_move" if moving else "pick"
        buttons = [
            Button(slot_when(slot.starts_at, ctx.services.timezone), self.act(verb, slot.id))
            for slot in slots
        ]
        ctx.say(_with(note, t("centre.slots", service=service_name(service))), column(*buttons, back))

    @on_press("services")
    async def services(self, ctx: Ctx) -> None:
        await self.enter(ctx)

    @on_press("pick")
    async def pick(self, ctx: Ctx, slot: int) -> None:
        await self._confirm(ctx, slot, "confirm")

    @on_press("pick_move")
    async def pick_move(self, ctx: Ctx, slot: int) -> None:
        await self._confirm(ctx, slot, "confirm_move")

    async def _confirm(self, ctx: Ctx, slot_id: int, verb: str) -> None:
        service = self._service(ctx)
        found = next((s for s in await self._open(ctx, service) if s.id == slot_id), None)
        if found is None:
            await self._slots(ctx, service, t("centre.gone"))
            return
        when = slot_when(found.starts_at, ctx.services.timezone)
        ctx.say(
            t("centre.confirm", service=service_name(service), when=when),
            column(
                Button(t("centre.btn.confirm"), self.act(verb, slot_id)),
                Button(t("centre.btn.other_time"), self.act("service", service.value)),
            ),
        )

    async def _open(self, ctx: Ctx, service: Service) -> list[Slot]:
        profile = await self._profiles.get_profile(ctx.person.id)
        return await self.bookings.open_slots(profile.municipality or "", service, limit=50)

    @staticmethod
    def _service(ctx: Ctx) -> Service:
        kept = ctx.data.get(KEPT)
        code = kept.get("service") if isinstance(kept, dict) else None
        return Service(code) if code in set(Service) else Service.CONSULTATION

    # -- booking, moving, cancelling ------------------------------------------------------------------
    @on_press("confirm")
    async def confirm(self, ctx: Ctx, slot: int) -> None:
        await self._change(ctx, slot, moving=False)

    @on_press("confirm_move")
    async def confirm_move(self, ctx: Ctx, slot: int) -> None:
        await self._change(ctx, slot, moving=True)

    async def _change(self, ctx: Ctx, slot_id: int, *, moving: bool) -> None:
        change = self.bookings.move_booking if moving else self.bookings.book
        try:
            booking = await change(ctx.person.id, slot_id, press=ctx.press)
        except (SlotFull, SlotGone) as refused:
            await self._slots(ctx, self._service(ctx), t(f"centre.{refused.code}"))
            return
        except (AlreadyBooked, NoBooking) as refused:
            ctx.say(t("centre.already" if isinstance(refused, AlreadyBooked) else "centre.nothing_to_cancel"))
            await self.enter(ctx)
            return
        except ConsentRequired:
            await self.enter(ctx)
            return
        ctx.data.pop(KEPT, None)
        key = "centre.moved" if moving else "centre.booked"
        centre = centre_of(booking.slot.municipality)
        if centre is None:  # the reference data lost the municipality: say the booking plainly
            ctx.say(t(key, **self._what(ctx, booking)))
            return
        self._booking(ctx, centre, booking, t(key, **self._what(ctx, booking)))

    @on_press("move")
    async def move(self, ctx: Ctx) -> None:
        booking = await self._upcoming(ctx)
        if booking is None:
            ctx.say(t("centre.nothing_to_cancel"))
            await self.enter(ctx)
            return
        await self._slots(ctx, booking.slot.service)

    @on_press("cancel")
    async def cancel(self, ctx: Ctx) -> None:
        cancelled = await self.bookings.cancel_booking(ctx.person.id, press=ctx.press)
        ctx.say(t("centre.cancelled" if cancelled else "centre.nothing_to_cancel"))
        await ctx.menu()


def _with(note: str, text: str) -> str:
    return f"{note}\n\n{text}" if note else text


__all__ = ["NAME", "CentreError", "CentreFlow"]
