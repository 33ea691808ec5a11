"""An emulator of the «Работа России» open-data API (the region endpoint) and real-shaped records."""

from tests.trudvsem_emulator.records import record
from tests.trudvsem_emulator.server import Fault, Served, TrudvsemEmulator

__all__ = ["Fault", "Served", "TrudvsemEmulator", "record"]
