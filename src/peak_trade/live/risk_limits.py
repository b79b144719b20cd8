"""Live risk limits (Phase 71): per-order notional, total notional, minimum order size.

`live_trade_min_size` is a minimum notional in `base_currency`, like the two maximums.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec

from peak_trade.core.config import RiskConfig
from peak_trade.live.execution import Order


class ViolationCode(StrEnum):
    BELOW_MIN_SIZE = "below_min_size"
    PER_ORDER_NOTIONAL_EXCEEDED = "per_order_notional_exceeded"
    TOTAL_NOTIONAL_EXCEEDED = "total_notional_exceeded"


class Violation(msgspec.Struct, frozen=True):
    code: ViolationCode
    message: str


class RiskDecision(msgspec.Struct, frozen=True):
    """`accepted` is false when any limit is violated. `checked` is false when limits are off."""

    accepted: bool
    checked: bool
    violations: tuple[Violation, ...]
    reason: str

    @property
    def codes(self) -> tuple[ViolationCode, ...]:
        return tuple(v.code for v in self.violations)


class LiveRiskLimits:
    """Checks orders against `[live_risk]`. `source` names where the limits came from."""

    __slots__ = ("config", "source")

    def __init__(self, config: RiskConfig, source: str) -> None:
        self.config = config
        self.source = source

    @property
    def enabled(self) -> bool:
        return self.config.enabled

    def check_order(self, order: Order, open_notional: float = 0.0) -> RiskDecision:
        """Check one order given the notional already open. Reports every violated limit."""
        cfg = self.config
        if not cfg.enabled:
            return RiskDecision(
                accepted=True,
                checked=False,
                violations=(),
                reason="risk limits disabled ([live_risk] enabled = false): order not checked",
            )
        notional = order.notional
        ccy = cfg.base_currency
        violations: list[Violation] = []
        if notional < cfg.live_trade_min_size:
            violations.append(
                Violation(
                    ViolationCode.BELOW_MIN_SIZE,
                    f"notional {notional:g} {ccy} below live_trade_min_size"
                    f" {cfg.live_trade_min_size:g} {ccy}",
                )
            )
        if notional > cfg.max_live_notional_per_order:
            violations.append(
                Violation(
                    ViolationCode.PER_ORDER_NOTIONAL_EXCEEDED,
                    f"notional {notional:g} {ccy} above max_live_notional_per_order"
                    f" {cfg.max_live_notional_per_order:g} {ccy}",
                )
            )
        if open_notional + notional > cfg.max_live_notional_total:
            violations.append(
                Violation(
                    ViolationCode.TOTAL_NOTIONAL_EXCEEDED,
                    f"open {open_notional:g} + order {notional:g} {ccy} above"
                    f" max_live_notional_total {cfg.max_live_notional_total:g} {ccy}",
                )
            )
        if violations:
            return RiskDecision(
                accepted=False,
                checked=True,
                violations=tuple(violations),
                reason="; ".join(v.message for v in violations),
            )
        return RiskDecision(accepted=True, checked=True, violations=(), reason="within limits")
