"""The freqtrade JSON reader: comments and trailing commas, nothing more permissive."""

from __future__ import annotations

import json

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peak_trade.dialects.freqtrade.jsonc import JsoncError, loads, strip
from peak_trade.files import MAX_NESTING, nesting_depth


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


# --------------------------------------------------------------------------- the old stripper
# The character-by-character stripper this module had until the regex one replaced it (it was
# quadratic-free but slow: 3 s for 4 MiB of comments). Kept here only as the oracle that defines
# the accepted language: the new `strip` must give the same text, or the same error, for every
# input.


class _OracleError(Exception):
    pass


def _oracle_strip(text: str) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    pending_comma: int | None = None
    last = ""
    while i < n:
        ch = text[i]
        if ch == '"':
            end = _oracle_string_end(text, i)
            out.append(text[i:end])
            pending_comma = None
            last = '"'
            i = end
        elif ch == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end == -1 else end
            out.append(" " * (end - i))
            i = end
        elif ch == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end == -1:
                raise _OracleError(f"unterminated /* comment at offset {i}")
            out.append("".join(c if c == "\n" else " " for c in text[i : end + 2]))
            i = end + 2
        elif ch == ",":
            pending_comma = len(out) if last not in ("", "[", "{", ",") else None
            out.append(ch)
            last = ch
            i += 1
        elif ch in "}]":
            if pending_comma is not None:
                out[pending_comma] = " "
            pending_comma = None
            out.append(ch)
            last = ch
            i += 1
        else:
            if not ch.isspace():
                pending_comma = None
                last = ch
            out.append(ch)
            i += 1
    return "".join(out)


def _oracle_string_end(text: str, start: int) -> int:
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return i + 1
        i += 1
    raise _OracleError(f"unterminated string starting at offset {start}")


def _same_as_oracle(text: str) -> None:
    try:
        expected = _oracle_strip(text)
    except _OracleError as exc:
        with pytest.raises(JsoncError) as caught:
            strip(text)
        assert str(caught.value) == str(exc)
        return
    assert strip(text) == expected


# the characters that mean something to the stripper, a few that do not, and Unicode spaces
_SOUP = st.text(
    st.sampled_from(list('{}[],:"\\/*\n\t 1a-.e') + ["\u00a0", "\u2028", "\x0b", "é"]),
    max_size=60,
)
_GAPS = st.lists(
    st.sampled_from(["", " ", "\n", "\t", "// c\n", "/* c */", "/* a\nb */", "/**/", "//\n"]),
    max_size=3,
).map("".join)


@st.composite
def _jsonc_documents(draw: st.DrawFn, value: object) -> str:
    """`value` written as JSON with comments, spaces and (sometimes) trailing commas."""
    gap = lambda: draw(_GAPS)  # noqa: E731

    def write(item: object) -> str:
        if isinstance(item, dict):
            parts = [
                f"{gap()}{json.dumps(k)}{gap()}:{gap()}{write(v)}{gap()}" for k, v in item.items()
            ]
            close = "}"
            open_ = "{"
        elif isinstance(item, list):
            parts = [f"{gap()}{write(v)}{gap()}" for v in item]
            close = "]"
            open_ = "["
        else:
            return json.dumps(item)
        trailing = "," if parts and draw(st.booleans()) else ""
        return open_ + ",".join(parts) + trailing + gap() + close

    return gap() + write(value) + gap()


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=15,
)


@given(_VALUES.flatmap(lambda v: st.tuples(st.just(v), _jsonc_documents(v))))
def test_generated_documents_read_as_json_and_as_the_old_stripper_read_them(
    case: tuple[object, str],
) -> None:
    value, text = case
    _same_as_oracle(text)
    _same_reading(text)
    assert loads(text.encode()) == value
    assert len(strip(text)) == len(text)


def _old_loads(text: str) -> object:
    """What the old `loads` did: the old stripper, then msgspec (no nesting bound)."""
    return msgspec.json.decode(_oracle_strip(text).encode("utf-8"))


def _same_reading(text: str) -> None:
    try:
        expected = _old_loads(text)
    except (_OracleError, msgspec.DecodeError) as exc:
        with pytest.raises(JsoncError) as caught:
            loads(text.encode())
        assert str(caught.value) in (str(exc), f"invalid JSON: {exc}")
        return
    if nesting_depth(expected) > MAX_NESTING:  # the one thing that is stricter now, on purpose
        with pytest.raises(JsoncError, match="nested deeper than"):
            loads(text.encode())
        return
    assert loads(text.encode()) == expected


@given(_SOUP)
def test_any_text_strips_and_reads_as_with_the_old_stripper(text: str) -> None:
    # arbitrary punctuation soup: mostly invalid, so this is also the test that whatever the
    # old stripper rejected (or left invalid for msgspec to reject) is rejected still
    _same_as_oracle(text)
    _same_reading(text)


@given(st.text(max_size=40), st.integers(min_value=0, max_value=40))
def test_a_document_cut_short_is_rejected_or_read_as_before(text: str, cut: int) -> None:
    document = json.dumps({"k": text, "l": [1, {"m": text}]})[:cut]
    _same_as_oracle(document)
    _same_reading(document)
