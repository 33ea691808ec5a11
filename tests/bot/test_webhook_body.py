"""The shared webhook body guard: nesting measured without parsing, exactly for any JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.webhook_body import BadBody, parse_json, too_deep

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\x ё\n'),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(alphabet='[]{}"\\k', max_size=3), children, max_size=3)
    ),
    max_leaves=40,
)


def depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


@given(JSON, st.booleans())
def test_nesting_is_exact_whatever_the_strings_hold(value, ascii_only):
    body = json.dumps(value, ensure_ascii=ascii_only).encode()
    real = depth(value)
    # a limit below the bracket count forces the full scan, not only the quick bound
    for limit in {0, max(real - 1, 0), real}:
        assert too_deep(body, limit) is (real > limit)


def test_a_deep_body_is_refused_before_json_parses_it():
    with pytest.raises(BadBody) as refused:
        parse_json(b"[" * 100_000 + b"]" * 100_000)
    assert refused.value.status == 400
    assert parse_json(b'{"a": [[["[[[[[[[["]]]}', max_depth=4) == {"a": [[["[[[[[[[["]]]}
    for broken in (b"{not json", b"\xff", b"", b'"\\'):
        with pytest.raises(BadBody):
            parse_json(broken)
