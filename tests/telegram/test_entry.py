"""`frontdoor run` with a token: the production entry point polls the emulator and stops on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.telegram.conftest import TOKEN, answered

ROOT = Path(__file__).resolve().parents[2]


async def test_run_polls_answers_and_stops_gracefully(emulator, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
    env |= {
        "FRONTDOOR_TELEGRAM_TOKEN": TOKEN,
        "FRONTDOOR_TELEGRAM_API_URL": emulator.base_url,
        "FRONTDOOR_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "FRONTDOOR_TELEGRAM_POLLING_TIMEOUT": "1",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        user = emulator.user(4242)
        await emulator.wait_for(lambda: emulator.commands, 30)  # registered just before polling starts
        user.start()
        await answered(user, "кто вы", 30)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()
