"""What Peak_Trade's own code does with a config (docs/peak-trade-config.md, "What Peak_Trade's
code enforces"): which caps bind, where orders reach, the confirm token's variable, the kill
switch. Each rule was read in rauterfrank-ui/Peak_Trade; each test states that rule as its own
oracle, independently of `runtime.py`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peak_trade.core.environment import TradingEnvironment
from peak_trade.dialects import assess
from peak_trade.dialects.peak_trade.config import decode_files, load_config
from peak_trade.live.audit import LiveAuditVersions, audit_loaded_config
from peak_trade.live.diff import Risk, diff_snapshots
from peak_trade.live.policy import Expectation, check_snapshot
from tests.conftest import EXAMPLE_TOKEN, CliResult, toml_config, write

Cli = Callable[..., CliResult]
VERSIONS = LiveAuditVersions(peak_trade="0", python="3", git_commit=None)
STAMP = "2026-12-02T00:00:00+00:00"


def _decode(main: str, bounded: str | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    files = [("config.toml", main.encode())]
    if bounded is not None:
        files.append(("bounded_live.toml", bounded.encode()))
    return decode_files(files, **kwargs)  # type: ignore[arg-type]


def _enforced(loaded) -> dict[str, bool | None]:  # type: ignore[no-untyped-def]
    return {c.key: c.enforced for c in loaded.caps}


def _snapshot(loaded):  # type: ignore[no-untyped-def]
    return audit_loaded_config(loaded, timestamp_utc=STAMP, versions=VERSIONS)


# --------------------------------------------------------------------------- caps

ALL_LIVE_RISK = (
    "[live_risk]\nmax_live_notional_per_order = 100.0\nmax_live_notional_total = 900.0\n"
    "max_order_notional = 50.0\nmax_total_exposure_notional = 500.0\n"
    "max_symbol_exposure_notional = 300.0\nmax_open_positions = 2\nlive_trade_min_size = 5.0\n"
    "max_daily_loss_abs = 40.0\nmax_daily_loss_pct = 3.0\n"
)


def _mode(mode: str) -> str:
    return f'[environment]\nmode = "{mode}"\n'


def test_in_mode_live_no_cap_binds_the_bounded_pilot_builds_its_pipeline_without_limits() -> None:
    loaded = _decode(_mode("live") + ALL_LIVE_RISK)
    assert set(_enforced(loaded).values()) == {False}
    assert all(
        "LiveSessionRunner._build_pipeline" in (c.enforcement or "")
        for c in loaded.caps
        if not c.key.startswith(("environment.", "live_risk.max_live_notional"))
    )
    assert all(v is None for v in vars_of(assess(loaded).effective).values())


def vars_of(effective: object) -> dict[str, object]:
    return {f: getattr(effective, f) for f in effective.__struct_fields__}  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode", ["paper", "testnet"])
def test_in_paper_and_testnet_the_session_applies_the_live_risk_caps(mode: str) -> None:
    enforced = _enforced(_decode(_mode(mode) + ALL_LIVE_RISK))
    assert enforced == {
        # stored in LiveRiskConfig, never compared
        "live_risk.max_live_notional_per_order": False,
        "live_risk.max_live_notional_total": False,
        # LiveRiskLimits.check_orders, on the one order being placed
        "live_risk.max_order_notional": True,
        "live_risk.live_trade_min_size": True,
        # ... which it sums alone: open positions are never added, so no exposure is bounded
        "live_risk.max_total_exposure_notional": False,
        "live_risk.max_symbol_exposure_notional": False,
        "live_risk.max_open_positions": False,
        # the daily PnL comes from the experiments CSV of paper runs
        "live_risk.max_daily_loss_abs": mode == "paper",
        "live_risk.max_daily_loss_pct": None if mode == "paper" else False,
    }


def test_environment_caps_are_never_read_by_an_order_gate() -> None:
    text = _mode("testnet").replace(
        "\n", "\nmax_live_notional_per_order = 10.0\nlive_trade_min_size = 1.0\n", 1
    )
    loaded = _decode(text)
    assert _enforced(loaded) == {
        "environment.max_live_notional_per_order": False,
        "environment.live_trade_min_size": False,
    }
    assert all("EnvironmentConfig" in (c.enforcement or "") for c in loaded.caps)


def test_disabled_limits_enforce_nothing() -> None:
    loaded = _decode(_mode("testnet") + ALL_LIVE_RISK + "enabled = false\n")
    assert set(_enforced(loaded).values()) == {False}


BOUNDED = (
    "[bounded_live]\nenabled = {enabled}\n[bounded_live.limits]\nmax_order_notional = 25.0\n"
    "max_total_notional = 250.0\nmin_order_notional = 10.0\nmax_daily_loss_pct = 2.0\n"
    "max_position_pct = 0.5\n"
)


def test_bounded_caps_in_the_config_file_replace_the_live_risk_ones_while_enabled() -> None:
    main = _mode("testnet") + ALL_LIVE_RISK.replace("live_trade_min_size = 5.0\n", "")
    loaded = _decode(main + BOUNDED.format(enabled="true"))
    enforced = _enforced(loaded)
    assert enforced["bounded_live.limits.max_order_notional"] is True
    assert enforced["live_risk.max_order_notional"] is False  # replaced, however small
    assert enforced["bounded_live.limits.max_total_notional"] is False  # one order's batch
    assert enforced["live_risk.max_total_exposure_notional"] is False  # replaced
    assert enforced["bounded_live.limits.max_daily_loss_pct"] is False  # never read
    assert enforced["bounded_live.limits.max_position_pct"] is False
    assert enforced["bounded_live.limits.min_order_notional"] is True
    effective = assess(loaded).effective
    # Peak_Trade's replacement binds (here also the smaller), the replaced caps bind nothing
    assert (effective.per_order, effective.total, effective.min_order) == (25.0, None, 10.0)


def test_the_minimum_falls_back_to_the_bounded_one_even_with_bounded_live_disabled() -> None:
    main = _mode("testnet") + ALL_LIVE_RISK.replace("live_trade_min_size = 5.0\n", "")
    loaded = _decode(main + BOUNDED.format(enabled="false"))
    enforced = _enforced(loaded)
    assert enforced["bounded_live.limits.min_order_notional"] is True
    assert enforced["bounded_live.limits.max_order_notional"] is False  # needs enabled
    assert enforced["live_risk.max_order_notional"] is True
    snapshot = _snapshot(loaded)
    assert snapshot.risk.live_trade_min_size == 10.0  # the seed field: Peak_Trade's LiveRiskConfig
    assert snapshot.risk.effective.min_order == 10.0
    # with live_trade_min_size set, it takes precedence
    with_min = _decode(_mode("testnet") + ALL_LIVE_RISK + BOUNDED.format(enabled="false"))
    assert _enforced(with_min)["bounded_live.limits.min_order_notional"] is False
    assert _snapshot(with_min).risk.live_trade_min_size == 5.0


def test_caps_of_bounded_live_toml_bind_nothing_the_runners_never_merge_it() -> None:
    loaded = _decode(_mode("testnet") + ALL_LIVE_RISK, BOUNDED.format(enabled="true"))
    bounded = {k: v for k, v in _enforced(loaded).items() if k.startswith("bounded_live.")}
    assert bounded and set(bounded.values()) == {False}
    never_read = ("bounded_live.limits.max_daily_loss_pct", "bounded_live.limits.max_position_pct")
    assert all(
        "merged only by the readiness checks" in (c.enforcement or "")
        for c in loaded.caps
        if c.source == "bounded_live.toml" and c.key not in never_read
    )
    # the config file's own caps are not replaced: its own bounded_live is not enabled
    assert _enforced(loaded)["live_risk.max_order_notional"] is True


@given(
    mode=st.sampled_from(["paper", "testnet", "live"]),
    enabled=st.booleans(),
    bounded=st.sampled_from([None, "true", "false"]),
)
def test_a_cap_binds_only_when_enforced_and_every_unenforced_one_says_why(
    mode: str, enabled: bool, bounded: str | None
) -> None:
    text = _mode(mode) + ALL_LIVE_RISK + f"enabled = {str(enabled).lower()}\n"
    if bounded is not None:
        text += BOUNDED.format(enabled=bounded)
    loaded = _decode(text)
    effective = assess(loaded).effective
    for cap in loaded.caps:
        assert cap.enforced is True or cap.enforcement
    for field, value in vars_of(effective).items():
        binding = [c for c in loaded.caps if c.kind.value == field and c.enforced is True]
        assert (value is None) is (not binding), field
    if mode == "live" or not enabled:
        assert all(v is None for v in vars_of(effective).values())


# --------------------------------------------------------------------------- venues


def _reach(loaded) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {v.name: v.orders_reach.value for v in loaded.venues}


def test_the_dummy_client_reaches_nothing() -> None:
    selected = _decode('[exchange]\ndefault_type = "dummy"\n')
    assert _reach(selected) == {"exchange.dummy": "simulated"}
    assert _reach(_decode("")) == {}  # no client selected, none built: no row
    # a value the factory refuses is no error of the audit's: no path of paper mode calls it
    spot = _decode('[exchange]\ndefault_type = "spot"\n')
    assert _reach(spot) == {} and _snapshot(spot).safety.real_orders_possible is False


def test_the_live_path_forces_kraken_live_which_is_real_money_whatever_the_gates() -> None:
    """The bounded pilot builds its gates in code and runs once its readiness check accepts
    default_type (ending in _live, or kraken)."""
    refused = _decode(_mode("live") + '[exchange]\ndefault_type = "dummy"\n')
    assert _reach(refused) == {"exchange.dummy": "simulated"}
    assert _snapshot(refused).safety.real_orders_possible is False
    for accepted in ("kraken_live", "kraken"):
        loaded = _decode(_mode("live") + f'[exchange]\ndefault_type = "{accepted}"\n')
        assert _reach(loaded) == {"exchange.kraken_live": "real"}
        snapshot = _snapshot(loaded)
        assert snapshot.safety.is_live_execution_allowed is False  # the audit's gates
        assert snapshot.safety.real_orders_possible is True  # the pilot's, set in code
        codes = {v.code for v in check_snapshot(snapshot, Expectation.BLOCKED)}
        assert "real_orders_possible" in codes
    elsewhere = _decode(
        _mode("live")
        + '[exchange]\ndefault_type = "kraken_live"\n'
        + '[exchange.kraken_live]\nenabled = false\nbase_url = "https://k.example"\n'
    )
    (venue,) = (v for v in elsewhere.venues if v.name == "exchange.kraken_live")
    assert venue.orders_reach.value == "unknown" and venue.enabled is False


@pytest.mark.parametrize(
    ("table", "reach"),
    [
        ("", "test"),  # validate_only defaults to true: Kraken validates, places nothing
        ("validate_only = true\n", "test"),
        ("validate_only = false\n", "real"),  # Kraken's production API, its default URL
        ('validate_only = false\nbase_url = "https://api.kraken.com"\n', "real"),
        ('validate_only = false\nbase_url = "https://test.example"\n', "unknown"),
        ('validate_only = "false"\n', "unknown"),  # Peak_Trade takes its truth value as is
    ],
)
def test_the_testnet_client_reaches_production_unless_it_only_validates(
    table: str, reach: str
) -> None:
    loaded = _decode(_mode("testnet") + "[exchange.kraken_testnet]\n" + table)
    assert _reach(loaded)["exchange.kraken_testnet"] == reach


def test_testnet_mode_sending_to_production_is_real_orders_whatever_the_gates() -> None:
    """The testnet session never asks the safety guard: testnet_dry_run stops nothing."""
    text = (
        _mode("testnet")
        + "testnet_dry_run = true\n"
        + ALL_LIVE_RISK
        + "[exchange.kraken_testnet]\nvalidate_only = false\n"
    )
    snapshot = _snapshot(_decode(text))
    assert snapshot.safety.is_live_execution_allowed is False
    assert snapshot.safety.real_orders_possible is True
    assert "real_orders_possible" in {v.code for v in check_snapshot(snapshot, Expectation.BLOCKED)}
    safe = _snapshot(_decode(text.replace("validate_only = false", "validate_only = true")))
    assert safe.safety.real_orders_possible is False


def test_other_tables_reach_nothing_and_enabled_is_never_read() -> None:
    loaded = _decode(
        '[exchange.okx_europe_eea]\nenabled = true\n[live_exchange]\nname = "kraken"\n'
        'use_sandbox = true\nbase_url = "https://eea.okx.com"\n'
    )
    reach = _reach(loaded)
    assert reach["exchange.okx_europe_eea"] == "none"
    assert reach["live_exchange"] == "none"
    (market,) = (v for v in loaded.venues if v.name == "live_exchange")
    assert "market data only" in market.orders_reach_reason
    assert market.endpoints == ("https://eea.okx.com",)


def test_an_allowed_live_config_sends_real_orders_only_through_the_pilot() -> None:
    text = toml_config(require_token=False)
    dummy = _snapshot(_decode(text, token_from_env=EXAMPLE_TOKEN))
    assert dummy.safety.is_live_execution_allowed is True
    assert dummy.safety.real_orders_possible is False  # the pilot's readiness refuses dummy
    assert dummy.safety.safety_guarantee_v1_0.startswith("Dry-Run only")
    live = _snapshot(_decode(text + '[exchange]\ndefault_type = "kraken_live"\n'))
    assert live.safety.real_orders_possible is True
    assert live.safety.safety_guarantee_v1_0.startswith("not given")


# --------------------------------------------------------------------------- token


@pytest.mark.parametrize(
    ("env", "source"),
    [
        ({"PEAK_TRADE_CONFIRM_TOKEN": EXAMPLE_TOKEN}, "PEAK_TRADE_CONFIRM_TOKEN"),
        ({"PT_LIVE_CONFIRM_TOKEN": EXAMPLE_TOKEN}, "PT_LIVE_CONFIRM_TOKEN"),
        (
            {"PT_LIVE_CONFIRM_TOKEN": "other", "PEAK_TRADE_CONFIRM_TOKEN": EXAMPLE_TOKEN},
            "PEAK_TRADE_CONFIRM_TOKEN",
        ),
        ({}, None),
    ],
)
def test_the_bounded_pilots_token_variable_counts_and_the_snapshot_names_it(
    tmp_path: Path, env: dict[str, str], source: str | None
) -> None:
    config = write(tmp_path / "config.toml", toml_config())
    snapshot = _snapshot(load_config(config, environ=env))
    assert snapshot.gating.confirm_token_source == source
    assert snapshot.gating.confirm_token_valid is (True if source else None)
    assert EXAMPLE_TOKEN not in json.dumps(snapshot_dict(snapshot))


def snapshot_dict(snapshot: object) -> object:
    from peak_trade.live.snapshot import live_audit_snapshot_to_dict

    return live_audit_snapshot_to_dict(snapshot)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- kill switch

KILL_SWITCH = (
    '[kill_switch]\nenabled = true\nmode = "active"\napproval_code_env = "KS_CODE"\n'
    "[kill_switch.triggers.drawdown]\nthreshold = -0.15\n"
    "[kill_switch.triggers.volatility_spike]\nenabled = false\nthreshold = 0.1\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A Peak_Trade project root: config/config.toml (mode live), config/risk/, data/."""
    (tmp_path / "config" / "risk").mkdir(parents=True)
    write(tmp_path / "config" / "config.toml", toml_config(dry_run=True))
    return tmp_path


def _state(project: Path, text: str) -> None:
    (project / "data" / "kill_switch").mkdir(parents=True, exist_ok=True)
    write(project / "data" / "kill_switch" / "state.json", text)


def _load(project: Path, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return load_config(str(project / "config" / "config.toml"), environ=env or {})


def test_the_kill_switch_file_and_its_state_are_read(project: Path) -> None:
    write(project / "config" / "risk" / "kill_switch.toml", KILL_SWITCH)
    _state(project, '{"state": "ACTIVE", "trigger_reason": "sk-live-SECRET-REASON"}')
    ks = _load(project, {"KS_CODE": "1"}).kill_switch
    assert ks is not None and ks.protects
    assert (ks.enabled, ks.mode, ks.state, ks.tripped) == (True, "active", "ACTIVE", False)
    assert [(t.name, t.enabled, t.threshold) for t in ks.triggers] == [
        ("drawdown", None, -0.15),
        ("volatility_spike", False, 0.1),
    ]
    assert (ks.approval_env_var, ks.approval_env_present) == ("KS_CODE", True)
    assert "no trigger is evaluated at run time" in (ks.note or "")
    snapshot = _snapshot(_load(project))
    assert "SECRET-REASON" not in json.dumps(snapshot_dict(snapshot))


@pytest.mark.parametrize("state", ["KILLED", "recovering"])
def test_a_tripped_switch_blocks_as_peak_trades_gate_does(project: Path, state: str) -> None:
    write(project / "config" / "risk" / "kill_switch.toml", KILL_SWITCH)
    _state(project, json.dumps({"state": state}))
    loaded = load_config(
        write(project / "config" / "config.toml", toml_config(require_token=False)), environ={}
    )
    snapshot = _snapshot(loaded)
    assert snapshot.safety.is_live_execution_allowed is False
    assert snapshot.gating.effective_mode == "blocked"
    assert [b.code.value for b in snapshot.safety.blockers] == ["kill_switch_tripped"]
    assert snapshot.safety.real_orders_possible is False


def test_the_state_file_named_by_the_environment_wins(project: Path, tmp_path: Path) -> None:
    write(project / "config" / "risk" / "kill_switch.toml", KILL_SWITCH)
    _state(project, '{"state": "ACTIVE"}')
    elsewhere = write(tmp_path / "ks.json", '{"state": "KILLED"}')
    ks = _load(project, {"PEAK_KILL_SWITCH_STATE_PATH": elsewhere}).kill_switch
    assert ks is not None and ks.tripped


@pytest.mark.parametrize(
    ("toml", "state", "why"),
    [
        (None, None, "does not exist"),
        (KILL_SWITCH.replace("enabled = true", "enabled = false", 1), None, "is off"),
        (KILL_SWITCH.replace('"active"', '"disabled"'), None, "is off"),
        (KILL_SWITCH.replace("enabled = true", 'enabled = "yes"', 1), None, "cannot be read"),
        ("[kill_switch\n", None, "cannot be read"),
        (KILL_SWITCH, "{not json", "cannot be read"),
        (KILL_SWITCH, '{"state": "PAUSED"}', "cannot be read"),
    ],
)
def test_a_live_capable_config_without_a_working_kill_switch_is_a_finding(
    project: Path, toml: str | None, state: str | None, why: str
) -> None:
    if toml is not None:
        write(project / "config" / "risk" / "kill_switch.toml", toml)
    if state is not None:
        _state(project, state)
    snapshot = _snapshot(_load(project))
    (finding,) = [
        v for v in check_snapshot(snapshot, Expectation.BLOCKED) if v.code == "kill_switch_missing"
    ]
    assert why in finding.message
    assert snapshot.kill_switch is not None and snapshot.kill_switch.protects is False


def test_a_paper_config_needs_no_kill_switch(tmp_path: Path) -> None:
    config = write(tmp_path / "config.toml", toml_config(mode="paper"))
    snapshot = _snapshot(load_config(config, environ={}))
    assert snapshot.kill_switch is not None and not snapshot.kill_switch.configured
    assert check_snapshot(snapshot, Expectation.BLOCKED) == ()


# --------------------------------------------------------------------------- diff and views


def test_diff_judges_enforcement_reach_and_the_kill_switch(project: Path) -> None:
    write(project / "config" / "risk" / "kill_switch.toml", KILL_SWITCH)
    config = project / "config" / "config.toml"
    write(config, toml_config(mode="testnet") + "[exchange.kraken_testnet]\nvalidate_only = true\n")
    before = _snapshot(_load(project))
    write(
        config, toml_config(mode="testnet") + "[exchange.kraken_testnet]\nvalidate_only = false\n"
    )
    write(
        project / "config" / "risk" / "kill_switch.toml",
        KILL_SWITCH.replace("enabled = true", "enabled = false", 1),
    )
    after = _snapshot(_load(project))
    worse = {(c.section, c.key): c.why for c in diff_snapshots(before, after).less_safe}
    assert worse[("venues", "exchange.kraken_testnet.orders_reach")] == (
        "orders reach real (were test)"
    )
    assert worse[("kill_switch", "kill_switch")] == "kill switch disabled"
    write(config, toml_config(mode="live", dry_run=True))
    in_live = _snapshot(_load(project))
    changes = {(c.section, c.key): c for c in diff_snapshots(after, in_live).changes}
    enforced = changes[("risk", "limits.live_risk.max_order_notional.enforced")]
    assert (enforced.risk, enforced.why) == (
        Risk.LESS_SAFE,
        "cap no longer enforced by the system's code",
    )


def test_status_names_every_file_merged_and_the_file_of_each_binding_cap(
    cli: Cli, tmp_path: Path
) -> None:
    (tmp_path / "config").mkdir()
    config = write(tmp_path / "config" / "config.toml", toml_config(mode="testnet"))
    write(tmp_path / "config" / "bounded_live.toml", "[bounded_live]\nphase = 1\n")
    out = cli("status", "--config", config).out
    assert f"files merged: {config}, {tmp_path / 'config' / 'bounded_live.toml'}" in out
    assert "per_order 1000 EUR (live_risk.max_order_notional, config.toml)" in out
    data = json.loads(cli("status", "--config", config, "--format", "json").out)
    assert data["binding_caps"]["per_order"] == {
        "key": "live_risk.max_order_notional",
        "source": "config.toml",
    }
    assert "live_risk.max_live_notional_per_order" in data["caps_not_enforced"]


def test_the_markdown_report_points_from_the_seed_fields_to_the_binding_caps(
    cli: Cli, tmp_path: Path
) -> None:
    config = write(tmp_path / "config.toml", toml_config(mode="testnet"))
    report = cli("audit", "export", "--config", config, "--stdout").out
    seed = report.split("## Risk Limits", 1)[1].split("## Drills Summary", 1)[0]
    assert "the caps that bind" in seed and "Effective Limits" in seed
    assert "| `live_risk.max_live_notional_per_order` | per_order | money | 1000.0 |" in report
    assert "no: stored in LiveRiskConfig and never compared" in report
    assert "## Kill Switch" in report


def test_the_mode_decides_the_path() -> None:
    from peak_trade.dialects.peak_trade.runtime import order_clients

    assert order_clients(TradingEnvironment.PAPER, "kraken_live") == ()  # no exchange client
    assert order_clients(TradingEnvironment.LIVE, "dummy") == ()  # readiness refuses it
    assert order_clients(TradingEnvironment.LIVE, "kraken") == ("kraken_live",)
    assert order_clients(TradingEnvironment.TESTNET, "dummy") == ("kraken_testnet",)


def test_the_kill_switch_files_are_inputs_never_outputs_and_never_configs(
    cli: Cli, project: Path
) -> None:
    switch = write(project / "config" / "risk" / "kill_switch.toml", KILL_SWITCH)
    _state(project, '{"state": "ACTIVE"}')
    state = str(project / "data" / "kill_switch" / "state.json")
    config = str(project / "config" / "config.toml")
    for target in (switch, state):
        before = Path(target).read_bytes()
        result = cli("audit", "export", "--config", config, "--output-json", target, "--force")
        assert result.code == 2 and "read" in result.err, result.err
        assert Path(target).read_bytes() == before
    # fleet: the switch is read beside its config, never audited as a config of its own
    rows = cli("audit", "fleet", str(project / "config" / "risk")).err
    assert "matches no config file" in rows
    noted = cli("status", "--config", switch)
    assert "is read with the config beside it, never alone" in noted.err


# --------------------------------------------------------------------------- review findings


def test_bounded_live_toml_never_decides_what_the_session_runners_do() -> None:
    """The runners load the config file alone: an overlay's [environment], [live_risk] or
    venue tables change the readiness view, never the order path."""
    main = _mode("testnet") + ALL_LIVE_RISK + "[exchange.kraken_testnet]\nvalidate_only = false\n"
    alone = _snapshot(_decode(main))
    assert alone.safety.real_orders_possible is True
    for overlay in (
        "[exchange.kraken_testnet]\nvalidate_only = true\n",
        '[environment]\nmode = "paper"\n',
    ):
        merged = _snapshot(_decode(main, overlay))
        assert merged.safety.real_orders_possible is True, overlay
        assert "real_orders_possible" in {
            v.code for v in check_snapshot(merged, Expectation.BLOCKED)
        }
    off = _decode(
        _mode("testnet") + ALL_LIVE_RISK + "enabled = false\n", "[live_risk]\nenabled = true\n"
    )
    assert {c.enforced for c in off.caps} == {False}  # the runners see live_risk.enabled = false


def test_status_never_shows_a_green_blocked_headline_while_real_orders_leave(
    cli: Cli, tmp_path: Path
) -> None:
    config = write(
        tmp_path / "config.toml",
        _mode("testnet") + "[exchange.kraken_testnet]\nvalidate_only = false\n",
    )
    first = cli("status", "--config", config).out.splitlines()[0]
    assert first.startswith("REAL ORDERS CAN LEAVE: the gates say blocked")
    fix = cli("audit", "check", "--config", config).out
    assert "fix: exchange.kraken_testnet.validate_only = true" in fix


def test_a_tripped_switch_blocks_in_mode_live_only(project: Path) -> None:
    write(project / "config" / "risk" / "kill_switch.toml", KILL_SWITCH)
    _state(project, '{"state": "KILLED"}')
    write(
        project / "config" / "config.toml",
        _mode("testnet") + "[exchange.kraken_testnet]\nvalidate_only = false\n",
    )
    snapshot = _snapshot(_load(project))
    assert snapshot.kill_switch is not None and snapshot.kill_switch.tripped
    assert "kill_switch_tripped" not in {b.code.value for b in snapshot.safety.blockers}
    assert snapshot.safety.real_orders_possible is True  # the testnet session never reads it


def test_a_schema_2_venue_has_no_reach_and_diff_says_so_unjudged() -> None:
    from peak_trade.live.snapshot import live_audit_snapshot_from_json, live_audit_snapshot_to_dict

    new = _snapshot(_decode(_mode("live") + '[exchange]\ndefault_type = "kraken_live"\n'))
    plain = live_audit_snapshot_to_dict(new)
    plain["schema_version"] = 2
    plain.pop("kill_switch")
    plain["gating"].pop("confirm_token_source")
    for venue in plain["venues"]:
        venue.pop("orders_reach")
        venue.pop("orders_reach_reason")
    for cap in plain["risk"]["limits"]:
        for key in ("unit", "enforced", "enforcement"):
            cap.pop(key)
    old = live_audit_snapshot_from_json(json.dumps(plain))
    changes = {(c.section, c.key): c for c in diff_snapshots(old, new).changes}
    reach = changes[("venues", "exchange.kraken_live.orders_reach")]
    assert reach.risk is Risk.NEUTRAL and "new in schema 3" in reach.why


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('approval_code_env = "sk_live_51HxQaaaaaaaaaaaaaaaaaaaaa"', "not a variable name"),
        ('mode = "sk_live_51HxQaaaaaaaaaaaaaaaaaaaaa"', "kill_switch.mode: expected one of"),
    ],
)
def test_kill_switch_text_that_is_no_known_value_never_reaches_an_output(
    project: Path, line: str, problem: str
) -> None:
    write(
        project / "config" / "risk" / "kill_switch.toml", f"[kill_switch]\nenabled = true\n{line}\n"
    )
    snapshot = _snapshot(_load(project))
    text = json.dumps(snapshot_dict(snapshot))
    assert "sk_live_51HxQ" not in text
    assert snapshot.kill_switch is not None and problem in (snapshot.kill_switch.problem or "")
    assert snapshot.kill_switch.protects is False


def test_a_trigger_named_like_a_secret_is_shown_redacted_and_bad_keys_are_named(
    project: Path,
) -> None:
    write(
        project / "config" / "risk" / "kill_switch.toml",
        KILL_SWITCH + "[kill_switch.triggers.AKIAIOSFODNN7EXAMPLEKEY]\nthreshold = 1.0\n"
        '[kill_switch.triggers.daily]\nenabled = "yes"\n',
    )
    ks = _load(project).kill_switch
    assert ks is not None
    assert "AKIAIOSFODNN7EXAMPLEKEY" not in json.dumps(snapshot_dict(_snapshot(_load(project))))
    assert "kill_switch.triggers.daily.enabled: expected bool" in (ks.problem or "")
    assert ks.state_file == str(project / "data" / "kill_switch" / "state.json")


def test_a_cap_the_overlay_overrides_is_reported_with_the_value_the_runners_apply() -> None:
    main = _mode("testnet") + "[live_risk]\nmax_order_notional = 50.0\n"
    loaded = _decode(main, "[live_risk]\nmax_order_notional = 500.0\n")
    (cap,) = [c for c in loaded.caps if c.key == "live_risk.max_order_notional"]
    assert (cap.value, cap.source, cap.enforced) == (50.0, "config.toml", True)
    assert "bounded_live.toml sets 500.0 here" in (cap.enforcement or "")
    assert assess(loaded).effective.per_order == 50.0
    # a cap the overlay alone sets: listed from the overlay, binding nothing
    only = _decode(_mode("testnet"), "[live_risk]\nmax_order_notional = 500.0\n")
    (alone,) = [c for c in only.caps if c.key == "live_risk.max_order_notional"]
    assert (alone.source, alone.enforced) == ("bounded_live.toml", False)
