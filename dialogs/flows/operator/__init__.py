"""The operator's desk, one module per room: ``desk`` routes, ``composer``, ``system`` and ``reports``
draw the screens."""

from dialogs.feature import Feature, MenuEntry, opens
from dialogs.flow import action
from dialogs.flows.operator.desk import OperatorFlow

__all__ = ["FEATURE", "OperatorFlow"]

FEATURE = Feature(
    name="operator",
    flow=lambda services: OperatorFlow(services.broadcasts, services.records),
    operator_commands={"operator": opens("operator")},  # unknown to everyone else (the flow checks)
    menu=(MenuEntry("btn.operator", action("operator", "home"), order=100, when=lambda v: v.operator),),
)
