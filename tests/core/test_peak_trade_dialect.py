"""The real Peak_Trade dialect: a full installation config, bounded_live.toml, the resolution
order, strict types for every registry key, nothing invented, and Peak_Trade's call forms."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest

from peak_trade.core.environment import EnvironmentConfig, LiveRiskConfig, TradingEnvironment
from peak_trade.core.registry import CAPS, SETTINGS, keys_of_table
from peak_trade.dialects import assess
from peak_trade.dialects.peak_trade.config import CONFIG_PATH_ENV_VAR, decode_config, load_config
from peak_trade.errors import ConfigError
from tests.conftest import EXAMPLE_CONFIG, CliResult, toml_config, write

Cli = Callable[..., CliResult]
ASSETS = Path(__file__).resolve().parent.parent / "assets" / "peak_trade_style"

#: what binds in this paper config: Peak_Trade's session runners read config.toml alone, so
#: the caps of the merged bounded_live.toml bind nothing (docs/peak-trade-config.md)
PILOT_EFFECTIVE = {
    "per_order": 50.0,  # live_risk.max_order_notional (bounded's 25: not merged at run time)
    "total": None,  # compared with the one order being placed: no exposure bound
    "per_symbol": None,  # likewise
    "open_positions": None,  # counts the symbols of one order's batch: never above 1
    "daily_loss_abs": 60.0,  # paper: the experiments CSV holds paper runs' PnL
    "daily_loss_pct": None,  # needs a starting cash the files cannot show: unknown
    "min_order": None,  # bounded's min_order_notional: in the file the runners never read
}


@pytest.fixture
def install(tmp_path: Path) -> Path:
    """A copy of the Peak_Trade-style config directory, with its bounded_live.toml."""
    directory = tmp_path / "config"
    shutil.copytree(ASSETS, directory)
    return directory


def test_the_fixture_is_a_real_sized_config() -> None:
    text = (ASSETS / "config.toml").read_text()
    assert len(text.splitlines()) > 300
    assert text.count("\n[") > 40  # many tables the audit never interprets


def test_every_command_runs_on_a_peak_trade_installation(cli: Cli, install: Path) -> None:
    config = str(install / "config.toml")
    for argv in (
        ["audit", "export", "--config", config, "--stdout"],
        ["status", "--config", config],
        ["drills", "--config", config],
        ["audit", "check", "--config", config],
        ["audit", "fleet", str(install)],
    ):
        result = cli(*argv)
        # drills: E fails (Peak_Trade's total cap sees one order); every other command: OK
        assert (result.code, result.err) == (1 if argv[0] == "drills" else 0, ""), argv


def test_the_caps_of_bounded_live_toml_are_reported_and_bind_nothing(
    cli: Cli, install: Path
) -> None:
    result = cli("audit", "export", "--config", str(install / "config.toml"), "--format", "json")
    data = json.loads(result.out)
    assert data["risk"]["effective"] == PILOT_EFFECTIVE
    by_key = {cap["key"]: cap for cap in data["risk"]["limits"]}
    bounded = [k for k in by_key if k.startswith("bounded_live.")]
    assert len(bounded) == 7 and all(by_key[k]["enforced"] is False for k in bounded)
    assert "merged only by the readiness checks" in by_key[bounded[0]]["enforcement"]
    assert by_key["live_risk.max_daily_loss_pct"]["enforced"] is None
    assert by_key["live_risk.max_order_notional"]["unit"] == "money"
    assert data["risk"]["bounded_live_enabled"] is True
    assert data["risk"]["base_currency"] == "EUR"  # from [live]: [live_risk] sets none
    sources = {cap["key"]: cap["source"] for cap in data["risk"]["limits"]}
    assert sources["bounded_live.limits.max_order_notional"] == "bounded_live.toml"
    assert sources["live_risk.max_order_notional"] == "config.toml"
    assert [f["path"] for f in data["config"]["files"]] == [
        str(install / "config.toml"),
        str(install / "bounded_live.toml"),
    ]
    # the seed's three fields: no Phase 71 cap is configured, but the minimum falls back to
    # bounded_live.limits.min_order_notional, as Peak_Trade's LiveRiskConfig holds it
    assert [
        data["risk"][k]
        for k in ("max_live_notional_per_order", "max_live_notional_total", "live_trade_min_size")
    ] == [None, None, 10.0]
    assert data["risk"]["limits_source"] == "bounded_live.toml"


def test_no_bounded_live_skips_the_neighbour(cli: Cli, install: Path) -> None:
    result = cli(
        "audit",
        "export",
        "--config",
        str(install / "config.toml"),
        "--format",
        "json",
        "--no-bounded-live",
    )
    data = json.loads(result.out)
    assert data["risk"]["effective"]["per_order"] == 50.0
    assert data["risk"]["effective"]["min_order"] is None
    assert data["risk"]["bounded_live_enabled"] is False
    assert len(data["config"]["files"]) == 1


def test_an_unset_cap_is_null_in_json_and_not_set_in_markdown_and_status(
    cli: Cli, tmp_path: Path
) -> None:
    config = write(tmp_path / "c.toml", "[environment]\nmode = 'paper'\n")
    data = json.loads(cli("audit", "export", "--config", config, "--format", "json").out)
    assert set(data["risk"]["effective"].values()) == {None}
    assert data["risk"]["limits"] == []
    markdown = cli("audit", "export", "--config", config).out
    assert "- **max_live_notional_per_order:** not set\n" in markdown
    assert "| per_order | not set | - |" in markdown
    status = cli("status", "--config", config).out
    assert "per_order not set" in status
    for text in (json.dumps(data), markdown, status):
        assert "1000" not in text and "5000" not in text  # no invented default cap


def test_resolution_order(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    def found() -> tuple[str, str | None]:
        data = json.loads(cli("audit", "export", "--format", "json").out)
        return data["config"]["resolved_from"], data["config"]["path"]

    assert found() == ("embedded-default", None)
    (tmp_path / "config").mkdir()
    write(tmp_path / "config" / "config.toml", toml_config(mode="paper"))
    assert found() == ("default-path", "config/config.toml")
    other = write(tmp_path / "other.toml", toml_config(mode="testnet"))
    monkeypatch.setenv(CONFIG_PATH_ENV_VAR, other)
    assert found() == ("env", other)
    monkeypatch.setenv(CONFIG_PATH_ENV_VAR, "")  # empty: ignored, as Peak_Trade ignores it
    assert found() == ("default-path", "config/config.toml")
    monkeypatch.setenv(CONFIG_PATH_ENV_VAR, other)
    explicit = write(tmp_path / "explicit.toml", toml_config(mode="paper"))
    result = json.loads(cli("audit", "export", "--config", explicit, "--format", "json").out)
    assert (result["config"]["resolved_from"], result["config"]["path"]) == ("option", explicit)
    status = cli("status").out
    assert f"Config: {other} (file, found by env)" in status


def test_an_invalid_bounded_file_is_an_error_naming_it(cli: Cli, install: Path) -> None:
    bounded = install / "bounded_live.toml"
    bounded.write_text("[bounded_live.limits]\nmax_order_notional = -1.0\n")
    result = cli("audit", "export", "--config", str(install / "config.toml"))
    assert result.code == 2
    assert str(bounded) in result.err
    assert "bounded_live.limits.max_order_notional" in result.err
    bounded.unlink()
    bounded.mkdir()  # unreadable as a file
    result = cli("status", "--config", str(install / "config.toml"))
    assert result.code == 2
    assert result.err == f"peak-trade: {bounded}: is a directory, not a config file\n"


def test_a_merge_where_both_files_set_the_same_table(tmp_path: Path) -> None:
    """Peak_Trade merges top-level table by table: the bounded file's keys win, and a
    sub-table it sets replaces the main file's sub-table as a whole."""
    write(
        tmp_path / "config.toml",
        "[bounded_live]\nenabled = false\ndescription = 'main'\n"
        "[bounded_live.limits]\nmax_order_notional = 99.0\nmax_position_pct = 0.9\n",
    )
    write(
        tmp_path / "bounded_live.toml",
        "[bounded_live]\nenabled = true\n[bounded_live.limits]\nmax_order_notional = 25.0\n",
    )
    loaded = load_config(str(tmp_path / "config.toml"), environ={})
    assert loaded.bounded_live_enabled is True
    merged_limits = loaded.redacted["bounded_live"]["limits"]
    assert merged_limits == {"max_order_notional": 25.0}  # the bounded file's table, whole
    assert loaded.redacted["bounded_live"]["description"] == "main"
    # the cap as the session runners see it: the config file's own value (they never merge)
    (cap,) = loaded.caps
    assert (cap.key, cap.value, cap.source) == (
        "bounded_live.limits.max_order_notional",
        99.0,
        "config.toml",
    )


def test_a_contradiction_among_enforced_caps_names_both_keys(tmp_path: Path) -> None:
    """The fallback minimum (enabled or not) above the per-order cap: no order could pass."""
    text = "[live_risk]\nmax_order_notional = 5.0\n" + BOUNDED_MIN_10.replace("true", "false")
    write(tmp_path / "config.toml", text)
    with pytest.raises(ConfigError) as info:
        load_config(str(tmp_path / "config.toml"), environ={})
    assert str(info.value).endswith(
        "bounded_live.limits.min_order_notional (10.0) exceeds live_risk.max_order_notional"
        " (5.0): no order could pass"
    )
    # from bounded_live.toml the minimum is never read at run time: no contradiction
    write(tmp_path / "config.toml", "[live_risk]\nmax_order_notional = 5.0\n")
    write(tmp_path / "bounded_live.toml", BOUNDED_MIN_10)
    loaded = load_config(str(tmp_path / "config.toml"), environ={})
    (minimum,) = [c for c in loaded.caps if c.kind.value == "min_order"]
    assert minimum.enforced is False


BOUNDED_MIN_10 = (
    "[bounded_live]\nenabled = true\n[bounded_live.limits]\nmin_order_notional = 10.0\n"
)


def test_disabled_bounded_caps_are_listed_but_do_not_bind(tmp_path: Path) -> None:
    write(tmp_path / "config.toml", "[live_risk]\nmax_order_notional = 5.0\n")
    write(tmp_path / "bounded_live.toml", BOUNDED_MIN_10.replace("true", "false"))
    assessment = assess(load_config(str(tmp_path / "config.toml"), environ={}))
    assert assessment.effective.min_order is None
    assert [c.key for c in assessment.loaded.caps] == [
        "live_risk.max_order_notional",
        "bounded_live.limits.min_order_notional",
    ]


def test_fleet_never_audits_a_bounded_file_alone(cli: Cli, install: Path) -> None:
    data = json.loads(cli("audit", "fleet", str(install), "--format", "json").out)
    assert [Path(r["path"]).name for r in data["rows"]] == ["config.toml"]


# --------------------------------------------------------------------------- strict types


def _wrong_value(type_: object) -> str:
    """A TOML value of the wrong type for a registry row."""
    text = repr(type_)
    return "5" if ("str" in text or "Literal" in text) and "float" not in text else '"x"'


ROWS = [(row.key, row.type) for row in (*SETTINGS, *CAPS)]


@pytest.mark.parametrize(("key", "type_"), ROWS, ids=[k for k, _ in ROWS])
def test_a_wrong_type_for_any_key_is_an_error_naming_it(key: str, type_: object) -> None:
    table, field = key.rsplit(".", 1)
    text = f"[{table}]\n{field} = {_wrong_value(type_)}\n"
    with pytest.raises(ConfigError) as info:
        decode_config(text.encode(), origin="c.toml")
    assert f"c.toml: {key}: " in str(info.value)


@pytest.mark.parametrize("table", ["environment", "live_risk", "bounded_live.limits"])
def test_an_unknown_key_in_a_strict_table_is_an_error(table: str) -> None:
    with pytest.raises(ConfigError) as info:
        decode_config(f"[{table}]\nmax_order_notionall = 1.0\n".encode(), origin="c.toml")
    message = str(info.value)
    assert f"{table}.max_order_notionall: unknown key (known keys: " in message
    assert ", ".join(keys_of_table(table)) in message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[environment]\nconfirm_token_sha256 = "' + "a" * 64 + '\\n"\n', "64 hex characters"),
        ('[live_risk]\nbase_currency = "EUR\\n"\n', "currency code"),
        ("[live_risk]\nmax_daily_loss_pct = 101.0\n", "live_risk.max_daily_loss_pct"),
        ("[live_risk]\nwarning_threshold_factor = 1.0\n", "live_risk.warning_threshold_factor"),
        ("[bounded_live.limits]\nmax_position_pct = 1.5\n", "max_position_pct"),
        ("[live_risk]\nmax_open_positions = 1.5\n", "live_risk.max_open_positions"),
        ('[live]\nbase_currency = "eur"\n', "live.base_currency"),
    ],
)
def test_whole_value_patterns_and_ranges(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        decode_config(text.encode(), origin="c.toml")
    assert message in str(info.value)


# --------------------------------------------------------------------------- the Python API


def test_the_seeds_four_argument_call_builds_a_complete_snapshot() -> None:
    from peak_trade.live.audit import build_live_audit_snapshot
    from peak_trade.live.risk_limits import LiveRiskLimits
    from peak_trade.live.safety import SafetyGuard

    env = EnvironmentConfig(environment="testnet", enable_live_trading=True)
    guard = SafetyGuard(env_config=env)
    limits = LiveRiskLimits(
        config=LiveRiskConfig(max_order_notional=25.0, max_total_exposure_notional=500.0)
    )
    snapshot = build_live_audit_snapshot(env, guard, limits, "pilot")
    assert snapshot.environment_id == "pilot"
    assert snapshot.gating.effective_mode == "testnet_dry_run"
    assert snapshot.risk.effective.per_order == 25.0
    assert snapshot.risk.limits_enabled is True
    assert snapshot.drills.drills_executable
    assert [r.id for r in snapshot.drills.results if not r.passed] == ["E"]  # total: one order
    assert snapshot.timestamp_utc.endswith("+00:00")
    # the same caps in mode live: Peak_Trade's live path checks none of them
    live = EnvironmentConfig(environment="live", enable_live_trading=True)
    in_live = build_live_audit_snapshot(live, SafetyGuard(env_config=live), limits, "pilot")
    assert in_live.risk.effective.per_order is None
    assert [r.id for r in in_live.drills.results if not r.passed] == ["E"]

    bare = build_live_audit_snapshot(env, guard)
    assert bare.risk.limits_source == "not_loaded"
    assert bare.risk.limits_enabled is False
    assert bare.risk.effective.per_order is None
    assert bare.config.source == "api"


def test_public_constructors_validate() -> None:
    assert EnvironmentConfig(environment="paper").environment is TradingEnvironment.PAPER
    assert EnvironmentConfig(environment="live").mode is TradingEnvironment.LIVE
    for bad in ("LIVE", "prod", 3):
        with pytest.raises(TypeError):
            EnvironmentConfig(environment=bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        EnvironmentConfig(enable_live_trading="false")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_live_notional_per_order"):
        EnvironmentConfig(max_live_notional_per_order=-1.0)
    with pytest.raises(ValueError, match="finite"):
        LiveRiskConfig(max_order_notional=float("inf"))
    with pytest.raises(TypeError):
        LiveRiskConfig(block_on_violation=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="64 hex"):
        EnvironmentConfig(confirm_token_sha256="a" * 64 + "\n")
    token_config = EnvironmentConfig(confirm_token="plain")
    assert repr(token_config.confirm_token) == "Secret('***')"
    assert "plain" not in repr(token_config)


def test_peak_trades_call_forms() -> None:
    from peak_trade.live.drills import get_default_live_drill_scenarios
    from peak_trade.live.safety import SafetyGuard, is_live_execution_allowed

    guard = SafetyGuard(env_config=EnvironmentConfig(environment="live"))
    assert guard.get_effective_mode() == "live_dry_run"
    allowed, reasons = is_live_execution_allowed(EnvironmentConfig())
    assert allowed is False and reasons
    names = [s.name for s in get_default_live_drill_scenarios()]
    assert names[0] == "A - Voll gebremst (Default-Safety)" and len(names) == 7
    with pytest.raises(TypeError):
        SafetyGuard(env_config={"environment": "live"})  # type: ignore[arg-type]


def test_testnet_without_dry_run_is_effective_mode_testnet() -> None:
    loaded = decode_config(
        b'[environment]\nmode = "testnet"\ntestnet_dry_run = false\n'
        b"[live_risk]\nmax_order_notional = 10.0\nmax_total_exposure_notional = 50.0\n",
        origin="c.toml",
    )
    assessment = assess(loaded)
    assert assessment.verdict.effective_mode == "testnet"
    # E alone fails: Peak_Trade's total cap is compared with the order alone
    assert [r.id for r in assessment.drills.results if not r.passed] == ["E"]


# --------------------------------------------------------------------------- drill E


@pytest.mark.parametrize(
    "risk",
    [
        "enabled = false\nmax_order_notional = 10.0\nmax_total_exposure_notional = 50.0\n",
        "block_on_violation = false\nmax_order_notional = 10.0\n"
        "max_total_exposure_notional = 50.0\n",
        "max_total_exposure_notional = 50.0\n",  # no per-order cap
        "max_order_notional = 10.0\n",  # no total cap
    ],
    ids=["limits disabled", "warn only", "no per-order cap", "no total cap"],
)
def test_drill_e_fails_when_there_is_nothing_to_prove(risk: str) -> None:
    loaded = decode_config(f"[live_risk]\n{risk}".encode(), origin="c.toml")
    results = {r.id: r.passed for r in assess(loaded).drills.results}
    assert results["E"] is False
    assert all(passed for drill, passed in results.items() if drill != "E")


def test_drill_e_probes_the_binding_caps_not_the_design_caps() -> None:
    text = (
        "[live_risk]\nmax_live_notional_per_order = 1000.0\nmax_live_notional_total = 5000.0\n"
        "max_order_notional = 25.0\nmax_total_exposure_notional = 500.0\n"
    )
    (drill_e,) = [
        r for r in assess(decode_config(text.encode(), origin="c")).drills.results if r.id == "E"
    ]
    # the order just above the binding 25 is refused: the design cap of 1000 binds nothing
    assert drill_e.observed[0].codes == ("per_order_notional_exceeded",)
    assert drill_e.observed[0].decided_by.value == "risk_limits"


def test_example_config_keeps_its_documented_state() -> None:
    loaded = load_config(str(EXAMPLE_CONFIG), environ={})
    # mode live: its caps are configured, and Peak_Trade's live path checks none of them
    assert [c.value for c in loaded.caps if c.key == "live_risk.max_order_notional"] == [500.0]
    assert msgspec.structs.asdict(assess(loaded).effective)["per_order"] is None
    assert {c.enforced for c in loaded.caps} == {False}
    assert loaded.kill_switch is not None and loaded.kill_switch.protects


def test_diff_and_history_see_a_change_in_the_bounded_file_alone(
    cli: Cli, install: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(install.parent)
    config = str(install / "config.toml")
    assert cli("audit", "archive", "--config", config).code == 0
    bounded = install / "bounded_live.toml"
    bounded.write_text(
        bounded.read_text().replace(
            'description = "pilot with tight caps"', 'description = "pilot, second week"'
        )
    )
    assert cli("audit", "archive", "--config", config).code == 0
    diff = cli("audit", "diff", "latest~1", "latest")
    assert diff.code == 0  # a description: no safety meaning, but visible
    assert "- files: " in diff.out and "bounded_live.toml" in diff.out
    bounded.write_text(
        bounded.read_text().replace("max_order_notional = 25.0", "max_order_notional = 40.0")
    )
    assert cli("audit", "archive", "--config", config).code == 0
    raised = cli("audit", "diff", "latest~1", "latest")
    assert raised.code == 1
    assert "limits.bounded_live.limits.max_order_notional: 25.0" in raised.out
    assert (
        "!limits.bounded_live.limits.max_order_notional 25.0->40.0" in cli("audit", "history").out
    )


def test_a_bare_exchange_table_without_facts_of_its_own_is_no_venue_row() -> None:
    text = (
        '[exchange]\ndefault_type = "dummy"\n'
        '[exchange.kraken]\nenabled = true\nbase_url = "https://api.kraken.com/0"\n'
    )
    loaded = decode_config(text.encode(), origin="c.toml")
    # the dummy client default_type selects is a row of its own (orders reach nothing real)
    assert [(v.name, v.orders_reach) for v in loaded.venues] == [
        ("exchange.kraken", "none"),
        ("exchange.dummy", "simulated"),
    ]
    with_facts = decode_config(b'[exchange]\nname = "kraken"\nsandbox = true\n', origin="c.toml")
    assert [v.name for v in with_facts.venues] == ["exchange"]  # no client selected: none
