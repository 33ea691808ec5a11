"""Helpers for the bot tests: a clean configuration and the ``frontdoor`` CLI run as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

# Read by the test fixtures, not by the product: they survive the clean-up below.
TEST_ONLY_KEYS = ("FRONTDOOR_TEST_", "FRONTDOOR_REQUIRE_SERVICES")


def product_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The current environment without any product setting, plus ``extra``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("FRONTDOOR_") or key.startswith(TEST_ONLY_KEYS)
    }
    return env | (extra or {})


@pytest.fixture
def clean_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No FRONTDOOR_* product setting in the environment and no stray .env: the working directory is
    ``tmp_path``, which is returned."""
    for key in list(os.environ):
        if key.startswith("FRONTDOOR_") and not key.startswith(TEST_ONLY_KEYS):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return tmp_path


Completed = subprocess.CompletedProcess[str]
Frontdoor = Callable[..., Completed]


@pytest.fixture
def frontdoor(tmp_path: Path) -> Frontdoor:
    """``frontdoor(*args, stdin=..., env=...)``: ``python -m bot`` in ``tmp_path`` with a clean config."""

    def run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> Completed:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=product_env(env),
            timeout=120,
            check=False,
        )

    return run
