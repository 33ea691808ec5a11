"""Rendering for VK: keyboards within VK's inline limits, payloads, labels and text chunks."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.vk.delivery import VkDelivery
from bot.vk.render import chunks, decode_payload, encode_payload, keyboards
from dialogs.ui import Button, Document, Outcome, Reply


def keyboard_of(*row_lengths: int) -> tuple[tuple[Button, ...], ...]:
    return tuple(
        tuple(Button(f"Кнопка {r}.{i}", f"tok{r}x{i}") for i in range(n)) for r, n in enumerate(row_lengths)
    )


def shapes(rendered: list[str]) -> list[list[int]]:
    return [[len(row) for row in json.loads(page)["buttons"]] for page in rendered]


def test_a_small_keyboard_is_one_inline_keyboard_of_callback_buttons():
    [page] = keyboards(keyboard_of(1, 2))
    parsed = json.loads(page)
    assert parsed["inline"] is True
    button = parsed["buttons"][0][0]["action"]
    assert button == {"type": "callback", "label": "Кнопка 0.0", "payload": '{"t":"tok0x0"}'}


def test_seven_single_buttons_are_paired_to_fit_six_rows():
    assert shapes(keyboards(keyboard_of(*[1] * 7))) == [[2, 1, 1, 1, 1, 1]]


def test_more_than_ten_buttons_are_split_and_long_rows_wrapped():
    assert shapes(keyboards(keyboard_of(*[1] * 12))) == [[1] * 6, [1] * 6]
    assert shapes(keyboards(keyboard_of(7))) == [[5, 2]]
    assert shapes(keyboards(keyboard_of(5, 5, 5))) == [[5, 5], [5]]


@given(st.lists(st.integers(min_value=1, max_value=8), min_size=1, max_size=12))
def test_every_page_keeps_vks_limits_and_every_button_survives(row_lengths):
    keyboard = keyboard_of(*row_lengths)
    pages = shapes(keyboards(keyboard))
    assert all(len(page) <= 6 and sum(page) <= 10 and max(page) <= 5 for page in pages)
    assert sum(map(sum, pages)) == sum(row_lengths)


def test_long_labels_are_clipped_and_payloads_round_trip():
    [page] = keyboards(((Button("Очень " * 20, "abc"),),))
    label = json.loads(page)["buttons"][0][0]["action"]["label"]
    assert len(label) == 40
    assert label.endswith("…")
    assert decode_payload(encode_payload("~stop:news")) == "~stop:news"
    assert decode_payload({"t": "abc"}) == "abc"
    with pytest.raises(ValueError, match="255"):
        encode_payload("x" * 250)


@pytest.mark.parametrize("raw", [None, "", "not json", "[1]", {"t": 5}, {"t": ""}, {"x": "abc"}, 42])
def test_malformed_payloads_are_no_token(raw):
    assert decode_payload(raw) is None


def test_texts_are_split_at_4096_on_paragraphs():
    text = "\n\n".join("абв " * 300 for _ in range(5))
    parts = chunks(text)
    assert len(parts) > 1
    assert all(len(part) <= 4096 for part in parts)
    assert parts[0].endswith("абв")


def test_a_document_goes_as_text_after_the_reply_and_keyboards_under_the_last_chunk():
    export = Document("data.json", json.dumps({"name": "Олег", "x": "я" * 5000}).encode())
    keyboard = keyboard_of(*[1] * 12)
    outcome = Outcome((Reply("Ваши данные:", document=export), Reply("Что дальше?", keyboard)))
    messages = list(VkDelivery.messages(outcome))
    assert messages[0][0].startswith("Ваши данные:\n\n{")
    assert '"name": "Олег"' in messages[0][0]
    assert all(len(text) <= 4096 for text, _ in messages)
    flags = [keyboard is not None for _, keyboard in messages]
    assert flags[-2:] == [True, True]
    assert not any(flags[:-2])
    assert messages[-2][0] == "Что дальше?"
    assert messages[-1][0] == "…"


def test_a_payload_longer_than_vk_allows_is_not_parsed():
    assert decode_payload("[" * 100_000) is None  # json.loads would recurse 100,000 levels
    assert decode_payload('{"t": "' + "x" * 300 + '"}') is None
