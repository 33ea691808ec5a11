"""«Центр занятости»: booking a slot at the employment centre of the person's municipality, moving and
cancelling it (``flow``); reminders the day before and two hours before follow the bookings
(``notifications/rules/centre_reminders.py``). The diagram is ``centre.mmd`` beside them."""

from __future__ import annotations

from functools import partial

from backend_client.ports import CentreBookings
from dialogs.context import Services
from dialogs.feature import Feature, MenuEntry, MyDataLine, opens
from dialogs.flow import Flow, action
from dialogs.flows.centre.flow import NAME, CentreFlow
from dialogs.flows.graduate.flow import graduating_viewer
from dialogs.texts import t
from dialogs.views.graduates import service_name, slot_when

__all__ = ["FEATURE", "CentreFlow"]


def _flow(services: Services) -> Flow:
    return CentreFlow(services.graduates, services.records)


def _my_data(services: Services) -> MyDataLine:
    if services.graduates is None:
        return _nothing
    return partial(_line, services.graduates, services)


async def _line(bookings: CentreBookings, services: Services, person_id: int) -> str:
    booking = await bookings.booking(person_id)
    if booking is None:
        return t("centre.mydata_none")
    when = slot_when(booking.slot.starts_at, services.timezone)
    return t("centre.mydata", service=service_name(booking.slot.service), when=when)


async def _nothing(person_id: int) -> str:
    return t("centre.mydata_none")


FEATURE = Feature(
    name=NAME,
    flow=_flow,
    commands={"centre": opens(NAME)},
    menu=(MenuEntry("centre.btn.menu", action(NAME, "services"), order=57, when=graduating_viewer),),
    my_data=_my_data,
)
