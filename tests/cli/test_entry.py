"""The command line's one exit-code map and its lazily built parser."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

import pytest

from peak_trade import __version__
from peak_trade.cli import entry
from peak_trade.cli.commands import Outcome
from peak_trade.cli.entry import EXIT_CODES
from tests.conftest import PASSING_CONFIG, CliResult

Cli = Callable[..., CliResult]


def test_every_outcome_has_its_exit_code() -> None:
    assert EXIT_CODES == {Outcome.OK: 0, Outcome.FINDING: 1, Outcome.INVALID: 2}


def test_an_argv_the_lazy_parser_cannot_place_is_parsed_again_in_full(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # should `_selected` ever miss the command, the parser lists commands without their options;
    # the run must then still be the full parser's, not an internal error
    plain = cli("audit", "check", "--config", str(PASSING_CONFIG))
    monkeypatch.setattr(entry, "_selected", lambda argv: (None, None))
    missed = cli("audit", "check", "--config", str(PASSING_CONFIG))
    assert (missed.code, missed.out, missed.err) == (plain.code, plain.out, plain.err)
    assert plain.code == 0 and plain.out.startswith("OK:")


def test_a_usage_error_is_one_line_and_exit_2(cli: Cli) -> None:
    result = cli("audit", "frobnicate")
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("peak-trade: argument SUBCOMMAND: invalid choice: 'frobnicate'")
    assert result.err.count("\n") == 1


def _script(*argv: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "peak_trade", *argv],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_the_version_answered_before_argparse_is_argparses_line(cli: Cli, flag: str) -> None:
    fast = _script(flag)
    parsed = cli(flag)  # main(): argparse's version action
    assert (fast.returncode, fast.stdout, fast.stderr) == (parsed.code, parsed.out, parsed.err)
    assert fast.stdout == f"peak-trade {__version__}\n"
    # with anything else on the line, argparse decides, as before
    assert _script(flag, "status").stdout == fast.stdout


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_standard_output_is_bad_input_for_the_version_too() -> None:
    with open("/dev/full", "w") as full:
        run = _script("--version", stdout=full.fileno())
    assert run.returncode == 2
    assert run.stderr == "peak-trade: cannot write to standard output\n"


def test_without_a_standard_output_the_version_goes_to_stderr_as_argparse_does() -> None:
    run = subprocess.run(
        ["sh", "-c", 'exec "$0" -m peak_trade --version >&-', sys.executable],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (run.returncode, run.stdout, run.stderr) == (0, "", f"peak-trade {__version__}\n")
