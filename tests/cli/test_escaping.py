"""Input-derived text reaches the terminal escaped: a key, a path or a value from a config never
prints a raw control character, a forged line or a bidi override (issue: control characters)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from peak_trade.core.text import printable
from peak_trade.errors import ConfigError, PeakTradeError
from peak_trade.views import aligned, cell
from tests.conftest import CliResult

HOSTILE_KEYS = [
    "x\\u001b]0;PWNED\\u0007\\u001b[2J",  # OSC: retitle the terminal, then clear it
    "y\\r\\nfl/forged.toml  peak_trade  ALLOWED",  # a forged fleet row
    "z\\u202edesrever",  # a right-to-left override
    "w\\u2028next",  # a line separator
    "v\\u009b31m",  # a one-byte C1 CSI
]
RAW = ("\x1b", "\x07", "\r", "\u202e", "\u2028", "\x9b")


def _assert_terminal_safe(text: str) -> None:
    for char in RAW:
        assert char not in text, f"raw {char!r} reaches the terminal"


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_error_line_escapes_a_hostile_key(
    cli: Callable[..., CliResult], tmp_path: Path, key: str
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'[environment]\n"{key}" = 1\n', encoding="utf-8")
    result = cli("audit", "check", "--config", str(config))
    assert result.code == 2
    _assert_terminal_safe(result.err)
    assert result.err.count("\n") == 1
    assert "unknown key" in result.err  # the whole message, not a first line cut at a "\n"


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_fleet_error_rows_cannot_forge_a_line(
    cli: Callable[..., CliResult], tmp_path: Path, key: str
) -> None:
    (tmp_path / "a.toml").write_text(f'[environment]\n"{key}" = 1\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('[environment]\nmode = "paper"\n', encoding="utf-8")
    result = cli("audit", "fleet", str(tmp_path))
    _assert_terminal_safe(result.out + result.err)
    # one table row per config, one error line, the summary: nothing else starts a line
    forged = [line for line in result.out.splitlines() if line.startswith("fl/forged")]
    assert forged == []


def test_every_package_error_is_one_escaped_line() -> None:
    error: PeakTradeError = ConfigError("c.toml: environment.x\x1b]0;PWNED\x07\r\nnext: bad")
    assert str(error) == "c.toml: environment.x\\x1b]0;PWNED\\x07\\x0d\\x0anext: bad"
    assert str(ConfigError("plain message")) == "plain message"


def test_table_cells_are_escaped_and_aligned_by_what_shows() -> None:
    assert cell("fl/\x1b[31mred.toml") == "fl/\\x1b[31mred.toml"
    assert cell(None) == "None"
    lines = aligned([("config", "verdict"), ("a\r\nforged", "ok"), ("Grüße", "blocked")])
    assert lines == [
        "config           verdict",
        "a\\x0d\\x0aforged  ok",
        "Grüße            blocked",
    ]
    assert all(printable(line) == line for line in lines)


def test_fleet_table_escapes_a_hostile_file_name(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    (tmp_path / "c\x1b[31mred.toml").write_text('[environment]\nmode = "paper"\n')
    result = cli("audit", "fleet", str(tmp_path))
    _assert_terminal_safe(result.out + result.err)
