"""A seeded generator of the things people (and bots) really type: junk, near-misses and valid answers."""

from __future__ import annotations

import random

FRAGMENTS = (
    "да",
    "нет",
    "Согласен",
    "ок",
    "15",
    "9",
    "2011",
    "12.05.2011",
    "31.02.2010",
    "0",
    "-3",
    "200",
    "3000",
    "Самара",
    "в тольяти",
    "сызран",
    "Марс",
    "Аня",
    "Иван-Петрович",
    "O'Neil",
    "Школа № 12",
    "2 курс",
    "9б класс",
    "утром",
    "вечер",
    "любое",
    "K7Q2MX9P4T",
    "inv_K7Q2MX9P4T",
    "Пропустить",
    "/cancel",
    "/start",
    "/help",
    "/menu",
    "/profile",
    "/mydata",
    "/start inv_ABC",
    "'; DROP TABLE people; --",
    "<b>жирный</b>",
    "{name}",
    "%s%s%s",
    "\\x00",
    "null",
    "None",
    "NaN",
    "1e9",
    "٣",
    "١٢",
    "ⅻ",
)
ALPHABETS = (
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ",
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "0123456789",
    " \t\n-_.,!?№'\"()/\\@#$%^&*+=:;<>[]{}|~`",
    "😀🤖👍🏽🇷🇺❤️‍🔥\u200b\u200d\u202e\ufeff\u0000\u0007",
    "αβγδ日本語عربيעברית",
)


def random_text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(FRAGMENTS)
    if roll < 0.4:
        return str(rng.randint(-100, 5000))
    if roll < 0.45:
        return rng.choice(ALPHABETS[0] + ALPHABETS[4]) * rng.randint(300, 10_000)
    if roll < 0.55:
        return f"{rng.randint(0, 40):02d}.{rng.randint(0, 14):02d}.{rng.randint(1900, 2100)}"
    length = rng.randint(0, 60)
    pool = "".join(rng.sample(ALPHABETS, rng.randint(1, len(ALPHABETS))))
    text = "".join(rng.choice(pool) for _ in range(length))
    if rng.random() < 0.2:
        text = rng.choice(FRAGMENTS) + text
    return text


def inputs(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [random_text(rng) for _ in range(count)]
