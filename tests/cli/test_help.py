"""Help that tells a new user what each command does, what it reads and how it exits."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest

from peak_trade import __version__
from peak_trade.cli import AUDIT_COMMANDS, TOP_COMMANDS
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
READS_A_CONFIG = {"export", "archive", "check", "fleet", "status", "drills"}
COMMANDS = [(["audit", name], name) for name in AUDIT_COMMANDS] + [
    ([name], name) for name in TOP_COMMANDS
]


@pytest.mark.parametrize(("argv", "name"), COMMANDS, ids=[n for _, n in COMMANDS])
def test_every_command_describes_itself(cli: Cli, argv: list[str], name: str) -> None:
    result = cli(*argv, "--help")
    assert result.code == 0
    text = " ".join(result.out.split())
    assert "Exit codes: 0" in text
    if name in READS_A_CONFIG:
        assert "PEAK_TRADE_CONFIRM_TOKEN" in text and "PEAK_TRADE_CONFIG_PATH" in text
    if "--format" in text:  # export picks a snapshot format (DESIGN §6), the rest a view
        from peak_trade.formats import findings_formats

        offered = ",".join(f.name for f in findings_formats(name))
        expected = "{markdown,json}" if name == "export" else "{" + offered + "}"
        assert f"--format {expected}" in text


def test_top_level_help_names_every_audit_subcommand(cli: Cli) -> None:
    text = " ".join(cli("--help").out.split())
    assert "audit snapshots: " + ", ".join(AUDIT_COMMANDS) in text


def test_drills_help_lists_the_scenario_ids(cli: Cli) -> None:
    assert "A, B, C, D, E, F or G" in " ".join(cli("drills", "--help").out.split())


def test_table_is_an_alias_of_text(cli: Cli) -> None:
    assert cli("drills", "--format", "table").out == cli("drills", "--format", "text").out


def test_version_and_python_dash_m() -> None:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "peak_trade", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, f"peak-trade {__version__}\n")
