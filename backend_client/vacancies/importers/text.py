"""Plain text from what sources send: HTML stripped (scripts and styles dropped whole, entities unescaped),
whitespace tidied, contact details scrubbed, length capped.

Contact details are scrubbed because a vacancy's free text sometimes carries what the source's own
contact fields hold, the HR person's e-mail or mobile number: personal data we never store (152-ФЗ; the
card links to the source instead). A name written in prose cannot be told from other words and stays.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

MAX_TEXT = 4000  # duties, requirements: a card shows far less; the rest is for search
MAX_LINE = 300  # titles, names, addresses
ELLIPSIS = "…"

_BLOCKS = frozenset(
    {"p", "br", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section", "hr"}
)
_DROPPED = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "head"})

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# +7 / 8 and ten digits in the usual groupings: «+7 (846) 000-00-00», «8-900-000-00-00», «89000000000»
_PHONE = re.compile(r"(?<![\w])(?:\+7|8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)")
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_SPACES = re.compile(r"[ \t\u00a0\u200b\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0  # depth inside <script>, <style> …

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self._hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n• " if tag == "li" else "\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS and tag != "li":  # list items stay one to a line, without blank lines between
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def strip_html(source: str) -> str:
    """The words of an HTML fragment (plain text passes through unchanged, entities unescaped). HTML sent
    escaped once more («&lt;p&gt;») is stripped after unescaping; a tag that still survives is dropped."""
    text = source
    for _ in range(2):
        if "<" not in text and "&" not in text:
            return text
        parser = _Text()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
        if not _TAG.search(text):
            return text
    return _TAG.sub(" ", text)


def scrub_contacts(text: str) -> str:
    return _PHONE.sub(ELLIPSIS, _EMAIL.sub(ELLIPSIS, text))


def tidy(text: str) -> str:
    """Runs of spaces made one; lines trimmed; at most one blank line in a row; no blank ends."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + ELLIPSIS


def plain_text(source: object, limit: int = MAX_TEXT) -> str:
    """A source's free text as we keep it: no HTML, no contact details, tidy, at most ``limit`` long.
    Anything that is not a string is no text."""
    if not isinstance(source, str):
        return ""
    return cap(tidy(scrub_contacts(strip_html(source))), limit)


def plain_line(source: object, limit: int = MAX_LINE) -> str:
    """As ``plain_text``, on one line (titles, names, addresses)."""
    return cap(" ".join(plain_text(source, limit * 4).split()), limit)
