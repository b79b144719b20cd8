"""The freqtrade JSON reader: comments and trailing commas, nothing more permissive."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peak_trade.dialects.freqtrade.jsonc import JsoncError, loads, strip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', {"a": 1}),
        ('{"a": 1, // comment\n "b": [1, 2, ], }', {"a": 1, "b": [1, 2]}),
        ('/* head */ {"a": /* inline */ true}', {"a": True}),
        (
            '{"url": "https://x.invalid/a//b", "c": "/* not a comment */"}',
            {"url": "https://x.invalid/a//b", "c": "/* not a comment */"},
        ),
        ('{"q": "say \\"hi\\", // still string"}', {"q": 'say "hi", // still string'}),
        ('{"a": [ {"b": 1,}, ],\n}', {"a": [{"b": 1}]}),
        ('{"a": 1 /* x */ , }', {"a": 1}),
    ],
)
def test_comments_and_trailing_commas(text: str, expected: object) -> None:
    assert loads(text.encode()) == expected


@pytest.mark.parametrize(
    "text",
    [
        "{'a': 1}",  # single quotes: not JSON
        "{a: 1}",  # unquoted key
        '{"a": 1,, }',  # a double comma is not a trailing comma
        '{"a": [1,,2]}',
        '{"a": NaN}',
        '{"a": 1} /* open',
        '{"a": "open}',
        "[,]",
    ],
)
def test_nothing_more_permissive_than_freqtrade(text: str) -> None:
    with pytest.raises(JsoncError):
        loads(text.encode())


def test_offsets_are_kept() -> None:
    text = '{"a": 1, /* two\nlines */ "b": 2}'
    assert len(strip(text)) == len(text)
    assert strip(text).count("\n") == 1


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda children: st.lists(children) | st.dictionaries(st.text(), children),
        max_leaves=20,
    )
)
def test_plain_json_round_trips(value: object) -> None:
    assert loads(json.dumps(value).encode()) == value
