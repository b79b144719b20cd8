"""The command line's one exit-code map and its lazily built parser."""

from __future__ import annotations

from collections.abc import Callable

import pytest

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
