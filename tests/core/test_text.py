"""`printable`: every character that could steer a terminal or reorder text becomes visible."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peak_trade.core.text import printable

#: what must never reach a terminal raw: C0, DEL, C1, line/paragraph separators, bidi controls
DANGEROUS = frozenset(
    (
        *map(chr, range(0x20)),
        *map(chr, range(0x7F, 0xA0)),
        "\u2028",
        "\u2029",
        *map(chr, range(0x202A, 0x202F)),
        *map(chr, range(0x2066, 0x206A)),
        "\u200e",
        "\u200f",
        "\u061c",
    )
)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("x\x1b]0;PWNED\x07\x1b[2J", "x\\x1b]0;PWNED\\x07\\x1b[2J"),  # OSC title + clear screen
        ("a\r\nforged line", "a\\x0d\\x0aforged line"),
        ("tab\there", "tab\\x09here"),
        ("nul\x00", "nul\\x00"),
        ("del\x7f", "del\\x7f"),
        ("csi\x9b31m", "csi\\x9b31m"),  # the one-byte C1 CSI
        ("nel\x85", "nel\\x85"),
        ("admin\u202egnp.exe", "admin\\u202egnp.exe"),  # right-to-left override
        ("iso\u2066late\u2069", "iso\\u2066late\\u2069"),
        ("line\u2028sep\u2029para", "line\\u2028sep\\u2029para"),
        ("lone\udc80", "lone\\udc80"),  # a JSON "\udc80": unencodable
    ],
)
def test_controls_become_visible_escapes(raw: str, shown: str) -> None:
    assert printable(raw) == shown


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Grüße aus Köln: Straße, Ärger, Öl",
        "日本語のキー",
        "emoji 👩‍💻 with a zero-width joiner",
        r"C:\Users\trader\config.toml",
        "environment.mode: must be one of paper, testnet, live",
        "a\\x1b b",  # an escape written out by hand stays as written
    ],
)
def test_normal_text_is_unchanged(text: str) -> None:
    assert printable(text) == text


@given(st.text())
def test_nothing_dangerous_survives(text: str) -> None:
    shown = printable(text)
    assert not DANGEROUS & set(shown)
    assert not any(unicodedata.category(c) == "Cs" for c in shown)
    assert len(shown.splitlines()) <= 1
    shown.encode("utf-8")  # always printable on a UTF-8 terminal


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))))
def test_text_without_controls_is_returned_as_is(text: str) -> None:
    assert printable(text) == text


def test_escaping_is_idempotent_on_its_own_output() -> None:
    once = printable("\x1b[2J\u202e")
    assert printable(once) == once
