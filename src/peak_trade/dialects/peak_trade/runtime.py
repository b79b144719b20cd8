"""What Peak_Trade's own code does with a config (DESIGN §3a). Pure.

Read from rauterfrank-ui/Peak_Trade at commit ae0b710 (docs/peak-trade-config.md cites each
rule; docs/dev/peak-trade-runtime.md has the research). Three facts:

- which caps an order really meets (`enforce`): only the session runners that call
  `LiveRiskLimits.check_orders` apply caps (the testnet session, the shadow/paper session);
  Peak_Trade's only real-money path, the bounded pilot, builds its pipeline without risk limits;
- where each venue's orders reach (`reach_rule`, `order_clients`): the client factory
  `build_trading_client_from_config` knows `dummy`, `kraken_testnet` and `kraken_live`; the
  bounded pilot forces `kraken_live`; the testnet session always builds `kraken_testnet`;
- whether real orders can leave (`real_orders_possible`): the testnet session never asks the
  safety guard, so a testnet venue that sends to production is real money in testnet mode.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Final

import msgspec

from peak_trade.core.caps import ConfiguredCap
from peak_trade.core.environment import TradingEnvironment
from peak_trade.core.redaction import endpoint_origin
from peak_trade.core.venues import (
    REAL_REACH,
    OrdersReach,
    ReachRule,
    Venue,
    unconfigured_venue,
    venue_of,
    venues_of,
)

# --------------------------------------------------------------------------- caps

BOUNDED: Final = "bounded_live.limits."
#: bounded-live caps that replace a [live_risk] cap while bounded live is enabled
#: (`LiveRiskLimits.from_config`, src/live/risk_limits.py)
REPLACES: Final = {
    "bounded_live.limits.max_order_notional": "live_risk.max_order_notional",
    "bounded_live.limits.max_total_notional": "live_risk.max_total_exposure_notional",
    "bounded_live.limits.max_open_positions": "live_risk.max_open_positions",
    "bounded_live.limits.max_daily_loss_abs": "live_risk.max_daily_loss_abs",
}
MIN_SIZE: Final = "live_risk.live_trade_min_size"
MIN_SIZE_FALLBACK: Final = "bounded_live.limits.min_order_notional"
_STORED_ONLY: Final = (
    "stored in LiveRiskConfig and never compared with an order"
    " (src/live/risk_limits.py, LiveRiskLimits.check_orders)"
)
_ENVIRONMENT_ONLY: Final = (
    "kept in EnvironmentConfig, which no order gate reads"
    " (src/core/environment.py, get_environment_from_config); only the drills and status read it"
)
_NEVER_READ: Final = (
    "never read by Peak_Trade's live risk code (src/live/risk_limits.py,"
    " LiveRiskLimits.from_config)"
)
#: caps no Peak_Trade code path applies, whatever the mode
NEVER: Final = {
    "environment.max_live_notional_per_order": _ENVIRONMENT_ONLY,
    "environment.max_live_notional_total": _ENVIRONMENT_ONLY,
    "environment.live_trade_min_size": _ENVIRONMENT_ONLY,
    "live_risk.max_live_notional_per_order": _STORED_ONLY,
    "live_risk.max_live_notional_total": _STORED_ONLY,
    "bounded_live.limits.max_daily_loss_pct": _NEVER_READ,
    "bounded_live.limits.max_position_pct": _NEVER_READ,
}
LIVE_PATH: Final = (
    "Peak_Trade's live path (the bounded pilot) builds its ExecutionPipeline without risk limits"
    " (src/execution/live_session.py, LiveSessionRunner._build_pipeline): no cap is checked"
    " before a live order"
)
LIMITS_OFF: Final = (
    "live_risk.enabled = false: LiveRiskLimits.check_orders allows every order unchecked"
)
NOT_MERGED: Final = (
    "bounded_live.toml is merged only by the readiness checks and by LiveSessionRunner.from_config"
    " when no config is passed (src/core/peak_config.py, load_config_with_bounded_live); the"
    " session runners load the config file alone"
)
BOUNDED_OFF: Final = (
    "bounded_live.enabled = false in the config file: LiveRiskLimits.from_config applies this"
    " bounded-live cap only while it is true"
)
_DAILY: Final = (
    "the daily loss is taken from the experiments CSV of paper and live-dry-run runs"
    " (LiveRiskLimits._compute_daily_pnl_from_experiments), never from this session's fills:"
    " it cannot stop a testnet or live order"
)
_DAILY_PCT_PAPER: Final = (
    "applied only when the session passes a starting cash to LiveRiskLimits.from_config,"
    " which the files cannot show"
)
#: caps `check_orders` compares with the batch it is given alone: the testnet executor passes
#: one order, and open positions are never added (`LiveRiskLimits._compute_orders_aggregates`)
BATCH_ONLY: Final = frozenset(
    {
        "live_risk.max_total_exposure_notional",
        "live_risk.max_symbol_exposure_notional",
        "live_risk.max_open_positions",
        f"{BOUNDED}max_total_notional",
        f"{BOUNDED}max_open_positions",
    }
)
_BATCH: Final = (
    "compared with the order being placed alone: LiveRiskLimits.check_orders sums only the batch"
    " it is given (the testnet executor passes one order) and never adds open positions"
    " (_compute_orders_aggregates), so it bounds one order, not the exposure"
)
DAILY_KEYS: Final = frozenset(
    {"live_risk.max_daily_loss_abs", "live_risk.max_daily_loss_pct", f"{BOUNDED}max_daily_loss_abs"}
)


def seed_keys(field: str, configured: Collection[str]) -> tuple[str, ...]:
    """The keys one of the seed's three fields reads, as Peak_Trade's config objects hold it:
    the Phase 71 key of either table, and for the minimum the bounded-live fallback while
    `live_risk.live_trade_min_size` is unset (`LiveRiskLimits.from_config`, enabled or not)."""
    keys: tuple[str, ...] = (f"environment.{field}", f"live_risk.{field}")
    if field == MIN_SIZE.rsplit(".", 1)[1] and MIN_SIZE not in configured:
        keys += (MIN_SIZE_FALLBACK,)
    return keys


class CapContext(msgspec.Struct, frozen=True, kw_only=True):
    """What decides enforcement besides the cap itself. `overlay_files`: the names of the files
    merged into the config file (bounded_live.toml), which the session runners never read;
    `bounded_in_main`: bounded live enabled in the config file itself; `main_bounded_keys`: the
    bounded-live caps that file itself sets; `configured`: every configured cap's key."""

    mode: TradingEnvironment
    limits_enabled: bool
    overlay_files: frozenset[str]
    bounded_in_main: bool
    main_bounded_keys: frozenset[str]
    configured: frozenset[str]


def enforce(caps: Sequence[ConfiguredCap], ctx: CapContext) -> tuple[ConfiguredCap, ...]:
    """Each cap with `enforced` and `enforcement` as Peak_Trade's code decides them."""
    return tuple(_enforced(cap, ctx) for cap in caps)


def _enforced(cap: ConfiguredCap, ctx: CapContext) -> ConfiguredCap:
    enforced, why = enforcement_of(cap.key, cap.source, ctx)
    return msgspec.structs.replace(cap, enforced=enforced, enforcement=why)


def enforcement_of(key: str, source: str | None, ctx: CapContext) -> tuple[bool | None, str | None]:
    """(enforced, why) of one configured cap."""
    if key in NEVER:
        return False, NEVER[key]
    if ctx.mode is TradingEnvironment.LIVE:
        return False, LIVE_PATH
    if not ctx.limits_enabled:
        return False, LIMITS_OFF
    if source in ctx.overlay_files:
        return False, NOT_MERGED
    if key == MIN_SIZE_FALLBACK:
        if MIN_SIZE in ctx.configured:
            return False, f"{MIN_SIZE} is set and takes precedence (LiveRiskLimits.from_config)"
        return True, (
            f"applied as {MIN_SIZE}: LiveRiskLimits.from_config falls back to it while"
            f" {MIN_SIZE} is unset, even with bounded live disabled"
        )
    if key.startswith(BOUNDED) and not ctx.bounded_in_main:
        return False, BOUNDED_OFF
    replaced_by = next(
        (b for b, r in REPLACES.items() if r == key and b in ctx.main_bounded_keys), None
    )
    if replaced_by is not None and ctx.bounded_in_main:
        return False, f"replaced by {replaced_by} while bounded live is enabled"
    if key in BATCH_ONLY:
        return False, _BATCH
    if key in DAILY_KEYS:
        if ctx.mode is not TradingEnvironment.PAPER:
            return False, _DAILY
        if key.endswith("_pct"):
            return None, _DAILY_PCT_PAPER
    if key in REPLACES:
        return True, f"replaces {REPLACES[key]} (LiveRiskLimits.from_config)"
    return True, None


# --------------------------------------------------------------------------- venues

DUMMY: Final = "dummy"
KRAKEN_TESTNET: Final = "kraken_testnet"
KRAKEN_LIVE: Final = "kraken_live"
CLIENTS: Final = (DUMMY, KRAKEN_TESTNET, KRAKEN_LIVE)
KRAKEN_PRODUCTION: Final = "https://api.kraken.com"
MARKET_DATA_TABLE: Final = "live_exchange"
_FACTORY: Final = "src/exchange/__init__.py, build_trading_client_from_config"
_ENABLED_IGNORED: Final = "its enabled key is never read"


def default_type(data: Mapping[str, Any]) -> str:
    """The client `exchange.default_type` selects (absent: dummy), as Peak_Trade compares it:
    exactly. Any other value is refused by the caller (Peak_Trade stops at start-up)."""
    exchange = data.get("exchange")
    value = exchange.get("default_type", DUMMY) if isinstance(exchange, Mapping) else DUMMY
    return value if isinstance(value, str) else repr(value)


#: the client each mode's session runner builds, whatever `exchange.default_type` says (live:
#: the bounded pilot forces kraken_live, src/execution/live_session.py
#: `_config_with_exchange_type`; testnet: scripts/run_testnet_session.py builds kraken_testnet
#: with `create_kraken_testnet_client_from_config`); paper sessions use no exchange client
MODE_CLIENT: Final = {
    TradingEnvironment.LIVE: KRAKEN_LIVE,
    TradingEnvironment.TESTNET: KRAKEN_TESTNET,
}
_PATH_OF: Final = {
    KRAKEN_LIVE: "the bounded pilot (mode live)",
    KRAKEN_TESTNET: "the testnet session (mode testnet)",
}


def pilot_accepts(selected: str) -> bool:
    """The bounded pilot's readiness gate accepts the config's `exchange.default_type`: it must
    end in `_live` or be `kraken` (scripts/check_live_readiness.py; the wrapper
    scripts/ops/run_bounded_pilot_session.py runs only on a GREEN readiness)."""
    return selected.endswith("_live") or selected == "kraken"


def order_clients(mode: TradingEnvironment, selected: str) -> tuple[str, ...]:
    """The clients an order of this config meets: the one its mode's session runner builds (a
    paper session builds none); in mode live only when the pilot's readiness accepts
    `default_type`."""
    client = MODE_CLIENT.get(mode)
    if client is None or (client == KRAKEN_LIVE and not pilot_accepts(selected)):
        return ()
    return (client,)


def _origin(table: Mapping[str, Any]) -> tuple[str | None, bool]:
    """(the endpoint origin orders go to, whether it is Kraken's production API)."""
    url = table.get("base_url", KRAKEN_PRODUCTION)
    origin = endpoint_origin(url) if isinstance(url, str) else None
    return origin, origin == KRAKEN_PRODUCTION


def _kraken_live(table: Mapping[str, Any]) -> tuple[OrdersReach, str]:
    origin, production = _origin(table)
    where = (
        "KrakenLiveClient.place_order (src/exchange/kraken_live.py) posts AddOrder to"
        f" {origin or 'an endpoint the audit cannot read'}"
    )
    if production:
        return OrdersReach.REAL, f"{where}: Kraken's production API; {_ENABLED_IGNORED}"
    return OrdersReach.UNKNOWN, f"{where}, not Kraken's production API: the files cannot prove"
    " what it is"


def _kraken_testnet(table: Mapping[str, Any]) -> tuple[OrdersReach, str]:
    validate = table.get("validate_only", True)
    origin, production = _origin(table)
    sender = (
        "KrakenTestnetClient (src/exchange/kraken_testnet.py) posts AddOrder to"
        f" {origin or 'an endpoint the audit cannot read'}"
    )
    if not isinstance(validate, bool):
        return OrdersReach.UNKNOWN, (
            f"{sender}; validate_only is not a boolean and Peak_Trade takes its truth value as it"
            " is: set true or false"
        )
    if validate:
        return OrdersReach.TEST, (
            f"{sender} with validate=true (validate_only): the venue checks the order and places"
            f" none; {_ENABLED_IGNORED}"
        )
    if production:
        return OrdersReach.REAL, (
            f"{sender} without validate (validate_only = false): Kraken has no testnet, so this"
            f" is a real order on production; {_ENABLED_IGNORED}"
        )
    return OrdersReach.UNKNOWN, (
        f"{sender} without validate (validate_only = false): the files cannot prove what that"
        " host is"
    )


def reach_rule(clients: Collection[str], selected: str) -> ReachRule:
    """Peak_Trade's rule for one `[exchange...]` table: where its orders go. A client table no
    order path of this mode uses reaches nothing (its reason says which path would use it)."""

    def rule(name: str, table: Mapping[str, Any]) -> tuple[OrdersReach, str]:
        client = name.removeprefix("exchange.")
        if name == "exchange":
            return OrdersReach.NONE, (
                f"holds exchange.default_type = {selected}; the read-only client it configures"
                " has no order methods (src/exchange/__init__.py,"
                " build_exchange_client_from_config)"
            )
        if client == DUMMY:
            return OrdersReach.SIMULATED, (
                f"DummyExchangeClient ({_FACTORY}) fills orders in memory: nothing leaves"
            )
        if client not in CLIENTS:
            return OrdersReach.NONE, (
                f"no Peak_Trade order client reads [{name}]: {_FACTORY} builds"
                f" {', '.join(CLIENTS)} only (the classic order path; Peak_Trade's src/ops"
                " modules read configs of their own, not audited)"
            )
        if client not in clients:
            refused = client == KRAKEN_LIVE and not pilot_accepts(selected)
            why = (
                f"the bounded pilot's readiness check refuses exchange.default_type = {selected}"
                " (it must end in _live or be kraken: scripts/check_live_readiness.py)"
                if refused
                else f"used only by {_PATH_OF[client]}, not in this config's mode"
            )
            return OrdersReach.NONE, why
        if client == KRAKEN_TESTNET:
            return _kraken_testnet(table)
        return _kraken_live(table)

    return rule


def venues(
    data: Mapping[str, Any], present_env: Collection[str], mode: TradingEnvironment
) -> tuple[Venue, ...]:
    """The config's venues with where their orders reach, the client this mode's runner builds
    from its defaults when the file has no table for it, and `[live_exchange]`."""
    selected = default_type(data)
    clients = order_clients(mode, selected)
    rule = reach_rule(clients, selected)
    found = list(venues_of(data, present_env, rule))
    names = {v.name for v in found}
    exchange = data.get("exchange")
    explicit = isinstance(exchange, Mapping) and "default_type" in exchange
    # the client the file selects (dummy: nothing leaves), and the one the mode's runner builds
    shown = ([DUMMY] if explicit and selected == DUMMY else []) + list(clients)
    for client in dict.fromkeys(shown):
        name = f"exchange.{client}"
        if name not in names:  # the runner builds it from its defaults
            reach, why = rule(name, {})
            found.append(
                unconfigured_venue(name, reach, f"{why} (no [{name}] table: the client's defaults)")
            )
    market = data.get(MARKET_DATA_TABLE)
    if isinstance(market, Mapping):
        found.append(venue_of(MARKET_DATA_TABLE, market, present_env, _market_data, nested=False))
    return tuple(found)


def _market_data(name: str, table: Mapping[str, Any]) -> tuple[OrdersReach, str]:
    return OrdersReach.NONE, (
        "market data only: load_live_exchange_config (src/data/kraken_live.py) feeds the public"
        " OHLC source; its name and use_sandbox are never used"
    )


def real_orders_possible(mode: TradingEnvironment, venues: Sequence[Venue]) -> bool:
    """Whether this mode's order path reaches money, whatever the [environment] gates say: the
    bounded pilot builds its gates in code (src/execution/live_session.py,
    `LiveSessionRunner.from_config`: live, armed, dry-run off, the token from
    PT_LIVE_CONFIRM_TOKEN, which the wrapper injects), and the testnet session never asks the
    safety guard (src/orders/testnet_executor.py, `TestnetExchangeOrderExecutor.execute_order`).
    The audit's own verdict stays stricter (DESIGN §3); this is the fact it is held against."""
    client = MODE_CLIENT.get(mode)
    reach = {v.name: v.orders_reach for v in venues}
    return client is not None and reach.get(f"exchange.{client}") in REAL_REACH
