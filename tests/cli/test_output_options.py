"""`--color auto|always|never` and `-q/--quiet`, on every command."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peak_trade.cli.entry import AUDIT_COMMANDS, TOP_COMMANDS
from peak_trade.views.colour import enabled, paint
from tests.conftest import EXAMPLE_CONFIG, PASSING_CONFIG, CliResult, write

Cli = Callable[..., CliResult]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
PASSING = str(PASSING_CONFIG)


@pytest.mark.parametrize(
    ("choice", "tty", "environ", "expected"),
    [
        ("always", False, {"NO_COLOR": "1"}, True),
        ("never", True, {"FORCE_COLOR": "1"}, False),
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", False, {"FORCE_COLOR": "1"}, True),
        ("auto", False, {"FORCE_COLOR": "0"}, False),
        ("auto", True, {"TERM": "dumb"}, False),
    ],
)
def test_when_colour_is_on(choice: str, tty: bool, environ: dict[str, str], expected: bool) -> None:
    assert enabled(choice, tty, environ) is expected


@given(st.text())
def test_paint_only_adds_colour_codes(text: str) -> None:
    assert ANSI.sub("", paint(text)) == ANSI.sub("", text)


def test_only_the_verdict_word_is_coloured() -> None:
    painted = paint("FAIL: c violates --expect blocked\n  drill_failed: FAIL: x\nOK: not a verdict")
    lines = painted.split("\n")
    assert lines[0] == "\x1b[1;31mFAIL:\x1b[0m c violates --expect blocked"
    assert lines[1] == "  drill_failed: FAIL: x"  # an indented line is never painted
    assert lines[2].startswith("\x1b[1;32mOK:")


def test_every_command_takes_color_and_quiet(cli: Cli) -> None:
    for name in AUDIT_COMMANDS:
        out = cli("audit", name, "--help").out
        assert "--color {auto,always,never}" in out and "-q, --quiet" in out, name
    for name in TOP_COMMANDS:
        out = cli(name, "--help").out
        assert "--color {auto,always,never}" in out and "-q, --quiet" in out, name


@pytest.mark.parametrize(
    ("argv", "word"),
    [
        (["audit", "check", "--config", PASSING], "OK:"),
        (["drills", "--config", PASSING], "PASS"),
        (["status", "--config", PASSING, "--format", "text"], "Live execution BLOCKED"),
    ],
)
def test_color_always_colours_a_pipe_and_never_and_auto_do_not(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, argv: list[str], word: str
) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = cli(*argv, "--color", "always").out
    assert ANSI.search(coloured) and word in ANSI.sub("", coloured)
    assert not ANSI.search(cli(*argv, "--color", "never").out)
    assert not ANSI.search(cli(*argv).out)  # auto: the captured stream is no terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ANSI.search(cli(*argv).out)
    assert not ANSI.search(cli(*argv, "--color", "never").out)


def test_quiet_prints_nothing_on_ok_and_everything_on_a_finding(cli: Cli) -> None:
    ok = cli("audit", "check", "--config", PASSING, "-q")
    assert (ok.code, ok.out, ok.err) == (0, "", "")
    found = cli("audit", "check", "--config", str(EXAMPLE_CONFIG), "--quiet")
    loud = cli("audit", "check", "--config", str(EXAMPLE_CONFIG))
    assert (found.code, found.out) == (1, loud.out)
    assert found.out.startswith("FAIL:")
    drills = cli("drills", "--config", str(EXAMPLE_CONFIG), "-q")
    assert drills.code == 1 and drills.out.endswith("6 passed, 1 failed\n")


def test_quiet_drops_notes_but_not_errors(cli: Cli, tmp_path: Path) -> None:
    overlay = write(tmp_path / "bounded_live.toml", "[bounded_live]\nenabled = false\n")
    assert "note:" in cli("status", "--config", overlay).err
    quiet = cli("status", "--config", overlay, "-q")
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")
    bad = cli("status", "--config", str(tmp_path / "missing.toml"), "-q")
    assert bad.code == 2 and "config file not found" in bad.err


def test_quiet_never_silences_a_machine_format(cli: Cli) -> None:
    """`check -q --format sarif > results.sarif` must still write a valid, empty-result log."""
    for fmt in ("json", "sarif"):
        result = cli("audit", "check", "--config", PASSING, "-q", "--format", fmt)
        assert result.code == 0 and result.out.startswith("{"), fmt
