from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peak_trade.core.environment import LiveRiskConfig as RiskConfig
from peak_trade.live.execution import Order
from peak_trade.live.risk_limits import LiveRiskLimits, ViolationCode

LIMITS = LiveRiskLimits(
    RiskConfig(
        max_live_notional_per_order=1000.0, max_live_notional_total=5000.0, live_trade_min_size=10.0
    ),
    source="config.toml",
)


def order(notional: float) -> Order:
    return Order(symbol="BTC/EUR", side="buy", quantity=1.0, price=notional)


@pytest.mark.parametrize(
    ("notional", "open_notional", "codes"),
    [
        (500.0, 0.0, []),
        (10.0, 0.0, []),  # the minimum itself passes
        (1000.0, 4000.0, []),  # both maximums exactly reached pass
        (9.99, 0.0, [ViolationCode.BELOW_MIN_SIZE]),
        (1000.01, 0.0, [ViolationCode.PER_ORDER_NOTIONAL_EXCEEDED]),
        (600.0, 4500.0, [ViolationCode.TOTAL_NOTIONAL_EXCEEDED]),
        (
            6000.0,
            0.0,
            [ViolationCode.PER_ORDER_NOTIONAL_EXCEEDED, ViolationCode.TOTAL_NOTIONAL_EXCEEDED],
        ),
        (5.0, 4999.0, [ViolationCode.BELOW_MIN_SIZE, ViolationCode.TOTAL_NOTIONAL_EXCEEDED]),
    ],
)
def test_every_violated_limit_is_reported(
    notional: float, open_notional: float, codes: list[ViolationCode]
) -> None:
    decision = LIMITS.check_order(order(notional), open_notional)
    assert list(decision.codes) == codes
    assert decision.accepted is (not codes)
    assert decision.checked is True
    for violation in decision.violations:
        assert violation.message in decision.reason
        assert "EUR" in violation.message


def test_disabled_limits_are_reported_as_unchecked_not_as_infinite() -> None:
    off = LiveRiskLimits(RiskConfig(enabled=False), source="config.toml")
    decision = off.check_order(order(1e12), open_notional=1e12)
    assert decision.accepted is True
    assert decision.checked is False
    assert "disabled" in decision.reason
    assert off.enabled is False


@given(
    notional=st.floats(min_value=0.01, max_value=1e7),
    open_notional=st.floats(min_value=0, max_value=1e7),
)
def test_acceptance_matches_the_three_inequalities(notional: float, open_notional: float) -> None:
    decision = LIMITS.check_order(order(notional), open_notional)
    expected = 10.0 <= notional <= 1000.0 and open_notional + notional <= 5000.0
    assert decision.accepted is expected


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_orders_need_positive_finite_quantity_and_price(bad: float) -> None:
    with pytest.raises(ValueError, match="quantity"):
        Order(symbol="X", side="buy", quantity=bad, price=1.0)
    with pytest.raises(ValueError, match="price"):
        Order(symbol="X", side="buy", quantity=1.0, price=bad)
