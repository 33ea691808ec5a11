"""Flow-test fixtures: the real engine over the real store (SQLite and PostgreSQL) with a manual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from backend_client.clock import ManualClock
from backend_client.sql import open_database
from bot.wiring import build_engine
from dialogs.engine import Engine
from dialogs.testing import DialogClient
from tests.conftest import sqlite_copy


@pytest.fixture
def engine(database, clock: ManualClock) -> Engine:
    return build_engine(database, database.conversations, clock)


@pytest.fixture
async def sqlite_engine(
    request: pytest.FixtureRequest, tmp_path: Path, clock: ManualClock
) -> AsyncIterator[Engine]:
    """One engine over SQLite only: for what reads the engine's wiring (its flows), not the store."""
    database = await open_database(sqlite_copy(request, tmp_path / "wiring.db"), clock)
    try:
        yield build_engine(database, database.conversations, clock)
    finally:
        await database.close()


@pytest.fixture
def client_factory(engine: Engine) -> Callable[[str], DialogClient]:
    def make(account_id: str = "1001") -> DialogClient:
        return DialogClient(engine, account_id=account_id)

    return make


@pytest.fixture
def client(client_factory) -> DialogClient:
    return client_factory("1001")


Journey = Callable[..., Awaitable[DialogClient]]

ROLE_LABELS = {
    "pupil": "Школьник",
    "college_student": "колледжа",
    "university_student": "вуза",
    "graduate": "Выпускник",
    "parent": "Родитель",
    "jobseeker": "Другой взрослый",
}


async def choose_role(client: DialogClient, role: str, age: str) -> None:
    await client.send("/start")
    await client.press(ROLE_LABELS[role])
    await client.send(age)


async def consent_adult(client: DialogClient, role: str = "graduate", age: str = "22") -> None:
    await choose_role(client, role, age)
    assert "согласие" in client.text
    await client.press("Согласен")


PUPIL_PROFILE = ("Аня", "Самара", "Школа № 12", "9")
STUDENT_PROFILE = ("Иван", "Тольятти", "Тольяттинский политехнический колледж", "2", "Сварочное производство")


async def fill_rest(client: DialogClient, answers: tuple[str, ...]) -> None:
    """Answer the profile's questions in order, then skip what is optional."""
    for answer in answers:
        await client.send(answer)
    while "Пропустить" in " ".join(client.labels):
        await client.press("Пропустить")
