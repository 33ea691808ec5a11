"""The operator's desk, one module per room: ``desk`` routes, ``composer``, ``system`` and ``reports``
draw the screens."""

from dialogs.flows.operator.desk import OperatorFlow

__all__ = ["OperatorFlow"]
