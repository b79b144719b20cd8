"""Command-line habits: a bare command shows the help, typos get the nearest name, an option
before its command says where it goes, short flags, and notes where the audit does what the user
may not expect."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from peak_trade import __version__
from peak_trade.cli.usage import did_you_mean, misplaced_option
from tests.conftest import CliResult, toml_config, write

Cli = Callable[..., CliResult]


def test_a_bare_command_prints_the_help_as_a_usage_error(cli: Cli) -> None:
    result = cli()
    assert result.code == 2
    assert result.out.startswith("usage: peak-trade")
    assert "status" in result.out and "audit" in result.out


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [
        (["stauts"], "did you mean 'status'?"),
        (["audit", "chek"], "did you mean 'check'?"),
        (["audit", "exprot"], "did you mean 'export'?"),
    ],
)
def test_a_mistyped_command_gets_the_nearest_name(
    cli: Cli, argv: list[str], suggestion: str
) -> None:
    result = cli(*argv)
    assert result.code == 2 and suggestion in result.err and result.err.count("\n") == 1


def test_no_suggestion_for_a_word_near_nothing() -> None:
    message = "argument COMMAND: invalid choice: 'zzzzzz' (choose from 'audit', 'status')"
    assert did_you_mean(message) == message


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["--config", "x.toml", "status"], "peak-trade status --config x.toml"),
        (["-c", "x.toml", "audit", "check"], "peak-trade audit check -c x.toml"),
    ],
)
def test_an_option_before_its_command_says_where_it_goes(
    cli: Cli, argv: list[str], hint: str
) -> None:
    result = cli(*argv)
    assert result.code == 2
    assert result.err == f"peak-trade: options go after the command: {hint}\n"


def test_misplaced_option_leaves_help_and_version_alone() -> None:
    assert misplaced_option(["--help"], ["status"]) is None
    assert misplaced_option(["-V"], ["status"]) is None
    assert misplaced_option(["status", "--config", "x"], ["status"]) is None


def test_short_flags(cli: Cli, tmp_path: Path) -> None:
    assert cli("-V").out == f"peak-trade {__version__}\n"
    path = write(tmp_path / "config.toml", toml_config(mode="paper"))
    result = cli("status", "-c", path)
    assert result.code == 0 and f"Config: {path}" in result.out


def test_the_embedded_default_is_named_on_stderr(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PEAK_TRADE_CONFIG_PATH", raising=False)
    for argv in (["status"], ["audit", "export", "--stdout"]):
        result = cli(*argv)
        assert result.code == 0
        assert "note: no config file found: this audits the embedded safe default" in result.err
    write(tmp_path / "config.toml", toml_config(mode="paper"))
    assert "note:" not in cli("status", "--config", "config.toml").err


def test_an_overlay_audited_alone_is_noted(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "bounded_live.toml", "[bounded_live]\nenabled = false\n")
    result = cli("status", "--config", path)
    assert "is read with the config beside it, never alone" in result.err


def test_a_misplaced_option_keeps_the_rest_of_the_line() -> None:
    commands = ["status", "audit"]
    assert misplaced_option(["--config", "x", "status", "--format", "json"], commands) == (
        "options go after the command: peak-trade status --config x --format json"
    )
    assert misplaced_option(["-c", "x", "audit"], commands) == (
        "options go after the command: peak-trade audit SUBCOMMAND -c x"
    )
