"""Input mapping: a number or a label presses a shown option; everything else is text."""

from __future__ import annotations

import pytest

from bot.console.options import CHANNEL, Options, to_incoming
from dialogs.ui import Button, Incoming

YES, NO, SKIP = Button("✅ Да", "tok-yes"), Button("Нет", "tok-no"), Button("⏭ Пропустить", "tok-skip")
SHOWN = Options((YES, NO, SKIP))


@pytest.mark.parametrize(("line", "button"), [("1", YES), ("2", NO), (" 3 ", SKIP)])
def test_a_number_of_a_shown_option_presses_it(line, button):
    assert SHOWN.chosen(line) == button


@pytest.mark.parametrize(
    ("line", "button"),
    [("Нет", NO), ("нет", NO), ("  НЕТ  ", NO), ("да", YES), ("✅ Да", YES), ("пропустить", SKIP)],
)
def test_a_label_presses_it_whatever_the_case_spaces_or_icon(line, button):
    assert SHOWN.chosen(line) == button


@pytest.mark.parametrize("line", ["0", "4", "15", "-1", "1.", "да, наверное", "/start", "", "   ", "٣"])
def test_anything_else_is_text(line):
    assert SHOWN.chosen(line) is None


def test_a_label_that_is_a_number_is_pressed_when_no_option_has_that_number():
    grade = Options((Button("9", "tok-9"),))
    assert grade.chosen("9") == Button("9", "tok-9")
    assert grade.chosen("1") == Button("9", "tok-9")  # numbers come first: option 1


def test_with_no_options_every_line_is_text():
    assert Options().chosen("1") is None


def test_to_incoming_makes_presses_and_messages_on_the_console_channel():
    assert to_incoming("2", SHOWN, "local") == Incoming.press(CHANNEL, "local", "tok-no")
    assert to_incoming("/start", SHOWN, "local") == Incoming.message(CHANNEL, "local", "/start")
    press = to_incoming("да", SHOWN, "alice")
    assert (press.channel, press.account_id, press.chat_id) == ("console", "alice", "alice")


def test_an_answer_replaces_the_options_and_an_empty_outcome_keeps_them():
    assert SHOWN.after((), answered=True) == Options()
    assert SHOWN.after((NO,), answered=True) == Options((NO,))
    assert SHOWN.after((), answered=False) is SHOWN
