"""Differential test against Hummingbot's own config loading (DESIGN §9): for generated files, our
decoded view equals what Hummingbot's loaders produce from the same files.

- conf_client.yml: `ClientConfigMap(**read_yml_file(path))`, as `load_client_config_map_from_file`
  builds it (without its rewrite of the file): the kill switch, the MQTT bridge, the rate-limit
  share, the balance limits;
- a legacy V1 strategy (pure_market_making): `load_yml_into_cm_legacy` into the strategy's own
  config map (ruamel.yaml, then `parse_cvar_value`): the exchange and the caps;
- V2 controller configs: the market-making and directional base config classes (pydantic, from
  `yaml.safe_load`): the connector and the caps with their defaults;
- a connector file: its config class and `api_keys_from_connector_config_map` (whether it holds
  keys), without decryption;
- the connectors the installed Hummingbot declares: none of its test domains counts as real.

Runs only where Hummingbot is installed (never a dependency of ours): `.ci/run` installs its wheel
without dependencies, plus what its config classes import, into a Python 3.12 venv of its own.
"""

from __future__ import annotations

import logging
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

client_config_map = pytest.importorskip("hummingbot.client.config.client_config_map")

import yaml  # noqa: E402
from hummingbot.client.config import config_helpers  # noqa: E402
from hummingbot.client.settings import AllConnectorSettings  # noqa: E402
from hummingbot.strategy_v2.controllers.directional_trading_controller_base import (  # noqa: E402
    DirectionalTradingControllerConfigBase,
)
from hummingbot.strategy_v2.controllers.market_making_controller_base import (  # noqa: E402
    MarketMakingControllerConfigBase,
)

from peak_trade.core.venues import OrdersReach  # noqa: E402
from peak_trade.dialects.hummingbot import config as ours  # noqa: E402
from peak_trade.dialects.hummingbot import runtime  # noqa: E402
from peak_trade.dialects.hummingbot.rows import TEST_SUFFIXES  # noqa: E402
from peak_trade.errors import ConfigError  # noqa: E402

logging.disable(logging.CRITICAL)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
rates = st.one_of(
    st.integers(-20, 20),
    st.floats(-20, 20, allow_nan=False).map(lambda f: round(f, 3)),
    st.sampled_from(["-2.5", "3", "0"]),
)
kill_switches = st.one_of(
    st.just({}),
    st.sampled_from(["kill_switch_disabled", "kill_switch_enabled"]),
    rates.map(lambda r: {"kill_switch_rate": r}),
)
yaml_bools = st.sampled_from(["true", "false", "yes", "no", "on", "off"])


def _write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@st.composite
def clients(draw: st.DrawFn) -> str:
    """conf_client.yml text; booleans written as YAML 1.1 spells them too (`yes`, `off`)."""
    data: dict[str, Any] = {"kill_switch_mode": draw(kill_switches)}
    if draw(st.booleans()):
        data["rate_limits_share_pct"] = draw(st.one_of(st.integers(1, 100), st.floats(0.5, 100)))
    if draw(st.booleans()):
        data["balance_asset_limit"] = {"binance": {"USDT": draw(st.integers(0, 10_000))}}
    text = yaml.safe_dump(data, sort_keys=False)
    bridge = {
        "mqtt_autostart": draw(yaml_bools),
        "mqtt_commands": draw(yaml_bools),
        "mqtt_username": draw(st.sampled_from(["''", "u"])),
        "mqtt_password": draw(st.sampled_from(["''", "p"])),
    }
    return text + "mqtt_bridge:\n" + "".join(f"  {k}: {v}\n" for k, v in bridge.items())


@SETTINGS
@given(text=clients())
def test_client_config_as_hummingbot_reads_it(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = _write(tmp_path_factory.mktemp("c"), "conf/conf_client.yml", text)
    theirs = client_config_map.ClientConfigMap(**config_helpers.read_yml_file(path))
    data = ours.yamlio.safe_load(str(path), path.read_bytes())
    ks = ours.kill_switch_of(data, str(path), configured=True)
    enabled = theirs.kill_switch_mode.model_config.get("title") == ours.KILL_SWITCH_ENABLED
    assert ks.enabled is enabled
    if enabled:
        assert ks.triggers[0].threshold == float(theirs.kill_switch_mode.kill_switch_rate)
    remote = ours.remote_control(data, str(path))
    bridge = theirs.mqtt_bridge
    assert (remote.autostart, remote.commands) == (bridge.mqtt_autostart, bridge.mqtt_commands)
    assert (remote.username_set, remote.password_set) == (
        bool(bridge.mqtt_username),
        bool(bridge.mqtt_password),
    )
    caps = {c.key: c for c in ours._client_caps(data, str(path), frozenset({"binance"}), False)}
    assert caps["client.rate_limits_share_pct"].value == float(theirs.rate_limits_share_pct)
    for asset, limit in theirs.balance_asset_limit.get("binance", {}).items():
        assert caps[f"client.balance_asset_limit.binance.{asset}"].value == float(limit)


amounts = st.one_of(
    st.integers(1, 50),
    st.floats(0.001, 50).map(lambda f: round(f, 4)),
    st.sampled_from(["010", "0.5", "1e1", "'2'"]),
)
bands = st.one_of(st.sampled_from([-1, 0, "-1"]), st.integers(1, 90_000))
levels = st.one_of(st.integers(1, 6), st.sampled_from(["010", "'3'"]))


@st.composite
def strategies(draw: st.DrawFn) -> str:
    lines = {
        "template_version": "24",
        "strategy": "pure_market_making",
        "exchange": draw(st.sampled_from(["binance", "binance_paper_trade", "Kucoin"])),
        "market": "BTC-USDT",
        "bid_spread": "1",
        "ask_spread": "1",
        "order_amount": draw(amounts),
        "order_levels": draw(levels),
        "price_ceiling": draw(bands),
        "price_floor": draw(st.sampled_from([-1, 0])),
    }
    return "".join(f"{k}: {v}\n" for k, v in lines.items())


@SETTINGS
@given(text=strategies())
def test_legacy_strategy_values_as_hummingbot_reads_them(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    """`load_yml_into_cm_legacy`'s reading, with Hummingbot's own pieces: its ruamel.yaml
    parser (`config_helpers.yaml_parser`), its default rule (None or "" takes the config
    var's default) and `parse_cvar_value`. Its validators are left out: the market's one
    fetches trading pairs from the exchange."""
    from hummingbot.strategy.pure_market_making.pure_market_making_config_map import (
        pure_market_making_config_map as cmap,
    )

    root = tmp_path_factory.mktemp("i")
    path = _write(root, "conf/strategies/s.yml", text)
    with open(path, encoding="utf-8") as stream:
        data = config_helpers.yaml_parser.load(stream) or {}
    theirs: dict[str, Any] = {}
    for key in ("exchange", "order_amount", "order_levels", "price_ceiling", "price_floor"):
        cvar = cmap[key]
        value = data.get(key)
        if (value is None or value == "") and cvar.default is not None:
            theirs[key] = cvar.default
        else:
            theirs[key] = config_helpers.parse_cvar_value(cvar, value)
    loaded = ours.load([str(path)], {})
    caps = {c.key.rsplit(".", 1)[1]: c for c in loaded.caps}
    for key in ("order_amount", "order_levels", "price_ceiling", "price_floor"):
        mine = caps[key]
        if mine.unlimited:
            assert Decimal(str(theirs[key])) <= 0, key
        else:
            assert math.isclose(float(theirs[key]), float(mine.value or 0)), key
    # pure_market_making/start.py lower-cases the exchange
    assert [v.name for v in loaded.venues] == [str(theirs["exchange"]).lower()]


controller_values = st.fixed_dictionaries(
    {},
    optional={
        "total_amount_quote": st.one_of(st.integers(1, 5000), st.sampled_from(["250", "12.5"])),
        "max_executors_per_side": st.integers(1, 9),
        "cooldown_time": st.integers(1, 3600),
    },
)


@SETTINGS
@given(values=controller_values, kind=st.sampled_from(["market_making", "directional_trading"]))
def test_controller_caps_as_hummingbot_reads_them(
    tmp_path_factory: pytest.TempPathFactory, values: dict[str, Any], kind: str
) -> None:
    name = "pmm_simple" if kind == "market_making" else "bollinger_v1"
    data = {
        "id": "c1",
        "controller_name": name,
        "controller_type": kind,
        "connector_name": "binance_perpetual",
        "trading_pair": "ETH-USDT",
        **values,
    }
    if kind == "market_making":
        values.pop("max_executors_per_side", None)
        data.pop("max_executors_per_side", None)
    text = yaml.safe_dump(data)
    root = tmp_path_factory.mktemp("i")
    path = _write(root, "conf/controllers/c.yml", text)
    parsed = yaml.safe_load(text)
    cls = (
        MarketMakingControllerConfigBase
        if kind == "market_making"
        else DirectionalTradingControllerConfigBase
    )
    theirs = cls(**parsed)
    loaded = ours.load([str(path)], {})
    caps = {c.key.rsplit(".", 1)[1]: c.value for c in loaded.caps}
    assert caps["total_amount_quote"] == float(theirs.total_amount_quote)
    assert caps["cooldown_time"] == theirs.cooldown_time
    if kind == "directional_trading":
        assert caps["max_executors_per_side"] == theirs.max_executors_per_side
    assert [v.name for v in loaded.venues] == [theirs.connector_name]


secretish = st.sampled_from(["", "7b2263727970746f223a7b7d7d", "plain-key"])


@SETTINGS
@given(key=secretish, secret=secretish)
def test_connector_keys_as_hummingbot_finds_them(
    tmp_path_factory: pytest.TempPathFactory, key: str, secret: str
) -> None:
    """Hummingbot's check is `if not keys` over the connect-key fields; an empty value counts
    there but signs nothing, so the audit counts only non-empty ones (the compared view)."""
    text = f"connector: binance\nbinance_api_key: '{key}'\nbinance_api_secret: '{secret}'\n"
    root = tmp_path_factory.mktemp("i")
    path = _write(root, "conf/connectors/binance.yml", text)
    model = config_helpers.get_connector_hb_config("binance").model_validate(
        config_helpers.read_yml_file(path)
    )
    api_keys = config_helpers.api_keys_from_connector_config_map(
        config_helpers.ClientConfigAdapter(model)
    )
    theirs = any(bool(v) for v in api_keys.values())
    found = ours._keystore([ours._read(str(path), "connectors", {})])
    assert any(c.present for c in found["binance"]) is theirs


def test_no_test_domain_of_the_installed_hummingbot_counts_as_real() -> None:
    settings_by_name = AllConnectorSettings.get_connector_settings()
    assert settings_by_name, "Hummingbot declared no connectors"
    for name, setting in settings_by_name.items():
        reach, _ = runtime.reach(name, can_sign=True, paper_exchanges=())
        if setting.is_sub_domain and name.endswith(TEST_SUFFIXES):
            assert reach in (OrdersReach.TEST, OrdersReach.UNKNOWN), name
        elif not name.endswith("_paper_trade"):
            assert reach in (OrdersReach.REAL, OrdersReach.UNKNOWN), name


def test_a_kill_switch_hummingbot_refuses_is_refused() -> None:
    for bad in ({"kill_switch_rate": -5, "extra": 1}, "on", [1]):
        with pytest.raises(ValueError):
            client_config_map.ClientConfigMap(kill_switch_mode=bad)
        with pytest.raises(ConfigError):
            ours.kill_switch_of({"kill_switch_mode": bad}, "c", configured=True)
