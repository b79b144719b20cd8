"""Every configured cap binds; the smallest of each kind is the effective one; adding a cap
never loosens a decision; each violation names its cap and value; decisions are immutable."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peak_trade.core.caps import ConfiguredCap, EffectiveCaps, effective_caps
from peak_trade.core.environment import EnvironmentConfig, LiveRiskConfig
from peak_trade.core.kinds import KIND, Unit
from peak_trade.core.order import Order
from peak_trade.core.registry import CAPS, FLOOR_KINDS, CapKind, CapRow
from peak_trade.live.risk_limits import LiveRiskLimits, RiskDecision, Violation, ViolationCode
from peak_trade.live.safety import Blocker, BlockerCode, Verdict, evaluate_gates


def order(notional: float, symbol: str = "BTC/EUR") -> Order:
    return Order(symbol=symbol, side="buy", quantity=1.0, price=notional)


def limits(**caps: float) -> LiveRiskLimits:
    return LiveRiskLimits(LiveRiskConfig(**caps))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("caps", "probe", "code", "text"),
    [
        (
            {"max_order_notional": 25.0},
            {"notional": 30.0},
            ViolationCode.PER_ORDER_NOTIONAL_EXCEEDED,
            "notional 30 EUR above live_risk.max_order_notional 25 EUR",
        ),
        (
            {"max_live_notional_per_order": 40.0},
            {"notional": 41.0},
            ViolationCode.PER_ORDER_NOTIONAL_EXCEEDED,
            "notional 41 EUR above live_risk.max_live_notional_per_order 40 EUR",
        ),
        (
            {"max_total_exposure_notional": 500.0},
            {"notional": 20.0, "open_notional": 490.0},
            ViolationCode.TOTAL_NOTIONAL_EXCEEDED,
            "open 490 + order 20 EUR above live_risk.max_total_exposure_notional 500 EUR",
        ),
        (
            {"max_symbol_exposure_notional": 100.0},
            {"notional": 20.0, "symbol_notional": 90.0},
            ViolationCode.SYMBOL_EXPOSURE_EXCEEDED,
            "BTC/EUR exposure 90 + order 20 EUR above live_risk.max_symbol_exposure_notional"
            " 100 EUR",
        ),
        (
            {"max_open_positions": 1},
            {"notional": 20.0, "open_symbols": frozenset({"ETH/EUR"})},
            ViolationCode.OPEN_POSITIONS_EXCEEDED,
            "2 open position(s) with BTC/EUR above live_risk.max_open_positions 1",
        ),
        (
            {"live_trade_min_size": 10.0},
            {"notional": 9.5},
            ViolationCode.BELOW_MIN_SIZE,
            "notional 9.5 EUR below live_risk.live_trade_min_size 10 EUR",
        ),
    ],
)
def test_each_violation_names_its_cap_and_value(
    caps: dict[str, float], probe: dict[str, object], code: ViolationCode, text: str
) -> None:
    notional = probe.pop("notional")
    assert isinstance(notional, float)
    decision = limits(**caps).check_order(order(notional), **probe)  # type: ignore[arg-type]
    assert decision.accepted is False and decision.checked is True
    assert decision.violations == (Violation(code, text),)


def test_an_existing_symbol_does_not_count_as_a_new_position() -> None:
    decision = limits(max_open_positions=1).check_order(
        order(5.0), open_symbols=frozenset({"BTC/EUR"})
    )
    assert decision.accepted is True


def test_no_cap_configured_accepts_anything() -> None:
    decision = limits().check_order(order(1e12), 1e12, symbol_notional=1e12)
    assert (decision.accepted, decision.violations) == (True, ())


def test_warn_only_accepts_but_reports() -> None:
    config = LiveRiskConfig(max_order_notional=10.0, block_on_violation=False)
    decision = LiveRiskLimits(config).check_order(order(11.0))
    assert decision.accepted is True
    assert decision.checked is True  # checked, and reported: only not blocking
    assert decision.codes == (ViolationCode.PER_ORDER_NOTIONAL_EXCEEDED,)
    assert decision.reason.startswith("WARNING only (live_risk.block_on_violation = false)")


def test_decisions_blockers_and_verdicts_are_immutable() -> None:
    decision = limits(max_order_notional=1.0).check_order(order(2.0))
    verdict = evaluate_gates(EnvironmentConfig())
    values: list[msgspec.Struct] = [
        decision,
        decision.violations[0],
        verdict,
        verdict.blockers[0],
        order(1.0),
        EnvironmentConfig(),
        LiveRiskConfig(),
        _cap("live_risk.max_total_exposure_notional", 1.0),
        effective_caps([]),
    ]
    for value in values:
        field = type(value).__struct_fields__[0]
        with pytest.raises(AttributeError):
            setattr(value, field, None)
    assert isinstance(verdict.blockers, tuple) and isinstance(decision.violations, tuple)
    assert isinstance(RiskDecision.__struct_config__.frozen, bool)
    assert all(
        t.__struct_config__.frozen for t in (RiskDecision, Violation, Verdict, Blocker, Order)
    )
    assert verdict.blockers[0].code is BlockerCode.MODE_NOT_LIVE


# --------------------------------------------------------------------------- properties

cap_rows = st.sampled_from([r for r in CAPS if r.kind is not CapKind.POSITION_PCT])
cap_values = st.floats(min_value=0.0, max_value=1e9, allow_nan=False, allow_infinity=False)


def _built(row: CapRow, value: float, enforced: bool | None = True) -> ConfiguredCap:
    return ConfiguredCap(
        kind=row.kind,
        unit=KIND[row.kind].unit,
        key=row.key,
        value=value,
        enforced=enforced,
        enforcement=None if enforced is True else "a reason",
    )


caps_lists = st.lists(
    st.builds(_built, cap_rows, cap_values, st.sampled_from([True, False, None])),
    max_size=12,
    unique_by=lambda c: c.key,
)


@given(caps=caps_lists)
def test_the_effective_cap_of_each_kind_is_the_min_of_the_enforced_ones(
    caps: list[ConfiguredCap],
) -> None:
    from peak_trade.core.registry import EFFECTIVE_KINDS

    effective = effective_caps(caps)
    for kind in EFFECTIVE_KINDS:
        counted = [c.value for c in caps if c.kind is kind and c.enforced is True]
        expected = None if not counted else (max if kind in FLOOR_KINDS else min)(counted)
        assert effective.of(kind) == expected


@given(
    caps=caps_lists,
    extra=st.builds(_built, cap_rows, cap_values),
    notional=st.floats(min_value=0.01, max_value=1e9),
    open_notional=st.floats(min_value=0.0, max_value=1e9),
)
def test_adding_a_cap_never_loosens_a_decision(
    caps: list[ConfiguredCap], extra: ConfiguredCap, notional: float, open_notional: float
) -> None:
    config = LiveRiskConfig()
    before = LiveRiskLimits.for_caps(config, tuple(caps))
    after = LiveRiskLimits.for_caps(config, (*(c for c in caps if c.key != extra.key), extra))
    if any(c.key == extra.key for c in caps):
        return  # replacing a value is a change, not an addition
    probe = order(notional)
    old = before.check_order(probe, open_notional)
    new = after.check_order(probe, open_notional)
    assert set(old.codes) <= set(new.codes)
    assert not (new.accepted and not old.accepted)


def test_nothing_is_open_unless_the_caller_says_so() -> None:
    """The defaults of check_order: no open exposure, no exposure in the symbol, no positions."""
    caps = limits(
        max_total_exposure_notional=10.0, max_symbol_exposure_notional=10.0, max_open_positions=1
    )
    assert caps.check_order(order(9.5)).accepted is True
    assert caps.check_order(order(10.0)).accepted is True  # exactly at both caps
    assert caps.check_order(order(10.01)).codes == (
        ViolationCode.TOTAL_NOTIONAL_EXCEEDED,
        ViolationCode.SYMBOL_EXPOSURE_EXCEEDED,
    )


def test_caps_are_keyword_only_and_value_xor_unlimited() -> None:
    with pytest.raises(TypeError):
        ConfiguredCap(CapKind.TOTAL, "k", 1.0)  # type: ignore[misc]
    with pytest.raises(TypeError):
        EffectiveCaps(1.0)  # type: ignore[misc]
    money = Unit.MONEY
    with pytest.raises(ValueError, match="exactly when"):
        ConfiguredCap(kind=CapKind.TOTAL, unit=money, key="k", value=None, enforced=True)
    with pytest.raises(ValueError, match="exactly when"):
        ConfiguredCap(
            kind=CapKind.TOTAL, unit=money, key="k", value=1.0, unlimited=True, enforced=True
        )


@pytest.mark.parametrize("enforced", [False, None])
def test_a_cap_that_is_not_enforced_must_say_why(enforced: bool | None) -> None:
    with pytest.raises(ValueError, match="says why"):
        ConfiguredCap(kind=CapKind.TOTAL, unit=Unit.MONEY, key="k", value=1.0, enforced=enforced)
    cap = ConfiguredCap(
        kind=CapKind.TOTAL, unit=Unit.MONEY, key="k", value=1.0, enforced=enforced, enforcement="x"
    )
    assert effective_caps([cap]).total is None  # a cap the system never applies binds nothing


def _cap(key: str, value: float | None) -> ConfiguredCap:
    from peak_trade.core.registry import CAP

    kind = CAP[key].kind
    return ConfiguredCap(
        kind=kind,
        unit=KIND[kind].unit,
        key=key,
        value=value,
        unlimited=value is None,
        enforced=True,
    )


def test_an_unlimited_cap_never_hides_a_limited_one() -> None:
    from peak_trade.core.caps import binding

    unlimited = _cap("live_risk.max_order_notional", None)
    limited = _cap("live_risk.max_live_notional_per_order", 40.0)
    assert binding([unlimited, limited], CapKind.PER_ORDER) is limited
    assert binding([limited, unlimited], CapKind.PER_ORDER) is limited
    assert binding([unlimited], CapKind.PER_ORDER) is unlimited  # only unlimited: it binds
    assert effective_caps([unlimited]).per_order is None
    assert effective_caps([unlimited, limited]).per_order == 40.0
    assert binding([limited], CapKind.TOTAL) is None
