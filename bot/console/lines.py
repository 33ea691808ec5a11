"""Reading input lines without holding up Ctrl-C.

``asyncio.to_thread`` would park a blocked ``readline`` in the loop's default executor, and
``asyncio.run`` joins that executor on the way out: after Ctrl-C the program would hang until the next
Enter. Each read here runs on a daemon thread instead, which the interpreter may abandon at exit.
"""

from __future__ import annotations

import asyncio
import threading
from contextlib import suppress
from typing import TextIO


async def read_line(stream: TextIO) -> str | None:
    """The next line without its line break, or None at end of input."""
    loop = asyncio.get_running_loop()
    arrived: asyncio.Future[str] = loop.create_future()

    def deliver(line: str) -> None:
        if not arrived.done():  # cancelled meanwhile (Ctrl-C)
            arrived.set_result(line)

    def read() -> None:
        try:
            line = stream.readline()
        except (OSError, ValueError):  # closed or broken stdin: same as end of input
            line = ""
        with suppress(RuntimeError):  # the loop is already closed
            loop.call_soon_threadsafe(deliver, line)

    threading.Thread(target=read, name="console-input", daemon=True).start()
    line = await arrived
    return line.removesuffix("\n").removesuffix("\r") if line else None
