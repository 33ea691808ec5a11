"""The illustrative catalogue shipped with the product (``demo.yaml``), loaded where no catalogue is."""

from __future__ import annotations

from functools import cache
from importlib import resources

from backend_client.colleges.catalogue import parse_colleges
from backend_client.colleges.models import College
from backend_client.ports.colleges import CollegeImports

DEMO_SOURCE = "демо-справочник"


@cache
def demo_colleges() -> tuple[College, ...]:
    text = resources.files("backend_client.colleges").joinpath("demo.yaml").read_text(encoding="utf-8")
    return tuple(parse_colleges(text))


async def seed_demo_colleges(store: CollegeImports) -> bool:
    """Load the demo catalogue into an empty store; an operator's catalogue is never touched."""
    if await store.colleges_count():
        return False
    await store.replace_colleges(list(demo_colleges()), DEMO_SOURCE)
    return True
