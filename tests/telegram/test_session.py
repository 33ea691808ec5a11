"""Bot API calls go out as JSON bodies; calls that upload a file stay multipart forms."""

from __future__ import annotations

import json

from aiogram import Bot
from aiogram.methods import SendDocument, SendMessage
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.session import JsonSession


def test_a_message_with_a_keyboard_is_compact_utf8_json():
    session = JsonSession()
    bot = Bot("123:abc", session=session)
    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Да", callback_data="t1")]])
    body = session.json_body(bot, SendMessage(chat_id=7, text="Привет, «мир»", reply_markup=markup))
    assert body is not None
    assert "Привет".encode() in body  # letters as UTF-8, not six-character escapes
    assert json.loads(body) == {
        "chat_id": 7,
        "text": "Привет, «мир»",
        "reply_markup": {"inline_keyboard": [[{"text": "Да", "callback_data": "t1"}]]},
    }


def test_a_file_upload_is_left_to_the_multipart_form():
    session = JsonSession()
    bot = Bot("123:abc", session=session)
    upload = SendDocument(chat_id=7, document=BufferedInputFile(b"{}", filename="data.json"))
    assert session.json_body(bot, upload) is None


def test_the_body_aiogram_sends_is_json_unless_a_file_goes_with_it():
    session = JsonSession()
    bot = Bot("123:abc", session=session)
    plain = session.build_form_data(bot, SendMessage(chat_id=7, text="Привет"))
    assert plain.content_type == "application/json"
    upload = SendDocument(chat_id=7, document=BufferedInputFile(b"{}", filename="data.json"))
    assert session.build_form_data(bot, upload).is_multipart
