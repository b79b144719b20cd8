"""What Hummingbot's own code does with an instance's files (DESIGN §3a). Pure.

Read from hummingbot/hummingbot at 2bfaccc (docs/hummingbot.md cites each rule):

- where a connector's orders reach (`reach`): `ConnectorManager.create_connector`
  (hummingbot/core/connector_manager.py) builds a `PaperTradeExchange` for a name ending in
  `_paper_trade` (orders filled in memory) and the real connector class otherwise, with the keys
  `Security.api_keys` decrypted from `conf/connectors/`; a test domain (`OTHER_DOMAINS`) is the
  venue's testnet; a Gateway connector (`uniswap/amm`) signs with a wallet Gateway holds;
- which caps an order really meets (`enforcement`): each cap's code path, named.
"""

from __future__ import annotations

from typing import Final

from peak_trade.core.venues import OrdersReach
from peak_trade.dialects.hummingbot.rows import (
    MARKET_MAKING,
    PAPER_SUFFIX,
    SHIPPED_CONTROLLERS,
    TEST_DOMAINS,
    TEST_SUFFIXES,
    V2_CONTROLLERS_SCRIPT,
)

MANAGER: Final = "ConnectorManager.create_connector (hummingbot/core/connector_manager.py)"
RUN_TIME: Final = (
    "a start-time switch the files cannot show would change this: hbot start --paper is only"
    " proposed in hbot's README (roadmap) at hummingbot 2bfaccc"
)


def is_paper(name: str) -> bool:
    return name.endswith(PAPER_SUFFIX)


def is_gateway(name: str) -> bool:
    """A Gateway (DEX) connector: `connector/type` (`uniswap/amm`, `jupiter/router`)."""
    return "/" in name


def needs_keys(name: str) -> bool:
    """A connector Hummingbot refuses to create without keys from conf/connectors/."""
    return not is_paper(name) and not is_gateway(name)


def reach(
    name: str, *, can_sign: bool, paper_exchanges: tuple[str, ...]
) -> tuple[OrdersReach, str]:
    """Where this connector's orders go, and why."""
    if is_paper(name):
        base = name.removesuffix(PAPER_SUFFIX)
        listed = (
            ""
            if base in paper_exchanges
            else f"; {base} is not in paper_trade.paper_trade_exchanges, so Hummingbot refuses"
            " the name at start"
        )
        return OrdersReach.SIMULATED, (
            f"{MANAGER} builds a PaperTradeExchange for a name ending in {PAPER_SUFFIX}: orders"
            f" are filled in memory and never reach {base}{listed}"
        )
    keys = "" if can_sign else "; no keys in conf/connectors/, so Hummingbot refuses to start it"
    if is_gateway(name):
        return OrdersReach.UNKNOWN, (
            f"a Gateway connector: {MANAGER} skips the key check and Gateway signs with a wallet"
            " configured outside these files; the files cannot prove which chain or network"
            f" it uses (counted as real); {RUN_TIME}"
        )
    if name in TEST_DOMAINS:
        return OrdersReach.TEST, (
            f"a test domain of its connector (OTHER_DOMAINS in its *_utils.py): orders go to the"
            f" venue's testnet{keys}; {RUN_TIME}"
        )
    if name.endswith(TEST_SUFFIXES):
        return OrdersReach.UNKNOWN, (
            f"named like a testnet but no connector of hummingbot 2bfaccc declares this domain:"
            f" the installed version decides (counted as real){keys}; {RUN_TIME}"
        )
    return OrdersReach.REAL, (
        f"a live connector: {MANAGER} builds {name}'s own client, which sends orders to its"
        f" production API{keys}; {RUN_TIME}"
    )


# --------------------------------------------------------------------------- enforcement

UNKNOWN_SELECTION: Final = (
    "applies only if this config is the one started, and the files do not say which one is"
    " (no --config file, no data/bot/loaded.json, several configs)"
)


def strategy_enforcement(
    key: str,
    strategy: str | None,
    *,
    override: bool,
    split_levels: bool,
    inventory_skew: bool,
) -> tuple[bool | None, str | None]:
    """(enforced, why) of a V1 strategy cap."""
    if strategy not in MARKET_MAKING:
        return None, (
            f"read only for pure_market_making and perpetual_market_making; how {strategy!r}"
            " applies it was not read"
        )
    where = (
        "PureMarketMakingStrategy.c_create_base_proposal"
        if strategy == "pure_market_making"
        else "PerpetualMarketMakingStrategy.create_base_proposal"
    )
    if key in ("order_amount", "order_levels", "order_level_amount"):
        if override or split_levels:
            what = "order_override" if override else "split_order_levels_enabled"
            return False, (
                f"{what} replaces the generated levels and amounts ({where}): the orders it"
                " lists are placed instead"
            )
        if inventory_skew and strategy == "pure_market_making":
            return False, (
                "inventory_skew_enabled: c_apply_inventory_skew scales each order between 0 and"
                " 2 x this size"
            )
        note = "level n orders order_amount + n x order_level_amount"
        return True, f"{where}: {note}"
    if key in ("price_ceiling", "price_floor"):
        side = "buy at or above" if key == "price_ceiling" else "sell at or below"
        band = "c_apply_price_band" if strategy == "pure_market_making" else "apply_price_band"
        return True, f"{band}: no {side} it (0 or below: off)"
    if key == "inventory_target_base_pct":
        if not inventory_skew:
            return False, "inventory_skew_enabled is false: the strategy never reads it"
        return True, (
            "c_apply_inventory_skew: buys shrink to nothing above the target band, sells below"
        )
    return None, "not read"


def controller_enforcement(
    key: str, controller_type: str | None, controller_name: str | None
) -> tuple[bool | None, str | None]:
    """(enforced, why) of a V2 controller cap (the shipped controllers use the base classes'
    sizing; any other controller's own code decides)."""
    shipped = SHIPPED_CONTROLLERS.get(controller_type or "", frozenset())
    if controller_name not in shipped:
        return None, (
            f"controller {controller_name!r} ({controller_type}) is not one Hummingbot ships:"
            " its own code decides"
        )
    if controller_type == "market_making":
        if key == "total_amount_quote":
            return True, (
                "MarketMakingControllerConfigBase.get_spreads_and_amounts_in_quote splits it"
                " across the levels, one executor per level"
            )
        if key == "cooldown_time":
            return True, (
                "MarketMakingControllerBase.get_levels_to_execute: only a level closed by its"
                " stop loss waits this long"
            )
        return None, f"not a field of {controller_type} controllers"
    if key == "total_amount_quote":
        return True, (
            "DirectionalTradingControllerBase.create_actions_proposal: each executor gets"
            " total_amount_quote / max_executors_per_side"
        )
    return True, "DirectionalTradingControllerBase.can_create_executor"


def script_enforcement(script_file: str | None) -> tuple[bool | None, str | None]:
    if script_file == V2_CONTROLLERS_SCRIPT:
        return True, (
            "scripts/v2_with_controllers.py, control_max_drawdown: stops the controller (or"
            " every controller) once its PnL falls this far below its peak"
        )
    return None, f"read only by scripts/{V2_CONTROLLERS_SCRIPT}; {script_file!r} decides"


def client_enforcement(
    key: str, connector: str | None, used: frozenset[str], unknown: bool
) -> tuple[bool | None, str | None]:
    """(enforced, why) of a conf_client.yml cap: passed only to live connectors
    (`ConnectorManager.create_connector`)."""
    live = sorted(n for n in used if not is_paper(n))
    if connector is not None:
        if connector not in used:
            return False, f"no connector of the audited config is named {connector}"
        if is_paper(connector):
            return False, f"{MANAGER} does not pass it to paper-trade connectors"
        why = "ConnectorBase.get_available_balance caps the balance orders may use"
    elif not live:
        return False, f"{MANAGER} passes it only to live connectors, and none is used"
    else:
        why = "AsyncThrottlerBase: each rate limit is floored to this share, minimum 1"
    return (None, UNKNOWN_SELECTION) if unknown else (True, why)
