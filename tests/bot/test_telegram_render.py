"""Long texts split on paragraph boundaries; keyboards keep Telegram's callback_data limit."""

from __future__ import annotations

import re

import pytest

from bot.telegram.render import inline_keyboard, split_text
from dialogs.ui import Button


def test_short_text_is_one_message():
    assert split_text("привет") == ["привет"]


def test_long_text_splits_on_paragraphs_and_never_exceeds_the_limit():
    paragraphs = [f"Абзац {i}: " + "слово " * 60 for i in range(40)]
    chunks = split_text("\n\n".join(paragraphs), limit=1000)
    assert all(len(chunk) <= 1000 for chunk in chunks)
    assert all(chunk.startswith("Абзац") for chunk in chunks)
    assert re.sub(r"\s", "", "".join(chunks)) == re.sub(r"\s", "", "".join(paragraphs))


def test_a_single_unbroken_word_is_cut_hard():
    chunks = split_text("ж" * 9000)
    assert [len(c) for c in chunks] == [4096, 4096, 808]


def test_keyboard_rows_and_payload_limit():
    markup = inline_keyboard(((Button("Да", "a" * 64), Button("Нет", "b")),))
    assert markup is not None
    assert [[b.text for b in row] for row in markup.inline_keyboard] == [["Да", "Нет"]]
    assert inline_keyboard(()) is None
    with pytest.raises(ValueError, match="callback_data"):
        inline_keyboard(((Button("x", "я" * 33),),))


def test_plain_replies_join_the_next_one_but_keyboards_stay_with_their_text():
    from bot.telegram.delivery import merge_texts
    from dialogs.ui import Document, Reply

    keyboard = ((Button("Да", "t1"),),)
    merged = merge_texts(
        (Reply("Спасибо!"), Reply("Вопрос?", keyboard), Reply("Ещё"), Reply("Файл", (), Document("a", b"")))
    )
    assert [r.text for r in merged] == ["Спасибо!\n\nВопрос?", "Ещё", "Файл"]
    assert merged[0].keyboard == keyboard
    assert len(merge_texts((Reply("я" * 3000), Reply("ю" * 3000)))) == 2
