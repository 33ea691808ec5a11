"""`frontdoor run` with a VK token: the production entry point serves VK (and Telegram beside it when both
tokens are set, one process, one event loop) and stops on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys

import pytest
from aiohttp import ClientSession

from tests.telegram.conftest import TOKEN as TELEGRAM_TOKEN
from tests.telegram_emulator import TelegramEmulator
from tests.vk.conftest import SECRET, TOKEN, answered


async def _run(tmp_path, env: dict[str, str]) -> asyncio.subprocess.Process:
    base = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
    base |= {"FRONTDOOR_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", "FRONTDOOR_NLU_BACKEND": "off"}
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=base | env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _stop(process: asyncio.subprocess.Process) -> None:
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
async def test_run_serves_vk_and_telegram_side_by_side(emulator, tmp_path):
    async with TelegramEmulator(TELEGRAM_TOKEN) as telegram:
        process = await _run(
            tmp_path,
            {
                "FRONTDOOR_VK_TOKEN": TOKEN,
                "FRONTDOOR_VK_API_URL": emulator.base_url + "/method",
                "FRONTDOOR_VK_POLLING_WAIT": "1",
                "FRONTDOOR_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
                "FRONTDOOR_TELEGRAM_API_URL": telegram.base_url,
                "FRONTDOOR_TELEGRAM_POLLING_TIMEOUT": "1",
            },
        )
        try:
            await emulator.wait_for(lambda: emulator.calls_to("groups.getLongPollServer"), 30)
            await telegram.wait_for(lambda: telegram.commands, 30)
            vk_user, tg_user = emulator.user(4242), telegram.user(4343)
            vk_user.send("Начать")
            tg_user.start()
            await answered(vk_user, "кто вы", 30)
            await telegram.wait_for(lambda: tg_user.seen("кто вы"), 30)
        finally:
            await _stop(process)


async def test_run_serves_the_callback_api(emulator, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = await _run(
        tmp_path,
        {
            "FRONTDOOR_VK_TOKEN": TOKEN,
            "FRONTDOOR_VK_API_URL": emulator.base_url + "/method",
            "FRONTDOOR_VK_CALLBACK_URL": f"http://127.0.0.1:{port}/vk/callback",
            "FRONTDOOR_VK_CALLBACK_SECRET": SECRET,
            "FRONTDOOR_VK_LISTEN_HOST": "127.0.0.1",
            "FRONTDOOR_VK_LISTEN_PORT": str(port),
        },
    )
    try:
        url = f"http://127.0.0.1:{port}/vk/callback"
        async with ClientSession() as session:
            for _ in range(300):  # until the server listens
                try:
                    async with session.get(url.replace("/vk/callback", "/healthz")) as response:
                        if response.status == 200:
                            break
                except OSError:
                    await asyncio.sleep(0.1)
        # the confirmation string was asked from VK, as none is configured
        assert await emulator.use_callback(url, SECRET)
        user = emulator.user(4444)
        user.send("Начать")
        await answered(user, "кто вы", 30)
    finally:
        await _stop(process)


async def test_a_refused_token_is_one_line_naming_the_setting(emulator, tmp_path):
    process = await _run(
        tmp_path,
        {"FRONTDOOR_VK_TOKEN": "vk1.a.some-other-token-value", "FRONTDOOR_VK_API_URL": emulator.api_url},
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert stderr.decode().strip().splitlines()[-1] == (
        "frontdoor: configuration problem: FRONTDOOR_VK_TOKEN was refused by VK (error 5)"
    )
