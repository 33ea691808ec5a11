"""Typed words that cannot be stored as they came (NUL, lone surrogates) are cleaned where they enter."""

from __future__ import annotations

import pytest

from backend_client.broadcasts import CLI
from dialogs.ui import Incoming, clean_typed
from tests.flows.conftest import PUPIL_PROFILE, choose_role, consent_adult, fill_rest


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("СамГТУ", "СамГТУ"),
        ("Сам\x00ГТУ\x00", "СамГТУ"),
        ("\x00", ""),
        ("Сам\ud800ГТУ", "СамГТУ"),  # a lone high surrogate
        ("\udfff", ""),  # a lone low one
        ("\ud83d\ude00 ok", "😀 ok"),  # a valid pair is the character it stands for
        ("\x00\ud800\x00", ""),
        ("", ""),
    ],
)
def test_clean_typed(typed, kept):
    assert clean_typed(typed) == kept
    kept.encode("utf-8")  # storable anywhere


def test_every_incoming_text_is_cleaned_however_it_is_built():
    assert Incoming.message("telegram", "1", "a\x00b").text == "ab"
    assert Incoming("vk", "1", "1", text="\ud800").text == ""


async def test_an_operators_typed_campaign_and_school_filter_are_stored_cleanly(client_factory, database):
    """On PostgreSQL the NUL in the school filter failed the step («invalid byte sequence … 0x00»)."""
    pupil = client_factory("p1")
    await choose_role(pupil, "pupil", "15")
    await pupil.press("Согласен")
    await fill_rest(pupil, PUPIL_PROFILE)  # «Школа № 12»
    op = client_factory("op1")
    await consent_adult(op)
    await database.broadcasts.grant_operator("test", "op1", by="test")
    await op.send("/operator")
    await op.press("Новая рассылка")
    await op.send("Профтур\x00 на завод\ud800")
    await op.press("Учебное заведение")
    await op.send("Школа\x00 № 12\ud800")
    assert "Получателей сейчас: 1" in op.text
    await op.press("Далее")
    await op.press("Сейчас")
    await op.press("Отправить")
    assert "Рассылка №1 создана" in op.text
    (campaign,) = await database.broadcasts.recent_campaigns(CLI)
    assert campaign.text == "Профтур на завод"
