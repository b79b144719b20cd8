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


REPORTING = (
    ["status"],
    ["drills"],
    ["audit", "check"],
    ["audit", "diff", "a", "b"],
    ["audit", "verify"],
    ["audit", "fleet", "x"],
    ["audit", "history"],
)


def test_every_command_that_prints_a_report_takes_output(cli: Cli) -> None:
    for argv in REPORTING:
        out = cli(*argv[:2] if argv[0] == "audit" else argv[:1], "--help").out
        assert "--output PATH" in out and "--force" in out, argv


def test_output_writes_the_report_with_the_commands_exit_code(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "check.txt"
    loud = cli("audit", "check", "--config", str(EXAMPLE_CONFIG))
    written = cli("audit", "check", "--config", str(EXAMPLE_CONFIG), "--output", str(target))
    assert (written.code, written.out) == (1, "")  # the finding decides, the file holds it
    assert target.read_text() == loud.out and written.err == f"wrote {target}\n"
    again = cli("audit", "check", "--config", PASSING, "--output", str(target))
    assert again.code == 2 and "exists" in again.err  # as export: only with --force
    assert target.read_text() == loud.out
    forced = cli("audit", "check", "--config", PASSING, "--output", str(target), "--force")
    assert forced.code == 0 and target.read_text().startswith("OK:")
    status = cli(
        "status", "--config", PASSING, "--output", str(tmp_path / "s.json"), "--format", "json"
    )
    assert status.code == 0 and (tmp_path / "s.json").read_text().startswith("{")


def test_output_never_replaces_a_file_the_command_read(cli: Cli, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(Path(PASSING).read_bytes())
    before = config.read_bytes()
    for argv in (["audit", "check"], ["status"], ["drills"]):
        result = cli(*argv, "--config", str(config), "--output", str(config), "--force")
        assert result.code == 2, argv
        assert config.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name != "config.toml"]  # no temp left
    snap = tmp_path / "a.json"
    assert cli("audit", "export", "--config", str(config), "--output-json", str(snap)).code == 0
    kept = snap.read_bytes()
    diff = cli("audit", "diff", str(snap), str(snap), "--output", str(snap), "--force")
    assert diff.code == 2 and snap.read_bytes() == kept


def test_output_is_refused_inside_the_archive(cli: Cli, tmp_path: Path) -> None:
    archive = tmp_path / "arc"
    assert cli("audit", "archive", "--config", PASSING, "--archive-dir", str(archive)).code == 0
    inside = cli(
        "audit", "verify", "--archive-dir", str(archive), "--output", str(archive / "v.txt")
    )
    assert inside.code == 2 and "inside the archive directory" in inside.err
    assert cli("audit", "verify", "--archive-dir", str(archive)).code == 0  # nothing left there
    outside = tmp_path / "verify.txt"
    ok = cli("audit", "verify", "--archive-dir", str(archive), "--output", str(outside))
    assert ok.code == 0 and outside.read_text().startswith("OK:")
