"""Hummingbot's rows (hummingbot 2bfaccc): which config keys name a connector, which
connectors are test venues, which V1 strategies keep a legacy config map, and its caps with the
defaults Hummingbot applies when a key is absent. Data only; `runtime.py` decides what each
means at run time, `docs/hummingbot.md` cites the code."""

from __future__ import annotations

from typing import Final, NamedTuple

from peak_trade.core.kinds import CapKind

#: keys whose string value names a connector that trades (the templates'
#: `conf_*_strategy_TEMPLATE.yml`, the V2 controllers' and scripts' config classes)
TRADING_KEYS: Final = frozenset(
    {
        "exchange",
        "derivative",
        "connector",
        "connector_name",
        "connector_0",
        "connector_1",
        "connector_2",
        "connector_3",
        "connector_4",
        "spot_connector",
        "spot_connector_name",
        "perpetual_connector",
        "maker_market",
        "taker_market",
        "maker_connector",
        "taker_connector",
        "hedge_connector",
        "hedge_connector_name",
        "cex_exchange",
    }
)
#: keys holding a list of connector names
TRADING_LISTS: Final = frozenset({"exchanges", "connectors"})
#: a V2 script's `markets`: connector name -> trading pairs (`StrategyV2ConfigBase`)
MARKETS_KEY: Final = "markets"
#: keys naming a connector used for market data only (candles, a price source): never orders
DATA_KEYS: Final = frozenset({"candles_connector", "price_source_exchange", "rate_connector"})
#: keys of a market (trading pair) beside a connector key
PAIR_KEYS: Final = frozenset(
    {"market", "trading_pair", "maker_market_trading_pair", "taker_market_trading_pair"}
)

PAPER_SUFFIX: Final = "_paper_trade"
#: `PaperTradeConfigMap.paper_trade_exchanges`' default (client_config_map.py)
PAPER_EXCHANGES_DEFAULT: Final = ("binance", "kucoin", "kraken", "gate_io")
#: the test domains Hummingbot's connectors declare (`OTHER_DOMAINS` in each `*_utils.py`, and
#: `architect_perpetual_constants.SANDBOX_DOMAIN`); `kucoin_hft` is a domain but no testnet
TEST_DOMAINS: Final = frozenset(
    {
        "aevo_perpetual_testnet",
        "architect_perpetual_sandbox",
        "binance_perpetual_testnet",
        "bybit_perpetual_testnet",
        "bybit_testnet",
        "decibel_perpetual_testnet",
        "derive_perpetual_testnet",
        "derive_testnet",
        "dexalot_testnet",
        "grvt_perpetual_testnet",
        "hyperliquid_perpetual_testnet",
        "hyperliquid_testnet",
        "lighter_perpetual_testnet",
        "lighter_testnet",
        "ndax_testnet",
        "pacifica_perpetual_testnet",
    }
)
TEST_SUFFIXES: Final = ("_testnet", "_sandbox")

#: V1 strategies whose config map is a legacy `ConfigVar` dict (no `*_config_map_pydantic.py`):
#: their values are read with ruamel.yaml (`load_yml_into_cm_legacy`)
LEGACY_STRATEGIES: Final = frozenset(
    {
        "amm_arb",
        "liquidity_mining",
        "perpetual_market_making",
        "pure_market_making",
        "spot_perpetual_arbitrage",
    }
)
#: V1 strategies whose order sizing and price band the audit has read
MARKET_MAKING: Final = frozenset({"pure_market_making", "perpetual_market_making"})
V2_CONTROLLERS_SCRIPT: Final = "v2_with_controllers.py"
#: the controllers Hummingbot ships, by type: their sizing is the base classes'
#: (`MarketMakingControllerBase`, `DirectionalTradingControllerBase`)
SHIPPED_CONTROLLERS: Final = {
    "market_making": frozenset({"pmm_simple", "pmm_dynamic", "dman_maker_v2"}),
    "directional_trading": frozenset(
        {"bollinger_v1", "bollinger_v2", "bollingrid", "dman_v3", "macd_bb_v1", "supertrend_v1"}
    ),
}

#: secrets of conf_client.yml that the name rule alone would miss (plain text in the file)
CLIENT_SECRETS: Final = frozenset({("mqtt_bridge", "mqtt_username"), ("db_mode", "db_username")})
#: the variables holding the keystore password (presence only): `hbot` reads HBOT_PASSWORD,
#: `bin/hummingbot_quickstart.py` CONFIG_PASSWORD
PASSWORD_VARIABLES: Final = ("HBOT_PASSWORD", "CONFIG_PASSWORD")
#: the variables `bin/hummingbot_quickstart.py` takes the config to run from
SELECTION_VARIABLES: Final = {"SCRIPT_CONFIG": "scripts", "CONFIG_FILE_NAME": "strategies"}


class CapRow(NamedTuple):
    """A cap of one config kind. `default`: what Hummingbot uses when the key is absent (None:
    nothing, the cap is then not reported). `off_at_or_below`: values at or below it switch
    the cap off (unlimited); `none_is_off`: an empty value switches it off."""

    key: str
    kind: CapKind
    integer: bool = False
    default: float | None = None
    off_at_or_below: float | None = None
    none_is_off: bool = False
    positive: bool = True


#: V1 market-making caps (pure_market_making_config_map.py, perpetual_market_making_config_map.py)
STRATEGY_CAPS: Final = (
    CapRow("order_amount", CapKind.ORDER_SIZE),
    CapRow("order_levels", CapKind.ORDER_LEVELS, integer=True, default=1),
    CapRow("order_level_amount", CapKind.ORDER_SIZE_STEP, default=0, positive=False),
    CapRow("price_ceiling", CapKind.PRICE_CEILING, default=-1, off_at_or_below=0, positive=False),
    CapRow("price_floor", CapKind.PRICE_FLOOR, default=-1, off_at_or_below=0, positive=False),
    CapRow("inventory_target_base_pct", CapKind.INVENTORY_TARGET, positive=False),
)
#: `scripts/v2_with_controllers.py`: drawdown stops in quote units (None or 0: off)
SCRIPT_CAPS: Final = (
    CapRow("max_global_drawdown_quote", CapKind.DRAWDOWN, none_is_off=True, off_at_or_below=0),
    CapRow("max_controller_drawdown_quote", CapKind.DRAWDOWN, none_is_off=True, off_at_or_below=0),
)
#: `ControllerConfigBase` and the directional base (defaults as there)
CONTROLLER_CAPS: Final = (
    CapRow("total_amount_quote", CapKind.BUDGET, default=100),
    CapRow("max_executors_per_side", CapKind.EXECUTORS_PER_SIDE, integer=True, default=2),
    CapRow("cooldown_time", CapKind.COOLDOWN, integer=True, default=300),
)
#: conf_client.yml: `rate_limits_share_pct` (0, 100], default 100
RATE_SHARE: Final = CapRow("rate_limits_share_pct", CapKind.RATE_SHARE, default=100)
BALANCE_LIMIT_KEY: Final = "balance_asset_limit"
