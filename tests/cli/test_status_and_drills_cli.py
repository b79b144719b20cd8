"""`peak-trade status` and `peak-trade drills` through the CLI, in-process."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from peak_trade.dialects import assess
from peak_trade.dialects.peak_trade.config import load_config
from peak_trade.views.status import build_status, render_rich, render_text
from tests.conftest import (
    EXAMPLE_CONFIG,
    EXAMPLE_TOKEN,
    PASSING_CONFIG,
    CliResult,
    toml_config,
    write,
)
from tests.live.test_safety_truth_table import CASES, TOKENS, case_config, oracle

Cli = Callable[..., CliResult]
EXAMPLE = str(EXAMPLE_CONFIG)
PASSING = str(PASSING_CONFIG)  # the example in mode testnet, where its caps are checked


class TestDrills:
    def test_the_example_fails_e_alone_its_live_path_checks_no_cap(self, cli: Cli) -> None:
        result = cli("drills", "--config", EXAMPLE)
        assert result.code == 1
        assert result.out.splitlines()[-1] == "6 passed, 1 failed"
        (fail_line,) = [line for line in result.out.splitlines() if line.startswith("FAIL")]
        assert "E - Risk-Limits" in fail_line

    def test_a_testnet_config_passes_all_but_e_whose_total_cap_sees_one_order(
        self, cli: Cli
    ) -> None:
        """Peak_Trade compares max_total_exposure_notional with the order alone (open
        positions are never added): drill E's order on top of open exposure passes."""
        result = cli("drills", "--config", PASSING)
        assert result.code == 1
        lines = result.out.splitlines()
        assert lines[-1] == "6 passed, 1 failed"
        assert [line.split("  ")[0] for line in lines[:-1]] == ["PASS"] * 4 + ["FAIL"] + [
            "PASS"
        ] * 2
        assert "observed rejected by risk limits [per_order_notional_exceeded]" in lines[4]
        assert (
            "PASS  B - Gate 1 ok, Gate 2 fehlt [Gate 1 open, Gate 2 missing]  expected"
            " guard:gate2_not_armed"
        ) in lines[1]
        assert result.err == ""

    def test_selected_scenarios_case_insensitive(self, cli: Cli) -> None:
        result = cli("drills", "--config", PASSING, "--scenario", "b", "--scenario", "G")
        assert result.code == 0
        assert result.out.splitlines()[-1] == "2 passed, 0 failed"
        assert "B - Gate 1 ok" in result.out and "G - Paper-Modus" in result.out
        assert "A - Voll" not in result.out

    def test_unknown_scenario_names_the_valid_ones(self, cli: Cli) -> None:
        result = cli("drills", "--config", EXAMPLE, "--scenario", "Z")
        assert result.code == 2
        assert result.err == "peak-trade: unknown drill scenario Z; valid: A, B, C, D, E, F, G\n"
        assert result.out == ""

    def test_failing_drill_exits_1_and_shows_the_difference(self, cli: Cli, tmp_path: Path) -> None:
        config = write(tmp_path / "c.toml", toml_config(limits_enabled=False))
        result = cli("drills", "--config", config)
        assert result.code == 1
        assert result.out.splitlines()[-1] == "6 passed, 1 failed"
        (fail_line,) = [line for line in result.out.splitlines() if line.startswith("FAIL")]
        assert "E - Risk-Limits" in fail_line
        assert "expected rejected by risk limits [per_order_notional_exceeded]" in fail_line
        assert "observed simulated by executor [live_dry_run]" in fail_line

    def test_json(self, cli: Cli) -> None:
        result = cli("drills", "--config", PASSING, "--format", "json")
        data = json.loads(result.out)
        assert (data["drills_executable"], data["passed"], data["failed"]) == (True, 6, 1)
        assert data["results"][4]["observed"][0]["codes"] == ["per_order_notional_exceeded"]
        assert data["results"][4]["observed"][1]["decided_by"] == "executor"
        assert all(r["duration_ms"] >= 0 for r in data["results"])

    def test_invalid_config_is_bad_input(self, cli: Cli, tmp_path: Path) -> None:
        config = write(tmp_path / "c.toml", '[environment]\nmode = "LIVE"\n')
        result = cli("drills", "--config", config)
        assert result.code == 2
        assert result.err.count("\n") == 1 and "environment.mode" in result.err


class TestStatus:
    def test_plain_text_answers_at_a_glance(
        self, cli: Cli, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PEAK_TRADE_CONFIRM_TOKEN", EXAMPLE_TOKEN)
        result = cli("status", "--config", EXAMPLE)
        assert result.code == 0
        lines = result.out.splitlines()
        assert lines[0] == "Live execution BLOCKED (2 blockers)"
        assert "Mode: live   Effective mode: live_dry_run" in lines
        assert "  Gate 1          open    environment.enable_live_trading = true" in lines
        assert "  Gate 2          CLOSED  environment.live_mode_armed = false" in lines
        assert "  Technical gate  CLOSED  environment.live_dry_run_mode = true" in lines
        assert (
            "  Confirm token   open    environment.require_confirm_token = required, token valid"
            in lines
        )
        assert "Config armed: no" in lines
        assert "  gate2_not_armed: set environment.live_mode_armed = true" in lines
        assert "  dry_run_active: set environment.live_dry_run_mode = false" in lines
        assert EXAMPLE_TOKEN not in result.out

    def test_missing_token_is_a_blocker_with_a_remedy(self, cli: Cli) -> None:
        result = cli("status", "--config", EXAMPLE)
        assert "  confirm_token_missing: supply the token in PEAK_TRADE_CONFIRM_TOKEN" in result.out
        assert result.out.splitlines()[0] == "Live execution BLOCKED (3 blockers)"

    def test_rich_and_plain_show_the_same_facts(self) -> None:
        report = build_status(assess(load_config(PASSING, environ={})))
        stream = io.StringIO()
        render_rich(report, stream)
        rich_text = " ".join(stream.getvalue().split())  # wrapped lines read as one text
        plain_text = " ".join(render_text(report).split())
        for fact in (
            "Live execution BLOCKED (4 blockers)",
            "testnet_dry_run",
            "CLOSED",
            "open",
            "gate2_not_armed",
            "set environment.live_mode_armed = true",
            "environment.live_dry_run_mode",
            "per_order 500 EUR (live_risk.max_order_notional, passing_config.toml)",
            "NOT ENFORCED by the system's code: live_risk.max_live_notional_per_order",
            "orders reach TEST",
            "Kill switch: ABSENT",
            "Config armed: no",
        ):
            assert fact in rich_text, fact
            assert fact in plain_text, fact

    def test_rich_view_prints_paths_literally(self, tmp_path: Path) -> None:
        config = write(tmp_path / "acct[bold].toml", toml_config())
        stream = io.StringIO()
        render_rich(build_status(assess(load_config(config, environ={}))), stream)
        assert "acct[bold].toml" in stream.getvalue()

    def test_rich_is_used_on_a_terminal_only_without_no_color(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from peak_trade.cli import commands as cli_module

        class Tty(io.StringIO):
            def isatty(self) -> bool:
                return True

        monkeypatch.setenv("TERM", "xterm")
        assert cli_module._use_rich(Tty()) is True
        assert cli_module._use_rich(io.StringIO()) is False
        monkeypatch.setenv("NO_COLOR", "1")
        assert cli_module._use_rich(Tty()) is False

    @pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c)))
    def test_json_matches_the_oracle_for_every_gate_combination(
        self,
        case: tuple[str, bool, bool, bool, bool, str, bool],
        cli: Cli,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        token = case[5]
        config = write(tmp_path / "c.toml", case_config(case))
        if TOKENS[token] is not None:
            monkeypatch.setenv("PEAK_TRADE_CONFIRM_TOKEN", TOKENS[token])
        result = cli("status", "--config", config, "--format", "json")
        data = json.loads(result.out)
        allowed, codes, effective = oracle(*case)
        assert data["live_execution_allowed"] is allowed
        assert [b["code"] for b in data["blockers"]] == codes
        assert data["effective_mode"] == effective
        assert all(b["remedy"] for b in data["blockers"])
        # no exchange.default_type: the bounded pilot's readiness refuses the dummy client
        assert data["real_orders_possible"] is False
        mode, gate1, gate2, dry = case[:4]
        token_open = not any(code.startswith("confirm_token") for code in codes)
        want_open = [mode == "live", gate1, gate2, not dry, token_open]
        assert [g["open"] for g in data["gates"]] == want_open


@pytest.mark.parametrize("width", [40, 80])
def test_the_terminal_view_never_cuts_the_key_the_code_or_the_remedy(width: int) -> None:
    """Rendered into a fixed-width console: every key, code and remedy is there in full."""
    report = build_status(assess(load_config(EXAMPLE, environ={})))
    stream = io.StringIO()
    render_rich(report, stream, width=width)
    lines = stream.getvalue().splitlines()
    assert all(len(line) <= width for line in lines)
    assert "…" not in stream.getvalue()
    flowing = " ".join(" ".join(lines).split())  # wrapped lines read as one text
    for gate in report.gates:
        assert gate.key in flowing
    for blocker in report.blockers:
        assert blocker.code in flowing
        assert blocker.remedy in flowing


def test_status_json_reports_venues_as_objects(cli: object, tmp_path: Path) -> None:
    text = toml_config(mode="paper") + (
        '\n[exchange.kraken]\nenabled = true\nsandbox = false\nbase_url = "https://api.kraken.com/0"\n'
        'api_key_env_var = "KRAKEN_KEY"\n'
    )
    path = write(tmp_path / "config.toml", text)
    data = json.loads(cli("status", "--config", path, "--format", "json").out)  # type: ignore[operator]
    kraken = next(v for v in data["venues"] if v["name"] == "exchange.kraken")
    assert kraken["enabled"] is True and kraken["sandbox"] is False
    assert kraken["endpoints"] == ["https://api.kraken.com"]
    assert kraken["credentials"] == [
        {"key": "exchange.kraken.api_key_env_var", "kind": "env_var", "present": False}
    ]
    text_view = cli("status", "--config", path).out  # type: ignore[operator]
    assert "Venue exchange.kraken: orders reach NONE, enabled, NOT sandbox" in text_view
    assert kraken["orders_reach"] == "none"  # no Peak_Trade order client reads it
    assert "build_trading_client_from_config" in kraken["orders_reach_reason"]


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        (toml_config(mode="paper"), "\x1b[1;32mLive execution BLOCKED"),  # blocked: green
        # allowed, but the dummy client: nothing reaches an exchange (yellow)
        (toml_config(require_token=False), "\x1b[1;33mLIVE EXECUTION ALLOWED"),
        # the bounded pilot reaches Kraken's production API whatever the gates say: red
        (
            toml_config(dry_run=True) + '[exchange]\ndefault_type = "kraken_live"\n',
            "\x1b[1;31mREAL ORDERS CAN LEAVE",
        ),
    ],
)
def test_the_terminal_view_colours_by_safety(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, headline: str
) -> None:
    """A closed gate is the safe state (green), an open one a caution (yellow); a blocked
    system's headline is green, a live-allowed one's never is."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    report = build_status(assess(load_config(write(tmp_path / "c.toml", text), environ={})))
    stream = io.StringIO()
    render_rich(report, stream, width=100)
    out = stream.getvalue()
    assert out.startswith(headline), out[:60]
    if "BLOCKED" in headline or "REAL ORDERS" in headline:
        assert "\x1b[32mCLOSED" in out and "\x1b[33mopen" in out
    else:
        assert "\x1b[33mopen" in out and "\x1b[32mCLOSED" not in out
