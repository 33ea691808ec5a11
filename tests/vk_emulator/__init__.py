"""A VK API emulator for tests: the real vkbottle client talks to it over loopback HTTP.

Modules: ``emulator`` (the facade tests use), ``server`` (methods route, Long Poll server, faults, call
log), ``methods`` (the emulated methods), ``keyboard`` (VK's keyboard rules), ``state`` (people, dialogs,
event history), ``spec`` (parameter decoding and the check against the VK schema), ``callback`` (the
Callback API's deliveries), ``limits`` (20 requests/s), ``user`` (a person's side), ``errors`` (VK's codes).
"""

from tests.vk_emulator.emulator import VkEmulator
from tests.vk_emulator.limits import ManualSeconds
from tests.vk_emulator.server import ApiCall
from tests.vk_emulator.spec import DEFAULT_SPEC, VkApiSpec
from tests.vk_emulator.state import DialogMessage
from tests.vk_emulator.user import VkUser

__all__ = ["DEFAULT_SPEC", "ApiCall", "DialogMessage", "ManualSeconds", "VkApiSpec", "VkEmulator", "VkUser"]
