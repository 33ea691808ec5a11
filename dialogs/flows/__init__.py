"""One module per feature conversation. ``all_flows`` is the registry the engine routes by name."""

from __future__ import annotations

from dialogs.context import Services
from dialogs.flow import Flow


def all_flows(services: Services | None = None) -> list[Flow]:
    from dialogs.flows.career import CareerFlow
    from dialogs.flows.consent import ConsentFlow
    from dialogs.flows.events import EventsFlow
    from dialogs.flows.family import FamilyFlow
    from dialogs.flows.jobs import FEATURE as JOBS
    from dialogs.flows.menu import MenuFlow
    from dialogs.flows.mydata import MyDataFlow
    from dialogs.flows.operator import OperatorFlow
    from dialogs.flows.profile import ProfileFlow
    from dialogs.flows.settings import SettingsFlow
    from dialogs.flows.start import StartFlow
    from dialogs.flows.system import SystemFlow
    from dialogs.flows.understand import UnderstandFlow

    # Temporary wiring until the feature registry: a feature's flow needs its ports from the services.
    features = [JOBS.flow(services)] if services is not None and services.vacancies is not None else []
    return [
        *features,
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
