"""NautilusTrader's venue adapters, one row each: the exec client config class a JSON config
names, its fields (in the versions the audit reads), its `environment` values and which of them
is production, the flags versions before 1.227 had instead, the credentials it reads (fields,
else environment variables), and the account type its execution client registers. Data only,
read from nautilus_trader 1.223-1.231 (`nautilus_trader/adapters/<name>/config.py`,
`factories.py`, `execution.py`; docs/nautilus.md cites each rule).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, Literal, NamedTuple

#: the NautilusTrader releases whose adapter fields the rows describe (1.223 .. 1.231)
FIRST_MINOR: Final = 223
LAST_MINOR: Final = 231
#: the first release whose `ImportableConfig.create` decodes a client config with
#: `msgspec_decoding_hook` (commit fa207fe8ec): before it, a Rust enum (`BybitEnvironment`, a
#: product type) or an identifier (`Venue`) in a JSON client config fails to decode at all
HOOKED_CREATE: Final = 231
#: the first release without the legacy `testnet`/`demo`/`is_testnet`/`is_demo` flags (commit
#: 25529a2743, "Remove adapter legacy environment configs"; Kraken's MAINNET became LIVE)
CURRENT_SPELLING: Final = 227

Reach = Literal["real", "test"]
Account = Literal["margin", "cash", "betting"]


class Span(NamedTuple):
    """The releases (minor numbers of 1.x) in which a field or value exists."""

    since: int = FIRST_MINOR
    until: int = LAST_MINOR


class EnvValue(NamedTuple):
    name: str  #: the enum member's name (a Python enum's value: Binance's are the same)
    reach: Reach
    span: Span = Span()


#: (config field, environment variable) of each secret the client signs with: the field wins,
#: else the variable (`get_env_key`, or the Rust client's own fallback). Identifiers it also
#: reads (a wallet or funder address, an account id) are redacted, not credentials.
Credentials = tuple[tuple[str, str], ...]
CredentialRule = Callable[[str, Mapping[str, Any]], Credentials]
AccountRule = Callable[[Mapping[str, Any]], Account]


class EnumField(NamedTuple):
    """A field holding enum members the audit reads (the account type follows from it)."""

    names: tuple[str, ...]
    #: a Rust enum: msgspec's hook takes any case and a dotted prefix; else the exact value
    pyo3: bool
    many: bool = False  #: a list of members (a tuple in the config class)
    #: an `IntFlag` (`AccountType`): msgspec takes only its integer codes, 1 for the first name
    int_codes: bool = False


class Adapter(NamedTuple):
    key: str
    title: str
    module: str  #: `nautilus_trader.adapters.<key>`; its `config` module holds the class
    config_class: str
    factory_class: str
    venue: str  #: the venue its client trades (Binance's `venue` field may change it)
    fields: tuple[
        str, ...
    ]  #: fields of every release read (besides `instrument_provider`, `routing`)
    bounded: Mapping[str, Span]  #: fields only some releases have
    environments: tuple[EnvValue, ...]  #: empty: the config has no `environment`
    default_environment: str | None  #: what the factory uses when `environment` is null
    pyo3_enum: bool  #: a Rust enum: msgspec's hook decodes it by member name, any case
    legacy: tuple[tuple[str, str], ...]  #: (flag, environment it selects), in precedence order
    credentials: CredentialRule
    signing: tuple[str, ...]  #: the credential fields the client signs orders with
    account: AccountRule
    order_urls: tuple[str, ...]  #: URL overrides that move where orders go
    required: tuple[str, ...] = ()
    enums: Mapping[str, EnumField] = {}
    #: fields of a Rust enum or identifier type: before 1.231 no JSON value decodes into them
    hooked: tuple[str, ...] = ()
    #: `environment` may be null (every adapter's is optional but Architect AX's)
    environment_nullable: bool = True
    #: the environment and a legacy flag both set make the factory raise (Binance)
    legacy_conflicts: bool = False


_LEGACY: Final = Span(until=CURRENT_SPELLING - 1)
_COMMON_RETRY: Final = ("max_retries", "retry_delay_initial_ms", "retry_delay_max_ms")


def _same(*pairs: tuple[str, str]) -> CredentialRule:
    return lambda environment, config: pairs


def _per_environment(table: Mapping[str, Credentials]) -> CredentialRule:
    return lambda environment, config: table[environment]


def _margin(config: Mapping[str, Any]) -> Account:
    return "margin"


def _binance_spot(config: Mapping[str, Any]) -> bool:
    return config.get("account_type", "SPOT") in ("SPOT", "MARGIN", "ISOLATED_MARGIN")


def _binance_credentials(environment: str, config: Mapping[str, Any]) -> Credentials:
    """`binance/common/credentials.py`: `get_api_key` / `get_api_secret`."""
    if environment == "TESTNET":
        prefix = "BINANCE_TESTNET" if _binance_spot(config) else "BINANCE_FUTURES_TESTNET"
    elif environment == "DEMO":
        prefix = "BINANCE_DEMO"
    else:
        prefix = "BINANCE"
    return (("api_key", f"{prefix}_API_KEY"), ("api_secret", f"{prefix}_API_SECRET"))


def _binance_account(config: Mapping[str, Any]) -> Account:
    """`binance/execution.py`: `AccountType.CASH if account_type.is_spot else MARGIN`."""
    return "cash" if config.get("account_type", "SPOT") == "SPOT" else "margin"


def _bybit_account(config: Mapping[str, Any]) -> Account:
    """`bybit/execution.py`: null product types mean all of them; SPOT alone is a cash account."""
    types = config.get("product_types")
    return (
        "cash"
        if isinstance(types, list) and {str(t).upper() for t in types} == {"SPOT"}
        else "margin"
    )


def _okx_account(config: Mapping[str, Any]) -> Account:
    """`okx/execution.py` `_derive_account_type`: SPOT instruments only, without spot margin."""
    types = config.get("instrument_types", ["SPOT"])
    spot = isinstance(types, list) and [str(t).upper() for t in types] == ["SPOT"]
    return "cash" if spot and config.get("use_spot_margin") is not True else "margin"


def _kraken_products(config: Mapping[str, Any]) -> set[str]:
    types = config.get("product_types")
    return {str(t).upper() for t in types} if isinstance(types, list) and types else {"SPOT"}


def _kraken_account(config: Mapping[str, Any]) -> Account:
    """`kraken/execution.py`: SPOT alone uses `spot_account_type` (CASH by default)."""
    if _kraken_products(config) != {"SPOT"}:
        return "margin"
    return "margin" if str(config.get("spot_account_type", "CASH")).upper() == "MARGIN" else "cash"


def _kraken_credentials(environment: str, config: Mapping[str, Any]) -> Credentials:
    """The Rust client's `KrakenCredential`: spot and futures keys are separate variables."""
    found: list[tuple[str, str]] = []
    products = _kraken_products(config)
    if "SPOT" in products:
        found += [("api_key", "KRAKEN_SPOT_API_KEY"), ("api_secret", "KRAKEN_SPOT_API_SECRET")]
    if "FUTURES" in products:
        prefix = "KRAKEN_FUTURES_DEMO" if environment == "DEMO" else "KRAKEN_FUTURES"
        found += [("api_key", f"{prefix}_API_KEY"), ("api_secret", f"{prefix}_API_SECRET")]
    return tuple(found)


def _key_secret(prefix: str, testnet: str = "TESTNET") -> CredentialRule:
    return _per_environment(
        {
            "MAINNET": (("api_key", f"{prefix}_API_KEY"), ("api_secret", f"{prefix}_API_SECRET")),
            "TESTNET": (
                ("api_key", f"{prefix}_{testnet}_API_KEY"),
                ("api_secret", f"{prefix}_{testnet}_API_SECRET"),
            ),
        }
    )


_PROXY_ERA: Final = {"http_proxy_url": Span(until=225), "ws_proxy_url": Span(until=225)}
_PROXY: Final = Span(since=226)
_TRANSPORT: Final = Span(since=231)

ADAPTERS: Final[tuple[Adapter, ...]] = (
    Adapter(
        key="binance",
        title="Binance",
        module="nautilus_trader.adapters.binance",
        config_class="BinanceExecClientConfig",
        factory_class="BinanceLiveExecClientFactory",
        venue="BINANCE",
        fields=(
            "venue",
            "api_key",
            "api_secret",
            "key_type",
            "account_type",
            "environment",
            "base_url_http",
            "base_url_ws",
            "base_url_ws_stream",
            "us",
            "use_gtd",
            "use_reduce_only",
            "use_position_ids",
            "use_trade_lite",
            "treat_expired_as_canceled",
            "recv_window_ms",
            *_COMMON_RETRY,
            "futures_leverages",
            "futures_margin_types",
            "log_rejected_due_post_only_as_warning",
            "proxy_url",
        ),  # fmt: skip
        bounded={"testnet": _LEGACY, "transport_backend": _TRANSPORT},
        environments=(
            EnvValue("LIVE", "real"),
            EnvValue("TESTNET", "test"),
            EnvValue("DEMO", "test", Span(since=225)),
        ),
        default_environment="LIVE",
        pyo3_enum=False,
        legacy=(("testnet", "TESTNET"),),
        legacy_conflicts=True,
        credentials=_binance_credentials,
        signing=("api_key", "api_secret"),
        account=_binance_account,
        hooked=("venue", "transport_backend"),
        order_urls=("base_url_http", "base_url_ws", "base_url_ws_stream"),
        enums={
            "account_type": EnumField(
                ("SPOT", "MARGIN", "ISOLATED_MARGIN", "USDT_FUTURES", "COIN_FUTURES"), pyo3=False
            )
        },
    ),
    Adapter(
        key="bybit",
        title="Bybit",
        module="nautilus_trader.adapters.bybit",
        config_class="BybitExecClientConfig",
        factory_class="BybitLiveExecClientFactory",
        venue="BYBIT",
        fields=(
            "api_key",
            "api_secret",
            "product_types",
            "base_url_http",
            "base_url_ws_private",
            "base_url_ws_trade",
            "use_gtd",
            "use_ws_execution_fast",
            "use_http_batch_api",
            *_COMMON_RETRY,
            "recv_window_ms",
            "ws_trade_timeout_secs",
            "ws_auth_timeout_secs",
            "futures_leverages",
            "position_mode",
            "margin_mode",
            "ignore_uncached_instrument_executions",
            "use_spot_position_reports",
            "auto_repay_spot_borrows",
            "repay_queue_interval_secs",
        ),  # fmt: skip
        bounded={
            "demo": _LEGACY,
            "testnet": _LEGACY,
            **_PROXY_ERA,
            "environment": Span(since=226),
            "proxy_url": _PROXY,
            "transport_backend": _TRANSPORT,
        },
        environments=(
            EnvValue("MAINNET", "real"),
            EnvValue("DEMO", "test"),
            EnvValue("TESTNET", "test"),
        ),
        default_environment="MAINNET",
        pyo3_enum=True,
        legacy=(("demo", "DEMO"), ("testnet", "TESTNET")),
        credentials=_per_environment(
            {
                "MAINNET": (("api_key", "BYBIT_API_KEY"), ("api_secret", "BYBIT_API_SECRET")),
                "DEMO": (
                    ("api_key", "BYBIT_DEMO_API_KEY"),
                    ("api_secret", "BYBIT_DEMO_API_SECRET"),
                ),
                "TESTNET": (
                    ("api_key", "BYBIT_TESTNET_API_KEY"),
                    ("api_secret", "BYBIT_TESTNET_API_SECRET"),
                ),
            }
        ),
        signing=("api_key", "api_secret"),
        account=_bybit_account,
        hooked=("product_types", "transport_backend", "position_mode", "margin_mode"),
        order_urls=("base_url_http", "base_url_ws_private", "base_url_ws_trade"),
        enums={
            "product_types": EnumField(
                ("SPOT", "LINEAR", "INVERSE", "OPTION"), pyo3=True, many=True
            )
        },
    ),
    Adapter(
        key="okx",
        title="OKX",
        module="nautilus_trader.adapters.okx",
        config_class="OKXExecClientConfig",
        factory_class="OKXLiveExecClientFactory",
        venue="OKX",
        fields=(
            "api_key",
            "api_secret",
            "api_passphrase",
            "instrument_types",
            "contract_types",
            "instrument_families",
            "base_url_http",
            "base_url_ws",
            "margin_mode",
            "use_spot_margin",
            "http_timeout_secs",
            *_COMMON_RETRY,
            "use_fills_channel",
            "use_mm_mass_cancel",
            "use_spot_cash_position_reports",
        ),  # fmt: skip
        bounded={
            "is_demo": _LEGACY,
            **_PROXY_ERA,
            "ws_auth_timeout_secs": Span(since=225),
            "environment": Span(since=226),
            "proxy_url": _PROXY,
            "load_spreads": Span(since=228),
            "region": Span(since=230),
            "transport_backend": _TRANSPORT,
        },
        environments=(EnvValue("LIVE", "real"), EnvValue("DEMO", "test")),
        default_environment="LIVE",
        pyo3_enum=True,
        legacy=(("is_demo", "DEMO"),),
        credentials=_same(
            ("api_key", "OKX_API_KEY"),
            ("api_secret", "OKX_API_SECRET"),
            ("api_passphrase", "OKX_API_PASSPHRASE"),
        ),
        signing=("api_key", "api_secret", "api_passphrase"),
        account=_okx_account,
        hooked=(
            "instrument_types",
            "contract_types",
            "region",
            "transport_backend",
            "margin_mode",
        ),  # fmt: skip
        order_urls=("base_url_http", "base_url_ws"),
        enums={
            "instrument_types": EnumField(
                ("SPOT", "MARGIN", "SWAP", "FUTURES", "OPTION", "ANY", "EVENTS"),
                pyo3=True,
                many=True,
            )
        },
    ),
    Adapter(
        key="kraken",
        title="Kraken",
        module="nautilus_trader.adapters.kraken",
        config_class="KrakenExecClientConfig",
        factory_class="KrakenLiveExecClientFactory",
        venue="KRAKEN",
        fields=(
            "api_key",
            "api_secret",
            "environment",
            "product_types",
            "base_url_http_spot",
            "base_url_http_futures",
            "base_url_ws_spot",
            "base_url_ws_futures",
            *_COMMON_RETRY,
            "http_timeout_secs",
            "ws_heartbeat_secs",
            "max_requests_per_second",
            "use_spot_position_reports",
            "spot_positions_quote_currency",
        ),  # fmt: skip
        bounded={
            **_PROXY_ERA,
            "proxy_url": _PROXY,
            "spot_account_type": Span(since=227),
            "default_leverage": Span(since=227),
            "margin_balance_asset": Span(since=227),
            "transport_backend": _TRANSPORT,
        },
        environments=(
            EnvValue("MAINNET", "real", Span(until=CURRENT_SPELLING - 1)),
            EnvValue("LIVE", "real", Span(since=CURRENT_SPELLING)),
            EnvValue("DEMO", "test"),
        ),
        default_environment="LIVE",  # MAINNET before 1.227: production either way
        pyo3_enum=True,
        legacy=(),
        credentials=_kraken_credentials,
        signing=("api_key", "api_secret"),
        account=_kraken_account,
        hooked=("product_types", "transport_backend"),
        enums={
            "product_types": EnumField(("SPOT", "FUTURES"), pyo3=True, many=True),
            "spot_account_type": EnumField(
                ("CASH", "MARGIN", "BETTING", "WALLET"), pyo3=False, int_codes=True
            ),
        },
        order_urls=(
            "base_url_http_spot",
            "base_url_http_futures",
            "base_url_ws_spot",
            "base_url_ws_futures",
        ),  # fmt: skip
    ),
    Adapter(
        key="bitmex",
        title="BitMEX",
        module="nautilus_trader.adapters.bitmex",
        config_class="BitmexExecClientConfig",
        factory_class="BitmexLiveExecClientFactory",
        venue="BITMEX",
        fields=(
            "api_key",
            "api_secret",
            "base_url_http",
            "base_url_ws",
            "http_timeout_secs",
            *_COMMON_RETRY,
            "recv_window_ms",
            "max_requests_per_second",
            "max_requests_per_minute",
            "canceller_pool_size",
            "submitter_pool_size",
            "submitter_proxy_urls",
            "canceller_proxy_urls",
        ),  # fmt: skip
        bounded={
            "testnet": _LEGACY,
            **_PROXY_ERA,
            "deadmans_switch_timeout_secs": Span(since=224),
            "environment": Span(since=226),
            "proxy_url": _PROXY,
            "transport_backend": _TRANSPORT,
        },
        environments=(EnvValue("MAINNET", "real"), EnvValue("TESTNET", "test")),
        default_environment="MAINNET",
        pyo3_enum=True,
        legacy=(("testnet", "TESTNET"),),
        credentials=_key_secret("BITMEX"),
        hooked=("transport_backend",),
        signing=("api_key", "api_secret"),
        account=_margin,
        order_urls=("base_url_http", "base_url_ws"),
    ),
    Adapter(
        key="deribit",
        title="Deribit",
        module="nautilus_trader.adapters.deribit",
        config_class="DeribitExecClientConfig",
        factory_class="DeribitLiveExecClientFactory",
        venue="DERIBIT",
        fields=(
            "api_key",
            "api_secret",
            "product_types",
            "base_url_http",
            "base_url_ws",
            "http_timeout_secs",
            *_COMMON_RETRY,
        ),  # fmt: skip
        bounded={
            "is_testnet": _LEGACY,
            "environment": Span(since=226),
            "proxy_url": _PROXY,
            "transport_backend": _TRANSPORT,
        },
        environments=(EnvValue("MAINNET", "real"), EnvValue("TESTNET", "test")),
        default_environment="MAINNET",
        pyo3_enum=True,
        legacy=(("is_testnet", "TESTNET"),),
        credentials=_key_secret("DERIBIT"),
        hooked=("product_types", "transport_backend"),
        signing=("api_key", "api_secret"),
        account=_margin,
        order_urls=("base_url_http", "base_url_ws"),
    ),
    Adapter(
        key="dydx",
        title="dYdX",
        module="nautilus_trader.adapters.dydx",
        config_class="DydxExecClientConfig",
        factory_class="DydxLiveExecClientFactory",
        venue="DYDX",
        fields=(
            "wallet_address",
            "subaccount",
            "private_key",
            "authenticator_ids",
            "base_url_http",
            "base_url_ws",
            "base_url_grpc",
            *_COMMON_RETRY,
            "grpc_rate_limit_per_second",
        ),  # fmt: skip
        bounded={"is_testnet": _LEGACY, "environment": Span(since=226), "proxy_url": _PROXY},
        environments=(EnvValue("MAINNET", "real"), EnvValue("TESTNET", "test")),
        default_environment="MAINNET",
        pyo3_enum=True,
        legacy=(("is_testnet", "TESTNET"),),
        credentials=_per_environment(
            {
                "MAINNET": (("private_key", "DYDX_PRIVATE_KEY"),),
                "TESTNET": (("private_key", "DYDX_TESTNET_PRIVATE_KEY"),),
            }
        ),
        signing=("private_key",),
        account=_margin,
        order_urls=("base_url_http", "base_url_ws", "base_url_grpc"),
    ),
    Adapter(
        key="hyperliquid",
        title="Hyperliquid",
        module="nautilus_trader.adapters.hyperliquid",
        config_class="HyperliquidExecClientConfig",
        factory_class="HyperliquidLiveExecClientFactory",
        venue="HYPERLIQUID",
        fields=(
            "private_key",
            "vault_address",
            "base_url_ws",
            *_COMMON_RETRY,
            "http_timeout_secs",
            "normalize_prices",
            "account_address",
            "product_types",
        ),  # fmt: skip
        bounded={
            "testnet": _LEGACY,
            **_PROXY_ERA,
            "environment": Span(since=226),
            "proxy_url": _PROXY,
            "ws_post_timeout_secs": Span(since=228),
            "include_builder_attribution": Span(since=229),
            "transport_backend": _TRANSPORT,
        },
        environments=(EnvValue("MAINNET", "real"), EnvValue("TESTNET", "test")),
        default_environment="MAINNET",
        pyo3_enum=True,
        legacy=(("testnet", "TESTNET"),),
        credentials=_per_environment(
            {
                "MAINNET": (("private_key", "HYPERLIQUID_PK"),),
                "TESTNET": (("private_key", "HYPERLIQUID_TESTNET_PK"),),
            }
        ),
        signing=("private_key",),
        account=_margin,
        order_urls=("base_url_ws",),
        hooked=("transport_backend",),
    ),
    Adapter(
        key="architect_ax",
        title="Architect AX",
        module="nautilus_trader.adapters.architect_ax",
        config_class="AxExecClientConfig",
        factory_class="AxLiveExecClientFactory",
        venue="AX",
        fields=(
            "api_key",
            "api_secret",
            "environment",
            "base_url_http",
            "base_url_ws",
            "http_timeout_secs",
            *_COMMON_RETRY,
        ),  # fmt: skip
        bounded={
            "http_proxy_url": Span(until=225),
            "proxy_url": _PROXY,
            "transport_backend": _TRANSPORT,
            "base_url_orders": _TRANSPORT,
            "heartbeat_interval_secs": _TRANSPORT,
            "cancel_on_disconnect": _TRANSPORT,
        },
        environments=(EnvValue("SANDBOX", "test"), EnvValue("PRODUCTION", "real")),
        default_environment="SANDBOX",  # the one adapter whose default is not production
        environment_nullable=False,
        pyo3_enum=True,
        legacy=(),
        credentials=_same(("api_key", "AX_API_KEY"), ("api_secret", "AX_API_SECRET")),
        hooked=("transport_backend",),
        signing=("api_key", "api_secret"),
        account=_margin,
        order_urls=("base_url_http", "base_url_ws", "base_url_orders"),
    ),
    Adapter(
        key="polymarket",
        title="Polymarket",
        module="nautilus_trader.adapters.polymarket",
        config_class="PolymarketExecClientConfig",
        factory_class="PolymarketLiveExecClientFactory",
        venue="POLYMARKET",
        fields=(
            "venue",
            "private_key",
            "signature_type",
            "funder",
            "api_key",
            "api_secret",
            "passphrase",
            "base_url_http",
            "base_url_ws",
            *_COMMON_RETRY,
            "generate_order_history_from_trades",
            "log_raw_ws_messages",
            "ack_timeout_secs",
            "instrument_config",
            "ws_max_subscriptions_per_connection",
        ),  # fmt: skip
        bounded={
            "use_data_api": Span(until=224),
            "base_url_data_api": Span(since=225),
            "proxy_url": _PROXY,
        },
        environments=(),
        default_environment=None,
        pyo3_enum=False,
        legacy=(),
        credentials=_same(
            ("private_key", "POLYMARKET_PK"),
            ("api_key", "POLYMARKET_API_KEY"),
            ("api_secret", "POLYMARKET_API_SECRET"),
            ("passphrase", "POLYMARKET_PASSPHRASE"),
        ),
        signing=("private_key",),
        account=lambda config: "cash",
        hooked=("venue",),
        order_urls=("base_url_http", "base_url_ws"),
    ),
    Adapter(
        key="betfair",
        title="Betfair",
        module="nautilus_trader.adapters.betfair",
        config_class="BetfairExecClientConfig",
        factory_class="BetfairLiveExecClientFactory",
        venue="BETFAIR",
        fields=(
            "account_currency",
            "username",
            "password",
            "app_key",
            "certs_dir",
            "instrument_config",
            "calculate_account_state",
            "request_account_state_secs",
            "reconcile_market_ids_only",
            "ignore_external_orders",
            "proxy_url",
            "stream_market_ids_filter",
            "use_market_version",
            "order_request_rate_per_second",
            "stream_heartbeat_ms",
        ),  # fmt: skip
        bounded={},
        environments=(),
        default_environment=None,
        pyo3_enum=False,
        legacy=(),
        credentials=_same(
            ("username", "BETFAIR_USERNAME"),
            ("password", "BETFAIR_PASSWORD"),
            ("app_key", "BETFAIR_APP_KEY"),
        ),
        signing=("username", "password", "app_key"),
        account=lambda config: "betting",
        order_urls=(),
        required=("account_currency",),
    ),
)

#: Interactive Brokers: orders go through a TWS / IB Gateway the config only points at
IB_MODULE: Final = "nautilus_trader.adapters.interactive_brokers"
IB_CONFIG: Final = "InteractiveBrokersExecClientConfig"
IB_FACTORY: Final = "InteractiveBrokersLiveExecClientFactory"
IB_FIELDS: Final = (
    "ibg_host", "ibg_port", "ibg_client_id", "account_id", "dockerized_gateway",
    "connection_timeout", "fetch_all_open_orders", "track_option_exercise_from_position_update",
    "request_timeout_secs",
)  # fmt: skip
IB_DOCKER_FIELDS: Final = (
    "username", "password", "trading_mode", "read_only_api", "timeout", "container_image",
    "vnc_port",
)  # fmt: skip
#: `interactive_brokers/config.py`: "paper/live defaults: IBG 4002/4001; TWS 7497/7496"
IB_PAPER_PORTS: Final = frozenset({4002, 7497})
IB_LIVE_PORTS: Final = frozenset({4001, 7496})

#: the sandbox: a simulated venue inside the node (`adapters/sandbox/config.py`)
SANDBOX_MODULE: Final = "nautilus_trader.adapters.sandbox"
SANDBOX_CONFIG: Final = "SandboxExecutionClientConfig"
SANDBOX_FACTORY: Final = "SandboxLiveExecClientFactory"
SANDBOX_FIELDS: Final = (
    "venue", "starting_balances", "base_currency", "oms_type", "account_type",
    "default_leverage", "leverages", "book_type", "frozen_account", "bar_execution",
    "trade_execution", "reject_stop_orders", "support_gtd_orders", "support_contingent_orders",
    "use_position_ids", "use_random_ids", "use_reduce_only",
)  # fmt: skip

#: every live client config has these (`LiveExecClientConfig`)
BASE_FIELDS: Final = ("instrument_provider", "routing")
