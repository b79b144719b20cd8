"""The Hummingbot dialect (DESIGN §9), rule by rule: which config runs, where each connector's
orders reach, the keys, the caps and their enforcement, the kill switch, remote control,
secrets, and the YAML each file is read with. Instances are built in tmp_path."""

from __future__ import annotations

import binascii
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from peak_trade.core.kinds import CapKind, Unit
from peak_trade.core.venues import OrdersReach
from tests.conftest import CliResult
from tests.secret_strategies import assert_no_leak, secrets_text

Cli = Callable[..., CliResult]


def encrypted(seed: str = "ab") -> str:
    """A value in the form Hummingbot stores a secret in (hex of an eth-keyfile JSON)."""
    blob = json.dumps({"crypto": {"cipher": "aes-128-ctr", "ciphertext": seed * 16}, "version": 3})
    return binascii.hexlify(blob.encode()).decode()


def build(
    root: Path,
    *,
    client: str | None = "instance_id: test\n",
    strategies: Mapping[str, str] | None = None,
    scripts: Mapping[str, str] | None = None,
    controllers: Mapping[str, str] | None = None,
    connectors: Mapping[str, str] | None = None,
    loaded: Mapping[str, str] | None = None,
) -> Path:
    """An instance directory: conf/ with the files given, data/bot/loaded.json if given."""
    conf = root / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    if client is not None:
        (conf / "conf_client.yml").write_text(client)
    for folder, files in (
        ("strategies", strategies),
        ("scripts", scripts),
        ("controllers", controllers),
        ("connectors", connectors),
    ):
        (conf / folder).mkdir(exist_ok=True)
        for name, text in (files or {}).items():
            (conf / folder / name).write_text(text)
    if loaded is not None:
        (root / "data" / "bot").mkdir(parents=True)
        (root / "data" / "bot" / "loaded.json").write_text(json.dumps(dict(loaded)))
    return root


def keys(connector: str, prefix: str | None = None) -> dict[str, str]:
    prefix = prefix or connector
    return {
        f"{connector}.yml": (
            f"connector: {connector}\n{prefix}_api_key: {encrypted('1a')}\n"
            f"{prefix}_api_secret: {encrypted('2b')}\n"
        )
    }


def pmm(exchange: str, extra: str = "") -> str:
    return (
        f"strategy: pure_market_making\nexchange: {exchange}\nmarket: BTC-USDT\n"
        f"order_amount: 0.01\n{extra}"
    )


def export(cli: Cli, path: Path | str, *argv: str) -> dict[str, Any]:
    result = cli("audit", "export", "--stdout", "--format", "json", "--config", str(path), *argv)
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def cap(snapshot: Mapping[str, Any], key: str) -> dict[str, Any]:
    found = [c for c in snapshot["risk"]["limits"] if c["key"] == key]
    assert found, f"no cap {key}: {[c['key'] for c in snapshot['risk']['limits']]}"
    return dict(found[0])


def venue(snapshot: Mapping[str, Any], name: str) -> dict[str, Any]:
    return dict(next(v for v in snapshot["venues"] if v["name"] == name))


def codes(result: CliResult) -> list[str]:
    data = json.loads(result.out)
    return [v["code"] for v in data["violations"]]


def check(cli: Cli, path: Path | str, *argv: str) -> CliResult:
    return cli("audit", "check", "--format", "json", "--config", str(path), *argv)


@pytest.fixture(autouse=True)
def _no_ambient_hummingbot(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HBOT_PASSWORD", "CONFIG_PASSWORD", "SCRIPT_CONFIG", "CONFIG_FILE_NAME"):
        monkeypatch.delenv(name, raising=False)


# --------------------------------------------------------------------------- what is named


def test_the_instance_its_conf_and_its_files_name_the_same_instance(
    cli: Cli, tmp_path: Path
) -> None:
    root = build(
        tmp_path / "bot",
        strategies={"conf_live.yml": pmm("binance")},
        connectors=keys("binance"),
    )
    views = [export(cli, path) for path in (root, root / "conf", root / "conf" / "conf_client.yml")]
    assert all(v["config"]["dialect"] == "hummingbot" for v in views)
    assert {v["safety"]["real_orders_possible"] for v in views} == {True}
    assert {v["environment_id"] for v in views} == {"bot"}


def test_a_strategy_file_named_is_the_config_that_runs(cli: Cli, tmp_path: Path) -> None:
    """--config with one strategy file audits that file, whatever loaded.json points at."""
    root = build(
        tmp_path,
        strategies={"live.yml": pmm("binance"), "paper.yml": pmm("binance_paper_trade")},
        connectors=keys("binance"),
        loaded={"file": "live.yml", "type": "v1-strategy"},
    )
    pointed = export(cli, root)
    named = export(cli, root / "conf" / "strategies" / "paper.yml")
    assert pointed["gating"]["effective_mode"] == "live"
    assert named["gating"]["effective_mode"] == "paper"
    assert [v["name"] for v in named["venues"]] == ["binance_paper_trade"]


def test_a_directory_no_dialect_takes_is_still_a_directory(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = cli("status", "--config", str(tmp_path / "empty"))
    assert result.code == 2
    assert result.err.endswith("empty: is a directory, not a config file\n")
    root = build(tmp_path / "bot", strategies={"a.yml": pmm("binance_paper_trade")})
    for other in ("peak_trade", "freqtrade"):
        forced = cli("status", "--config", str(root), "--dialect", other)
        assert forced.code == 2 and "is a directory, not a config file" in forced.err
    hb = cli("status", "--config", str(root), "--dialect", "hummingbot")
    assert hb.code == 0, hb.err


def test_without_a_config_that_can_run_the_input_is_bad(cli: Cli, tmp_path: Path) -> None:
    root = build(tmp_path, connectors=keys("binance"))
    result = cli("status", "--config", str(root))
    assert result.code == 2 and "no strategy, script or controller config" in result.err
    dangling = build(
        tmp_path / "b",
        strategies={"a.yml": pmm("binance_paper_trade")},
        loaded={"file": "gone.yml", "type": "v1-strategy"},
    )
    result = cli("status", "--config", str(dangling))
    assert result.code == 2 and "gone.yml, which does not exist" in result.err


def test_which_config_runs_when_the_files_do_not_say(cli: Cli, tmp_path: Path) -> None:
    """Several configs and no pointer: fail closed. The instance is as open as its most open
    candidate, and no candidate's cap is known to bind."""
    root = build(
        tmp_path,
        strategies={"a.yml": pmm("binance_paper_trade"), "b.yml": pmm("binance")},
        connectors=keys("binance"),
    )
    data = export(cli, root)
    assert data["safety"]["real_orders_possible"] is True
    amount = cap(data, "strategies.b.order_amount")
    assert amount["enforced"] is None and "the files do not say which" in amount["enforcement"]
    assert {v["enabled"] for v in data["venues"]} == {None}
    only = build(tmp_path / "one", strategies={"a.yml": pmm("binance_paper_trade")})
    assert cap(export(cli, only), "strategies.a.order_amount")["enforced"] is True


def test_a_controller_loaded_by_hbot_runs_alone(cli: Cli, tmp_path: Path) -> None:
    """`hbot start` runs a loaded controller through a generated v2 loader: its connector and
    caps are the instance's."""
    controller = (
        "id: c\ncontroller_name: pmm_simple\ncontroller_type: market_making\n"
        "connector_name: kucoin\ntrading_pair: SOL-USDT\ntotal_amount_quote: 80\n"
    )
    root = build(
        tmp_path,
        strategies={"s.yml": pmm("binance_paper_trade")},
        controllers={"c.yml": controller},
        connectors=keys("kucoin"),
        loaded={"file": "c.yml", "type": "controller"},
    )
    data = export(cli, root)
    assert [v["name"] for v in data["venues"]] == ["kucoin"]
    assert cap(data, "controllers.c.total_amount_quote")["value"] == 80.0
    assert data["risk"]["base_currency"] == "USDT"


def test_the_deployment_variables_choose_the_config(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build(
        tmp_path,
        strategies={"a.yml": pmm("binance_paper_trade"), "b.yml": pmm("binance")},
        connectors=keys("binance"),
    )
    monkeypatch.setenv("CONFIG_FILE_NAME", "a.yml")
    data = export(cli, root)
    assert data["gating"]["effective_mode"] == "paper"
    assert data["config"]["env_overrides"] == ["CONFIG_FILE_NAME"]


# --------------------------------------------------------------------------- where orders reach


@pytest.mark.parametrize(
    ("connector", "with_keys", "reach", "mode", "blockers"),
    [
        ("binance_paper_trade", False, "simulated", "paper", ["dry_run_active"]),
        ("binance", True, "real", "live", []),
        ("binance", False, "real", "blocked", ["credentials_missing"]),
        ("binance_perpetual_testnet", True, "test", "testnet", []),
        ("binance_perpetual_testnet", False, "test", "blocked", ["credentials_missing"]),
        ("madeup_testnet", True, "unknown", "live", []),
        ("uniswap/amm", False, "unknown", "live", []),
    ],
)
def test_each_connector_reaches_where_its_code_sends_orders(
    cli: Cli,
    tmp_path: Path,
    connector: str,
    with_keys: bool,
    reach: str,
    mode: str,
    blockers: list[str],
) -> None:
    root = build(
        tmp_path,
        strategies={"s.yml": pmm(connector)},
        connectors=keys(connector.replace("/", "_")) | {} if with_keys else {},
    )
    data = export(cli, root)
    found = venue(data, connector)
    assert found["orders_reach"] == reach
    assert data["gating"]["effective_mode"] == mode
    assert [b["code"] for b in data["safety"]["blockers"]] == blockers
    assert data["safety"]["real_orders_possible"] is (reach in ("real", "unknown") and not blockers)
    assert data["gating"]["config_armed"] is (reach != "simulated")
    if reach != "simulated":
        assert "hbot start --paper" in found["orders_reach_reason"]  # what files cannot show


def test_keys_are_found_by_the_connector_value_not_the_file_name(cli: Cli, tmp_path: Path) -> None:
    """`Security.api_keys` looks a connector up by its file's `connector` value."""
    text = keys("binance")["binance.yml"]
    root = build(tmp_path, strategies={"s.yml": pmm("binance")}, connectors={"my-keys.yml": text})
    assert export(cli, root)["safety"]["is_live_execution_allowed"] is True
    empty = build(
        tmp_path / "empty",
        strategies={"s.yml": pmm("binance")},
        connectors={"binance.yml": "connector: binance\nbinance_api_key: ''\n"},
    )
    assert [b["code"] for b in export(cli, empty)["safety"]["blockers"]] == ["credentials_missing"]
    broken = build(
        tmp_path / "broken",
        strategies={"s.yml": pmm("binance")},
        connectors={"binance.yml": "binance_api_key: x\n"},
    )
    result = cli("status", "--config", str(broken))
    assert result.code == 2 and "connector: missing" in result.err


def test_a_plain_text_key_on_disk_is_an_inline_credential(cli: Cli, tmp_path: Path) -> None:
    root = build(
        tmp_path,
        strategies={"s.yml": pmm("binance_paper_trade")},
        connectors={"kucoin.yml": "connector: kucoin\nkucoin_api_key: plain-text-key-1234\n"},
        loaded={"file": "s.yml", "type": "v1-strategy"},
    )
    # the key belongs to a connector the config does not use: not a venue credential
    assert codes(check(cli, root)) == []
    live = build(
        tmp_path / "live",
        strategies={"s.yml": pmm("kucoin")},
        connectors={"kucoin.yml": "connector: kucoin\nkucoin_api_key: plain-text-key-1234\n"},
    )
    assert "inline_credential" in codes(check(cli, live))


def test_a_paper_connector_hummingbot_does_not_offer_says_so(cli: Cli, tmp_path: Path) -> None:
    root = build(
        tmp_path,
        client="paper_trade:\n  paper_trade_exchanges: [kucoin]\n",
        strategies={"s.yml": pmm("binance_paper_trade")},
    )
    found = venue(export(cli, root), "binance_paper_trade")
    assert found["orders_reach"] == "simulated"
    assert "not in paper_trade.paper_trade_exchanges" in found["orders_reach_reason"]


def test_v2_connectors_are_named_in_the_controllers(cli: Cli, tmp_path: Path) -> None:
    root = build(
        tmp_path,
        scripts={"v2.yml": "script_file_name: v2_with_controllers.py\ncontrollers_config: c.yml\n"},
        controllers={
            "c.yml": (
                "id: c\ncontroller_name: pmm_simple\ncontroller_type: market_making\n"
                "connector_name: Binance_Perpetual\ntrading_pair: ETH-USDT\n"
            )
        },
        connectors=keys("binance_perpetual"),
    )
    data = export(cli, root)
    assert [v["name"] for v in data["venues"]] == ["binance_perpetual"]
    assert data["risk"]["base_currency"] == "USDT"
    missing = build(
        tmp_path / "m",
        scripts={
            "v2.yml": "script_file_name: v2_with_controllers.py\ncontrollers_config: [x.yml]\n"
        },
    )
    result = cli("status", "--config", str(missing))
    assert result.code == 2 and "x.yml, which does not exist" in result.err


def test_a_script_whose_code_names_its_connectors_counts_as_real(cli: Cli, tmp_path: Path) -> None:
    root = build(tmp_path, scripts={"s.yml": "script_file_name: my_script.py\n"})
    data = export(cli, root)
    assert [v["orders_reach"] for v in data["venues"]] == ["unknown"]
    assert data["safety"]["real_orders_possible"] is True


# --------------------------------------------------------------------------- caps


def test_market_making_caps_have_units_defaults_and_enforcement(cli: Cli, tmp_path: Path) -> None:
    root = build(tmp_path, strategies={"s.yml": pmm("binance", "price_ceiling: 65000\n")})
    data = export(cli, root)
    amount = cap(data, "strategies.s.order_amount")
    assert (amount["kind"], amount["unit"], amount["value"]) == ("order_size", "quantity", 0.01)
    assert amount["enforced"] is True and "c_create_base_proposal" in amount["enforcement"]
    ceiling = cap(data, "strategies.s.price_ceiling")
    assert (ceiling["unit"], ceiling["value"], ceiling["unlimited"]) == ("money", 65000.0, False)
    floor = cap(data, "strategies.s.price_floor")  # absent: Hummingbot's -1, off
    assert floor["unlimited"] is True and floor["value"] is None
    assert floor["source"].startswith("default (pure_market_making")
    levels = cap(data, "strategies.s.order_levels")
    assert (levels["unit"], levels["value"]) == ("count", 1)


@pytest.mark.parametrize("value", [0, -1, "-1"])
def test_a_price_band_at_or_below_zero_is_off(cli: Cli, tmp_path: Path, value: object) -> None:
    root = build(tmp_path, strategies={"s.yml": pmm("binance", f"price_ceiling: {value}\n")})
    assert cap(export(cli, root), "strategies.s.price_ceiling")["unlimited"] is True


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ("order_override:\n  a: [buy, 0.5, 2]\n", "order_override"),
        ("split_order_levels_enabled: true\n", "split_order_levels_enabled"),
        ("inventory_skew_enabled: true\n", "2 x this size"),
    ],
)
def test_what_replaces_the_order_size_makes_it_not_binding(
    cli: Cli, tmp_path: Path, extra: str, why: str
) -> None:
    root = build(tmp_path, strategies={"s.yml": pmm("binance", extra)})
    amount = cap(export(cli, root), "strategies.s.order_amount")
    assert amount["enforced"] is False and why in amount["enforcement"]


def test_a_strategy_not_read_has_caps_of_unknown_enforcement(cli: Cli, tmp_path: Path) -> None:
    text = (
        "strategy: avellaneda_market_making\nexchange: binance\nmarket: BTC-USDT\norder_amount: 2\n"
    )
    root = build(tmp_path, strategies={"s.yml": text})
    amount = cap(export(cli, root), "strategies.s.order_amount")
    assert amount["enforced"] is None and "avellaneda" in amount["enforcement"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("price_ceiling: 100\nprice_floor: 200\n", "price_ceiling is below price_floor"),
        ("order_levels: 2.5\n", "order_levels: expected a whole number"),
        ("price_floor: true\n", "price_floor: expected a number"),
    ],
)
def test_caps_hummingbot_would_refuse_are_bad_input(
    cli: Cli, tmp_path: Path, extra: str, message: str
) -> None:
    root = build(tmp_path, strategies={"s.yml": pmm("binance", extra)})
    result = cli("status", "--config", str(root))
    assert result.code == 2 and message in result.err


def test_order_amount_value_is_never_echoed(cli: Cli, tmp_path: Path) -> None:
    root = build(
        tmp_path,
        strategies={
            "s.yml": (
                "strategy: pure_market_making\nexchange: binance\norder_amount: hunter2hunter2\n"
            )
        },
    )
    result = cli("status", "--config", str(root))
    assert result.code == 2 and "hunter2" not in result.err and "order_amount" in result.err


def test_client_caps_bind_only_live_connectors(cli: Cli, tmp_path: Path) -> None:
    client = (
        "rate_limits_share_pct: 40\nbalance_asset_limit:\n  binance: {USDT: 250}\n"
        "  kucoin: {USDT: 10}\n"
    )
    live = export(
        cli,
        build(tmp_path / "l", client=client, strategies={"s.yml": pmm("binance")}),
    )
    assert cap(live, "client.balance_asset_limit.binance.USDT")["enforced"] is True
    assert cap(live, "client.balance_asset_limit.binance.USDT")["unit"] == "quantity"
    assert cap(live, "client.balance_asset_limit.kucoin.USDT")["enforced"] is False
    assert cap(live, "client.rate_limits_share_pct")["value"] == 40.0
    paper = export(
        cli,
        build(tmp_path / "p", client=client, strategies={"s.yml": pmm("binance_paper_trade")}),
    )
    assert cap(paper, "client.rate_limits_share_pct")["enforced"] is False
    too_much = build(
        tmp_path / "x", client="rate_limits_share_pct: 150\n", strategies={"s.yml": pmm("binance")}
    )
    assert cli("status", "--config", str(too_much)).code == 2


def test_controller_and_script_caps(cli: Cli, tmp_path: Path) -> None:
    root = build(
        tmp_path,
        scripts={
            "v2.yml": (
                "script_file_name: v2_with_controllers.py\n"
                "controllers_config: [d.yml, m.yml, g.yml]\n"
                "max_global_drawdown_quote: 50\nmax_controller_drawdown_quote: null\n"
            )
        },
        controllers={
            "d.yml": (
                "id: d\ncontroller_name: bollinger_v1\ncontroller_type: directional_trading\n"
                "connector_name: binance_perpetual\ntrading_pair: ETH-USDT\n"
                "total_amount_quote: 500\nmax_executors_per_side: 4\n"
            ),
            "m.yml": (
                "id: m\ncontroller_name: pmm_simple\ncontroller_type: market_making\n"
                "connector_name: binance_perpetual\ntrading_pair: ETH-USDT\n"
            ),
            "g.yml": (
                "id: g\ncontroller_name: my_grid\ncontroller_type: generic\n"
                "connector_name: binance_perpetual\ntrading_pair: ETH-USDT\ntotal_amount_quote: 9\n"
            ),
        },
    )
    data = export(cli, root)
    budget = cap(data, "controllers.d.total_amount_quote")
    assert (budget["kind"], budget["unit"], budget["value"], budget["enforced"]) == (
        "budget",
        "money",
        500.0,
        True,
    )
    assert cap(data, "controllers.d.max_executors_per_side")["value"] == 4
    cooldown = cap(data, "controllers.d.cooldown_time")
    assert (cooldown["unit"], cooldown["value"]) == ("seconds", 300)  # the directional default
    assert cap(data, "controllers.m.cooldown_time")["value"] == 15  # the market-making default
    assert cap(data, "controllers.m.total_amount_quote")["value"] == 100.0
    assert cap(data, "controllers.g.total_amount_quote")["enforced"] is None
    assert cap(data, "scripts.v2.max_global_drawdown_quote")["value"] == 50.0
    assert cap(data, "scripts.v2.max_controller_drawdown_quote")["unlimited"] is True


def test_new_kinds_have_the_units_hummingbot_counts_in() -> None:
    from peak_trade.core.kinds import KIND

    assert KIND[CapKind.ORDER_SIZE].unit is Unit.QUANTITY
    assert KIND[CapKind.BUDGET].unit is Unit.MONEY
    assert KIND[CapKind.COOLDOWN].unit is Unit.SECONDS
    assert KIND[CapKind.RATE_SHARE].unit is Unit.PERCENT


# --------------------------------------------------------------------------- kill switch


@pytest.mark.parametrize(
    ("mode", "enabled", "threshold", "finding"),
    [
        ("{}", False, None, True),
        ("kill_switch_disabled", False, None, True),
        ("kill_switch_enabled", True, 10.0, True),  # the default rate: a profit target only
        ("{kill_switch_rate: 0}", True, 0.0, True),  # never triggers
        ("{kill_switch_rate: -5}", True, -5.0, False),
        ("{kill_switch_rate: '-2.5'}", True, -2.5, False),
    ],
)
def test_the_kill_switch_must_stop_a_loss(
    cli: Cli,
    tmp_path: Path,
    mode: str,
    enabled: bool,
    threshold: float | None,
    finding: bool,
) -> None:
    root = build(
        tmp_path,
        client=f"kill_switch_mode: {mode}\n",
        strategies={"s.yml": pmm("binance")},
        connectors=keys("binance"),
    )
    data = export(cli, root)
    ks = data["kill_switch"]
    assert ks["enabled"] is enabled
    assert [t["threshold"] for t in ks["triggers"]] == ([threshold] if enabled else [])
    assert "not a drawdown" in ks["note"] and "rate of 0 never triggers" in ks["note"]
    assert ("kill_switch_missing" in codes(check(cli, root))) is finding


def test_a_kill_switch_hummingbot_cannot_read_is_bad_input(cli: Cli, tmp_path: Path) -> None:
    root = build(
        tmp_path,
        client="kill_switch_mode: {kill_switch_rate: -5, extra: 1}\n",
        strategies={"s.yml": pmm("binance")},
    )
    result = cli("status", "--config", str(root))
    assert result.code == 2 and "kill_switch_mode" in result.err


def test_a_paper_instance_needs_no_kill_switch(cli: Cli, tmp_path: Path) -> None:
    root = build(tmp_path, strategies={"s.yml": pmm("binance_paper_trade")})
    assert codes(check(cli, root)) == []


# --------------------------------------------------------------------------- remote control


@pytest.mark.parametrize(
    ("bridge", "finding"),
    [
        ("{mqtt_autostart: true}", True),  # commands default to on
        ("{mqtt_autostart: true, mqtt_username: u}", True),
        ("{mqtt_autostart: true, mqtt_username: u, mqtt_password: p}", False),
        ("{mqtt_autostart: true, mqtt_commands: false}", False),
        ("{mqtt_autostart: false}", False),
    ],
)
def test_remote_control_without_credentials_is_a_finding(
    cli: Cli, tmp_path: Path, bridge: str, finding: bool
) -> None:
    root = build(
        tmp_path,
        client=f"mqtt_bridge: {bridge}\n",
        strategies={"s.yml": pmm("binance_paper_trade")},
    )
    data = export(cli, root)
    assert data["gating"]["api_server_unprotected"] is finding
    assert ("remote_control_unprotected" in codes(check(cli, root))) is finding
    bridge = venue(data, "mqtt_bridge")  # reported as a venue that places no order
    assert bridge["orders_reach"] == "none" and bridge["credentials"] == []
    assert bridge["endpoints"] == ["mqtt://localhost:1883"]
    assert data["gating"]["config_armed"] is False  # remote control arms no connector


def test_the_bridge_shows_where_it_connects_never_its_login(cli: Cli, tmp_path: Path) -> None:
    root = build(
        tmp_path,
        client=(
            "mqtt_bridge:\n  mqtt_host: Broker.Example\n  mqtt_port: 8883\n  mqtt_ssl: true\n"
            "  mqtt_username: operator-7\n  mqtt_password: pw-that-must-not-leak\n"
        ),
        strategies={"s.yml": pmm("binance_paper_trade")},
    )
    data = export(cli, root)
    bridge = venue(data, "mqtt_bridge")
    assert bridge["endpoints"] == ["mqtts://broker.example:8883"]
    assert "with a broker username and password" in bridge["orders_reach_reason"]
    text = json.dumps(data)
    assert "operator-7" not in text and "pw-that-must-not-leak" not in text


# --------------------------------------------------------------------------- secrets


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(key=secrets_text, mqtt=secrets_text, db=secrets_text)
def test_no_secret_leaves_the_audit(
    cli: Cli, tmp_path_factory: pytest.TempPathFactory, key: str, mqtt: str, db: str
) -> None:
    root = build(
        tmp_path_factory.mktemp("bot"),
        client=(
            f"mqtt_bridge:\n  mqtt_autostart: true\n  mqtt_username: {mqtt}\n"
            f"  mqtt_password: {mqtt}\n"
            f"db_mode:\n  db_engine: postgres\n  db_password: '{db}'\n"
        ),
        strategies={"s.yml": pmm("binance")},
        connectors={
            "binance.yml": (
                f"connector: binance\nbinance_api_key: {key}\n"
                f"binance_api_secret: {encrypted(key[:4])}\n"
            )
        },
    )
    for argv in (
        ("audit", "export", "--stdout", "--format", "json"),
        ("audit", "export", "--stdout"),
        ("status",),
        ("audit", "check", "--format", "json"),
    ):
        result = cli(*argv, "--config", str(root))
        assert result.code in (0, 1), result.err
        assert_no_leak(result.out + result.err, (key, mqtt, db), " ".join(argv))


def test_password_variables_are_reported_by_presence(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peak_trade.dialects import load
    from peak_trade.dialects.hummingbot.config import facts_of

    root = build(tmp_path, strategies={"s.yml": pmm("binance_paper_trade")})
    loaded = load(
        [str(root)], environ={"HBOT_PASSWORD": "s3cret-keystore-pw", "CONFIG_PASSWORD": ""}
    )
    assert facts_of(loaded).password_variables_set == ("HBOT_PASSWORD",)
    assert loaded.env_overrides == ("HBOT_PASSWORD",)  # the snapshot's config.env_overrides
    assert "s3cret" not in json.dumps(loaded.redacted)


def test_connector_values_are_redacted_but_the_connector_shown(cli: Cli, tmp_path: Path) -> None:
    root = build(tmp_path, strategies={"s.yml": pmm("binance")}, connectors=keys("binance"))
    data = export(cli, root)
    redacted = set(data["config"]["redacted_keys"])
    assert {
        "connectors.binance.binance_api_key",
        "connectors.binance.binance_api_secret",
    } <= redacted
    assert "connectors.binance.connector" not in redacted


# --------------------------------------------------------------------------- YAML as Hummingbot


def test_each_file_is_read_with_the_parser_hummingbot_reads_it_with(
    cli: Cli, tmp_path: Path
) -> None:
    """conf_client.yml goes through PyYAML's safe_load (YAML 1.1: `yes` is true); a legacy V1
    strategy's values through ruamel.yaml's round-trip loader (YAML 1.2: `010` is ten, where
    PyYAML reads eight)."""
    root = build(
        tmp_path,
        client="mqtt_bridge: {mqtt_autostart: yes}\n",
        strategies={"s.yml": pmm("binance_paper_trade", "order_levels: 010\n")},
    )
    data = export(cli, root)
    assert data["gating"]["api_server_unprotected"] is True  # `yes` read as true
    assert cap(data, "strategies.s.order_levels")["value"] == 10  # not 8
    pydantic = "strategy: avellaneda_market_making\nexchange: binance\norder_levels: 010\n"
    other = build(tmp_path / "o", strategies={"s.yml": pydantic})
    # a strategy with a pydantic config map is read with safe_load only; order_levels is
    # not one of its caps the audit reports, but its connector is found
    assert [v["name"] for v in export(cli, other)["venues"]] == ["binance"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a: &a [1,1,1,1,1,1,1,1,1]\n"
            + "".join(
                f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
                for p, c in zip("abcdefg", "bcdefgh", strict=True)
            ),
            "expands beyond",
        ),
        ("a: " + "[" * 40 + "]" * 40 + "\n", "nested deeper"),
        ("a: [unclosed\n", "not YAML that Hummingbot can read"),
        ("- a list\n", "a YAML mapping"),
    ],
)
def test_hostile_yaml_is_refused(cli: Cli, tmp_path: Path, text: str, message: str) -> None:
    root = build(tmp_path, client=text, strategies={"s.yml": pmm("binance_paper_trade")})
    result = cli("status", "--config", str(root))
    assert result.code == 2 and message in result.err, result.err


def test_a_yaml_error_never_quotes_the_file(cli: Cli, tmp_path: Path) -> None:
    root = build(
        tmp_path,
        client="token: !hunter2-secret-tag x\n",
        strategies={"s.yml": pmm("binance_paper_trade")},
    )
    result = cli("status", "--config", str(root))
    assert result.code == 2 and "syntax error at line 1" in result.err
    assert "hunter2" not in result.err


def test_not_utf8_is_refused(cli: Cli, tmp_path: Path) -> None:
    root = build(tmp_path, strategies={"s.yml": pmm("binance_paper_trade")})
    (root / "conf" / "conf_client.yml").write_bytes(b"instance_id: \xff\xfe\n")
    result = cli("status", "--config", str(root))
    assert result.code == 2 and "not UTF-8" in result.err


def test_decoding_is_pure_and_states_reach_per_connector() -> None:
    """decode() from data alone, no file read: a test of the rules without the edge."""
    from peak_trade.dialects.hummingbot.config import Instance, Parsed, Plan, decode

    config = Parsed(
        path="conf/strategies/s.yml",
        folder="strategies",
        stem="s",
        data={"strategy": "pure_market_making", "exchange": "kucoin", "order_amount": 3},
    )
    instance = Instance(
        root=".",
        named=".",
        client=None,
        connectors=(),
        plans=(Plan(config=config, selected_by="option", controllers=()),),
        loaded_pointer=None,
    )
    loaded = decode(instance)
    assert [(v.name, v.orders_reach) for v in loaded.venues] == [("kucoin", OrdersReach.REAL)]
    assert loaded.kill_switch is not None and loaded.kill_switch.configured is False
