"""Cap kinds (core.kinds): one row per kind, everything else derived from the rows, and each
pre-trade check against an independent oracle."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peak_trade.core.caps import EffectiveCaps
from peak_trade.core.kinds import (
    CHECKED_KINDS,
    EFFECTIVE_KINDS,
    FLOOR_KINDS,
    KIND,
    KINDS,
    CapKind,
    OrderContext,
    Unit,
    with_unit,
)
from peak_trade.core.order import Order


def test_every_kind_has_exactly_one_row() -> None:
    assert sorted(row.kind for row in KINDS) == sorted(CapKind)
    assert len({row.kind for row in KINDS}) == len(KINDS)


def test_derived_sets_follow_the_rows() -> None:
    # Hummingbot's price floor (a lower one lets the bot sell lower) and cooldown (a shorter
    # pause is looser) bind by their largest value too
    assert FLOOR_KINDS == {
        CapKind.MIN_ORDER,
        CapKind.STOPLOSS,
        CapKind.PRICE_FLOOR,
        CapKind.COOLDOWN,
    }
    assert EFFECTIVE_KINDS == (
        CapKind.PER_ORDER,
        CapKind.TOTAL,
        CapKind.PER_SYMBOL,
        CapKind.OPEN_POSITIONS,
        CapKind.DAILY_LOSS_ABS,
        CapKind.DAILY_LOSS_PCT,
        CapKind.MIN_ORDER,
    )
    # the effective-caps type has one field per effective kind, in that order
    assert EffectiveCaps.__struct_fields__ == tuple(k.value for k in EFFECTIVE_KINDS)
    assert [row.kind for row in CHECKED_KINDS] == [
        CapKind.MIN_ORDER,
        CapKind.PER_ORDER,
        CapKind.TOTAL,
        CapKind.PER_SYMBOL,
        CapKind.OPEN_POSITIONS,
    ]
    assert all(row.violation is not None for row in CHECKED_KINDS)


def test_effective_caps_stay_frozen_and_keyword_only() -> None:
    caps = EffectiveCaps(per_order=5.0)
    assert caps.of(CapKind.PER_ORDER) == 5.0 and caps.of(CapKind.TOTAL) is None
    with pytest.raises(AttributeError):
        caps.per_order = 6.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        EffectiveCaps(5.0)  # type: ignore[misc]
    assert msgspec.json.decode(msgspec.json.encode(caps), type=EffectiveCaps) == caps


def test_units_say_what_a_number_is() -> None:
    assert KIND[CapKind.OPEN_POSITIONS].unit is Unit.COUNT
    assert KIND[CapKind.DAILY_LOSS_PCT].unit is Unit.PERCENT
    assert with_unit(CapKind.PER_ORDER, 25.0, "EUR") == "25 EUR"
    assert with_unit(CapKind.OPEN_POSITIONS, 3, "EUR") == "3"  # never "3 EUR"
    assert with_unit(CapKind.DAILY_LOSS_PCT, 2.5, "EUR") == "2.5 %"
    assert with_unit(CapKind.BALANCE_RATIO, 0.9, "USDT") == "0.9"
    assert with_unit(CapKind.ORDER_SIZE, 0.002, "USDT") == "0.002"  # base-asset units
    assert with_unit(CapKind.COOLDOWN, 300, "USDT") == "300 s"


amounts = st.floats(0.01, 1e6)
symbols = st.sampled_from(["BTC/EUR", "ETH/EUR", "SOL/EUR"])


@given(
    quantity=st.floats(0.001, 100.0),
    price=st.floats(0.01, 1e5),
    open_notional=st.floats(0, 1e6),
    symbol_notional=st.floats(0, 1e6),
    symbol=symbols,
    open_symbols=st.frozensets(symbols),
    value=st.floats(0, 1e6),
    positions=st.integers(0, 4),
)
def test_each_check_breaches_exactly_when_the_oracle_says(
    quantity: float,
    price: float,
    open_notional: float,
    symbol_notional: float,
    symbol: str,
    open_symbols: frozenset[str],
    value: float,
    positions: int,
) -> None:
    order = Order(symbol=symbol, side="buy", quantity=quantity, price=price)
    notional = quantity * price
    context = OrderContext(order, open_notional, symbol_notional, open_symbols, "EUR")
    oracle = {
        CapKind.MIN_ORDER: notional < value,
        CapKind.PER_ORDER: notional > value,
        CapKind.TOTAL: open_notional + notional > value,
        CapKind.PER_SYMBOL: symbol_notional + notional > value,
        CapKind.OPEN_POSITIONS: len(open_symbols | {symbol}) > positions,
    }
    for row in CHECKED_KINDS:
        assert row.check is not None
        limit = float(positions) if row.kind is CapKind.OPEN_POSITIONS else value
        message = row.check(context, "some.key", limit)
        assert (message is not None) is oracle[row.kind], row.kind
        if message is not None:
            assert "some.key" in message
