"""`core.tomldoc`: one parse per load of a TOML file, never one shared between two files."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from peak_trade.core import tomldoc
from peak_trade.dialects import load

TEXT = b'[environment]\nmode = "paper"\n'


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts tomllib is asked to parse, in order (the memo starts empty)."""
    seen: list[str] = []
    real = tomllib.loads

    def counting(text: str, **kwargs: Any) -> dict[str, Any]:
        seen.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(tomllib, "loads", counting)
    monkeypatch.setattr(tomldoc, "_last", None)
    return seen


def test_the_same_bytes_object_is_parsed_once(parses: list[str]) -> None:
    first = tomldoc.parse(TEXT)
    assert tomldoc.parse(TEXT) is first
    assert first == {"environment": {"mode": "paper"}}
    assert len(parses) == 1


def test_equal_content_in_another_object_is_parsed_again(parses: list[str]) -> None:
    other = bytes(bytearray(TEXT))  # equal, but another object (another file's read)
    assert other == TEXT and other is not TEXT
    assert tomldoc.parse(TEXT) is not tomldoc.parse(other)
    assert len(parses) == 2


def test_a_failed_parse_is_not_remembered(parses: list[str]) -> None:
    bad = b"[environment\n"
    for _ in range(2):
        with pytest.raises(tomllib.TOMLDecodeError):
            tomldoc.parse(bad)
    assert len(parses) == 2


def test_invalid_utf8_raises_before_parsing(parses: list[str]) -> None:
    with pytest.raises(UnicodeDecodeError):
        tomldoc.parse(b"\xff = 1\n")
    assert parses == []


def test_loading_a_peak_trade_config_parses_it_once(parses: list[str], tmp_path: Path) -> None:
    """Detection (NautilusTrader's rule needs the document) and decoding share one parse."""
    path = tmp_path / "config.toml"
    path.write_bytes(TEXT)
    loaded = load([str(path)], environ={})
    assert loaded.dialect == "peak_trade"
    assert parses == [TEXT.decode()]


def test_two_files_with_the_same_text_are_two_parses(parses: list[str], tmp_path: Path) -> None:
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_bytes(TEXT)
        load([str(tmp_path / name)], environ={})
    assert len(parses) == 2
