"""Cap kinds: what a cap bounds, in which unit, in which direction, and how one order is checked
against it. Pure; imports only `core.order`.

One row per kind. Everything else derives from these rows: which kinds bind by their largest
value (a floor), which are reported in `risk.effective` (and so the fields of `EffectiveCaps`),
which keep integer values, the unit views print, and the pre-trade check `check_order` loops
over. A new cap kind is one `CapKind` member and one `KindRow` here, plus the dialect rows that
configure it.

Units follow nautilus_trader's rule that a quantity is never money: `money` is in the config's
base (or stake) currency, `quantity` in instrument units, `count` a number of things, `ratio` a
fraction (0.9 = 90 %), `percent` a percentage (3 = 3 %), `seconds` a duration.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Final

import msgspec

from peak_trade.core.order import Order


class CapKind(StrEnum):
    """What a cap bounds. The declaration order is the report order of `risk.effective`."""

    PER_ORDER = "per_order"
    TOTAL = "total"
    PER_SYMBOL = "per_symbol"
    OPEN_POSITIONS = "open_positions"
    DAILY_LOSS_ABS = "daily_loss_abs"
    DAILY_LOSS_PCT = "daily_loss_pct"
    MIN_ORDER = "min_order"
    POSITION_PCT = "position_pct"
    # freqtrade's
    BALANCE_RATIO = "balance_ratio"
    CAPITAL = "capital"
    STOPLOSS = "stoploss"
    POSITION_ADJUSTMENTS = "position_adjustments"
    PRICE_DISTANCE = "price_distance"
    # Hummingbot's
    ORDER_SIZE = "order_size"
    ORDER_SIZE_STEP = "order_size_step"
    ORDER_LEVELS = "order_levels"
    PRICE_CEILING = "price_ceiling"
    PRICE_FLOOR = "price_floor"
    INVENTORY_TARGET = "inventory_target"
    BALANCE_LIMIT = "balance_limit"
    RATE_SHARE = "rate_share"
    BUDGET = "budget"
    DRAWDOWN = "drawdown"
    EXECUTORS_PER_SIDE = "executors_per_side"
    COOLDOWN = "cooldown"
    # NautilusTrader's
    ORDER_RATE = "order_rate"  # orders (submits or modifies) per second


class Unit(StrEnum):
    MONEY = "money"
    QUANTITY = "quantity"
    COUNT = "count"
    RATIO = "ratio"
    PERCENT = "percent"
    SECONDS = "seconds"


class ViolationCode(StrEnum):
    """A breached cap, as the pre-trade check reports it."""

    BELOW_MIN_SIZE = "below_min_size"
    PER_ORDER_NOTIONAL_EXCEEDED = "per_order_notional_exceeded"
    TOTAL_NOTIONAL_EXCEEDED = "total_notional_exceeded"
    SYMBOL_EXPOSURE_EXCEEDED = "symbol_exposure_exceeded"
    OPEN_POSITIONS_EXCEEDED = "open_positions_exceeded"


class OrderContext(msgspec.Struct, frozen=True):
    """One order and what is already open when it is checked (a struct: a NamedTuple compiles
    its class from source when this module is imported, a quarter of a millisecond)."""

    order: Order
    open_notional: float
    symbol_notional: float
    open_symbols: frozenset[str]
    currency: str


#: (context, binding cap's key, its value) -> a breach message, or None when the order passes
OrderCheck = Callable[[OrderContext, str, float], "str | None"]


class KindRow(msgspec.Struct, frozen=True, kw_only=True):
    """One cap kind. `floor`: the binding cap is the largest (a minimum; lower is looser).
    `effective`: reported in `risk.effective`. `integer`: values stay integers. `check`: the
    pre-trade check of one order, with the code a breach reports (None: not checkable before
    a trade, e.g. a daily loss, which bounds realised losses)."""

    kind: CapKind
    unit: Unit
    floor: bool = False
    effective: bool = False
    integer: bool = False
    violation: ViolationCode | None = None
    check: OrderCheck | None = None


def _below_min(c: OrderContext, key: str, value: float) -> str | None:
    notional = c.order.notional
    if notional >= value:
        return None
    return f"notional {notional:g} {c.currency} below {key} {value:g} {c.currency}"


def _above_per_order(c: OrderContext, key: str, value: float) -> str | None:
    notional = c.order.notional
    if notional <= value:
        return None
    return f"notional {notional:g} {c.currency} above {key} {value:g} {c.currency}"


def _above_total(c: OrderContext, key: str, value: float) -> str | None:
    notional = c.order.notional
    if c.open_notional + notional <= value:
        return None
    return (
        f"open {c.open_notional:g} + order {notional:g} {c.currency} above"
        f" {key} {value:g} {c.currency}"
    )


def _above_per_symbol(c: OrderContext, key: str, value: float) -> str | None:
    notional = c.order.notional
    if c.symbol_notional + notional <= value:
        return None
    return (
        f"{c.order.symbol} exposure {c.symbol_notional:g} + order {notional:g} {c.currency}"
        f" above {key} {value:g} {c.currency}"
    )


def _too_many_positions(c: OrderContext, key: str, value: float) -> str | None:
    after = len(c.open_symbols | {c.order.symbol})
    if after <= value:
        return None
    return f"{after} open position(s) with {c.order.symbol} above {key} {value:g}"


#: in the order `check_order` reports violations
KINDS: Final[tuple[KindRow, ...]] = (
    KindRow(
        kind=CapKind.MIN_ORDER,
        unit=Unit.MONEY,
        floor=True,
        effective=True,
        violation=ViolationCode.BELOW_MIN_SIZE,
        check=_below_min,
    ),
    KindRow(
        kind=CapKind.PER_ORDER,
        unit=Unit.MONEY,
        effective=True,
        violation=ViolationCode.PER_ORDER_NOTIONAL_EXCEEDED,
        check=_above_per_order,
    ),
    KindRow(
        kind=CapKind.TOTAL,
        unit=Unit.MONEY,
        effective=True,
        violation=ViolationCode.TOTAL_NOTIONAL_EXCEEDED,
        check=_above_total,
    ),
    KindRow(
        kind=CapKind.PER_SYMBOL,
        unit=Unit.MONEY,
        effective=True,
        violation=ViolationCode.SYMBOL_EXPOSURE_EXCEEDED,
        check=_above_per_symbol,
    ),
    KindRow(
        kind=CapKind.OPEN_POSITIONS,
        unit=Unit.COUNT,
        effective=True,
        integer=True,
        violation=ViolationCode.OPEN_POSITIONS_EXCEEDED,
        check=_too_many_positions,
    ),
    KindRow(kind=CapKind.DAILY_LOSS_ABS, unit=Unit.MONEY, effective=True),
    KindRow(kind=CapKind.DAILY_LOSS_PCT, unit=Unit.PERCENT, effective=True),
    KindRow(kind=CapKind.POSITION_PCT, unit=Unit.RATIO),
    KindRow(kind=CapKind.BALANCE_RATIO, unit=Unit.RATIO),
    KindRow(kind=CapKind.CAPITAL, unit=Unit.MONEY),
    # a stoploss is negative, and a more negative one allows a larger loss
    KindRow(kind=CapKind.STOPLOSS, unit=Unit.RATIO, floor=True),
    KindRow(kind=CapKind.POSITION_ADJUSTMENTS, unit=Unit.COUNT, integer=True),
    KindRow(kind=CapKind.PRICE_DISTANCE, unit=Unit.RATIO),
    # Hummingbot's: an order's size in base-asset units, its increment per level, the levels
    KindRow(kind=CapKind.ORDER_SIZE, unit=Unit.QUANTITY),
    KindRow(kind=CapKind.ORDER_SIZE_STEP, unit=Unit.QUANTITY),
    KindRow(kind=CapKind.ORDER_LEVELS, unit=Unit.COUNT, integer=True),
    # a price band: no buy at or above the ceiling; no sell at or below the floor (a lower
    # floor lets the bot sell lower)
    KindRow(kind=CapKind.PRICE_CEILING, unit=Unit.MONEY),
    KindRow(kind=CapKind.PRICE_FLOOR, unit=Unit.MONEY, floor=True),
    KindRow(kind=CapKind.INVENTORY_TARGET, unit=Unit.PERCENT),
    KindRow(kind=CapKind.BALANCE_LIMIT, unit=Unit.QUANTITY),
    KindRow(kind=CapKind.RATE_SHARE, unit=Unit.PERCENT),
    KindRow(kind=CapKind.BUDGET, unit=Unit.MONEY),
    KindRow(kind=CapKind.DRAWDOWN, unit=Unit.MONEY),
    KindRow(kind=CapKind.EXECUTORS_PER_SIDE, unit=Unit.COUNT, integer=True),
    # a minimum pause between trades: a shorter one is looser
    KindRow(kind=CapKind.COOLDOWN, unit=Unit.SECONDS, floor=True, integer=True),
    KindRow(kind=CapKind.ORDER_RATE, unit=Unit.COUNT),
)
KIND: Final = {row.kind: row for row in KINDS}
#: kinds whose binding value is the largest configured one
FLOOR_KINDS: Final = frozenset(row.kind for row in KINDS if row.floor)
#: kinds reported in `risk.effective` (DESIGN §5), in `CapKind` order
EFFECTIVE_KINDS: Final = tuple(kind for kind in CapKind if KIND[kind].effective)
#: kinds the pre-trade check of one order applies, in report order
CHECKED_KINDS: Final = tuple(row for row in KINDS if row.check is not None)


def with_unit(kind: CapKind, value: float | int, currency: str) -> str:
    """A cap value as views print it: money with its currency, a percentage with `%`, a
    count, quantity or ratio as the bare number."""
    unit = KIND[kind].unit
    if unit is Unit.MONEY:
        return f"{value:g} {currency}"
    if unit is Unit.PERCENT:
        return f"{value:g} %"
    if unit is Unit.SECONDS:
        return f"{value:g} s"
    return f"{value:g}"
