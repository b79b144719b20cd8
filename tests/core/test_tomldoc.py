"""`core.tomldoc`: one parse per load of a TOML file, never one shared between two files, and
nothing kept once the load is over."""

from __future__ import annotations

import copy
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from peak_trade.core import tomldoc
from peak_trade.dialects import load
from tests.conftest import REPO

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


def test_the_same_bytes_object_is_parsed_once_in_a_load(parses: list[str]) -> None:
    with tomldoc.one_load():
        first = tomldoc.parse(TEXT)
        assert tomldoc.parse(TEXT) is first
    assert first == {"environment": {"mode": "paper"}}
    assert len(parses) == 1


def test_nothing_is_kept_outside_a_load_or_after_it(parses: list[str]) -> None:
    """A parsed config holds secrets: it must not outlive the load that read it."""
    tomldoc.parse(TEXT)
    tomldoc.parse(TEXT)
    with tomldoc.one_load():
        tomldoc.parse(TEXT)
        with tomldoc.one_load():  # a load inside a load keeps the slot for the outer one
            pass
        tomldoc.parse(TEXT)
    assert tomldoc._last is None
    assert len(parses) == 3


def test_equal_content_in_another_object_is_parsed_again(parses: list[str]) -> None:
    other = bytes(bytearray(TEXT))  # equal, but another object (another file's read)
    assert other == TEXT and other is not TEXT
    with tomldoc.one_load():
        assert tomldoc.parse(TEXT) is not tomldoc.parse(other)
    assert len(parses) == 2


def test_mutable_bytes_are_never_remembered(parses: list[str]) -> None:
    raw = bytearray(b"a = 1\n")
    with tomldoc.one_load():
        assert tomldoc.parse(raw) == {"a": 1}  # type: ignore[arg-type]
        raw[0:1] = b"z"
        assert tomldoc.parse(raw) == {"z": 1}  # type: ignore[arg-type]


def test_a_side_file_does_not_take_the_slot(parses: list[str]) -> None:
    side = b"[kill_switch]\nenabled = true\n"
    with tomldoc.one_load():
        first = tomldoc.parse(TEXT)
        tomldoc.parse(side, remember=False)
        assert tomldoc.parse(TEXT) is first
    assert len(parses) == 2


def test_a_failed_parse_is_not_remembered(parses: list[str]) -> None:
    bad = b"[environment\n"
    with tomldoc.one_load():
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


def test_a_config_with_its_kill_switch_is_parsed_once_and_left_unchanged(
    parses: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped config (every table, an overlay-free live state) with its kill switch: the
    config is parsed once (detection's parse decoded), the kill switch once, and decoding
    changes nothing in the shared document."""
    shutil.copy(REPO / "config" / "config.toml", tmp_path / "config.toml")
    (tmp_path / "risk").mkdir()
    shutil.copy(REPO / "config" / "risk" / "kill_switch.toml", tmp_path / "risk")
    raw = (tmp_path / "config.toml").read_bytes()
    documents: list[tuple[dict[str, Any], dict[str, Any]]] = []
    real = tomldoc.parse

    def watching(data: bytes, **kwargs: Any) -> dict[str, Any]:
        document = real(data, **kwargs)
        if data == raw and not documents:
            documents.append((document, copy.deepcopy(document)))
        return document

    monkeypatch.setattr(tomldoc, "parse", watching)
    load([str(tmp_path / "config.toml")], environ={})
    assert len(parses) == 2
    assert sorted(parses) == sorted(
        [raw.decode(), (tmp_path / "risk" / "kill_switch.toml").read_text()]
    )
    shared, before = documents[0]
    assert shared == before


def test_two_files_with_the_same_text_are_two_parses(parses: list[str], tmp_path: Path) -> None:
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_bytes(TEXT)
        load([str(tmp_path / name)], environ={})
    assert len(parses) == 2
