"""Telegram: the aiogram client, the front, delivery, the relay's sender and the transport."""
