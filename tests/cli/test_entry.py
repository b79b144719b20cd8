"""The command line's one exit-code map and its lazily built parser."""

from __future__ import annotations

from collections.abc import Callable

from peak_trade.cli.commands import Outcome
from peak_trade.cli.entry import EXIT_CODES
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def test_every_outcome_has_its_exit_code() -> None:
    assert EXIT_CODES == {Outcome.OK: 0, Outcome.FINDING: 1, Outcome.INVALID: 2}


def test_a_usage_error_is_one_line_and_exit_2(cli: Cli) -> None:
    result = cli("audit", "frobnicate")
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("peak-trade: argument SUBCOMMAND: invalid choice: 'frobnicate'")
    assert result.err.count("\n") == 1
