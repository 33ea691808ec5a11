"""One module per feature conversation. ``all_flows`` is the registry the engine routes by name."""

from __future__ import annotations

from dialogs.flow import Flow


def all_flows() -> list[Flow]:
    from dialogs.flows.career import CareerFlow
    from dialogs.flows.consent import ConsentFlow
    from dialogs.flows.events import EventsFlow
    from dialogs.flows.family import FamilyFlow
    from dialogs.flows.menu import MenuFlow
    from dialogs.flows.mydata import MyDataFlow
    from dialogs.flows.operator import OperatorFlow
    from dialogs.flows.profile import ProfileFlow
    from dialogs.flows.settings import SettingsFlow
    from dialogs.flows.start import StartFlow
    from dialogs.flows.system import SystemFlow
    from dialogs.flows.understand import UnderstandFlow

    return [
        StartFlow(),
        ConsentFlow(),
        FamilyFlow(),
        ProfileFlow(),
        MyDataFlow(),
        SettingsFlow(),
        CareerFlow(),
        EventsFlow(),
        SystemFlow(),
        OperatorFlow(),
        MenuFlow(),
        UnderstandFlow(),
    ]
