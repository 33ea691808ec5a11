"""What the rooms of «Мой профиль» share: the flow's steps and what the rooms need of the flow."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from dialogs.context import Ctx

MODE_CREATE, MODE_EDIT = "ask", "edit"  # the first fill-in, or one field edited later


class Step(StrEnum):
    """The steps of ``profile.mmd``; the waiting ones' values are what conversation states store."""

    NEEDS_CONSENT = "needs_consent"
    ASK = MODE_CREATE  # waiting: a field of the first fill-in, stored as ``ask:<field>``
    GUESS = "guess"  # a place one typo away, «да» or «нет» typed at the same step
    SAVED = "saved"
    SUMMARY = "summary"
    EDIT = MODE_EDIT  # waiting: one field edited, stored as ``edit:<field>``
    AGE_NEEDS_PARENT = "age_needs_parent"
    ROLE_CONFIRM = "role_confirm"
    ROLE_PICK = "role_pick"  # waiting: the new role (a typed label works too)
    ROLE_AGE = "role_age"  # waiting: the age for the new role
    NEEDS_PARENT = "needs_parent"


class ProfileHost(Protocol):
    """What the field editor and the role change need of the profile flow they belong to."""

    @property
    def name(self) -> str: ...

    def act(self, verb: str, arg: object = "") -> str: ...

    def wait(self, ctx: Ctx, step: StrEnum, param: object = "") -> None: ...

    async def on_action(self, ctx: Ctx, verb: str, arg: str) -> None: ...

    async def show(self, ctx: Ctx) -> None: ...
