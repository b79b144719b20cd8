"""Live risk limits (Phase 71): every configured cap an order can breach, checked at once.

An order is checked against the binding cap of each kind (`core.caps`): per order, total
exposure, per-symbol exposure, open positions, minimum order. Daily-loss caps bound realised
losses, which a pre-trade check of one order cannot see: they are reported, not simulated.
Every violated cap is a `Violation` naming its key and value; with `block_on_violation = false`
a breach is reported as a warning and the order is accepted, as Peak_Trade does.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec

from peak_trade.core.caps import ConfiguredCap, binding, counting
from peak_trade.core.environment import LiveRiskConfig
from peak_trade.core.order import Order
from peak_trade.core.registry import CAPS, CapKind

__all__ = [
    "LiveRiskConfig",
    "LiveRiskLimits",
    "RiskDecision",
    "Violation",
    "ViolationCode",
    "caps_of_risk_config",
]


class ViolationCode(StrEnum):
    BELOW_MIN_SIZE = "below_min_size"
    PER_ORDER_NOTIONAL_EXCEEDED = "per_order_notional_exceeded"
    TOTAL_NOTIONAL_EXCEEDED = "total_notional_exceeded"
    SYMBOL_EXPOSURE_EXCEEDED = "symbol_exposure_exceeded"
    OPEN_POSITIONS_EXCEEDED = "open_positions_exceeded"


class Violation(msgspec.Struct, frozen=True):
    code: ViolationCode
    message: str


class RiskDecision(msgspec.Struct, frozen=True):
    """`accepted` is false when a cap is violated and violations block. `checked` is false
    when limits are off."""

    accepted: bool
    checked: bool
    violations: tuple[Violation, ...]
    reason: str

    @property
    def codes(self) -> tuple[ViolationCode, ...]:
        return tuple(v.code for v in self.violations)


def caps_of_risk_config(config: LiveRiskConfig, source: str | None = None) -> list[ConfiguredCap]:
    """The caps a `LiveRiskConfig` carries (Peak_Trade's call form holds no other table)."""
    caps = []
    for row in CAPS:
        if row.table != "live_risk":
            continue
        value = getattr(config, row.field)
        if value is not None:
            caps.append(
                ConfiguredCap(kind=row.kind, key=row.key, value=float(value), source=source)
            )
    return caps


class LiveRiskLimits:
    """Checks orders against configured caps.

    `LiveRiskLimits(config)` is Peak_Trade's call form: the caps of one `[live_risk]` table.
    `LiveRiskLimits.for_caps(...)` takes every configured cap of a loaded config (both Phase 71
    tables, `[live_risk]`, enabled bounded-live caps).
    """

    __slots__ = ("_binding", "caps", "config", "source")

    def __init__(self, config: LiveRiskConfig, source: str | None = None) -> None:
        if not isinstance(config, LiveRiskConfig):
            raise TypeError("LiveRiskLimits takes a LiveRiskConfig")
        self.config = config
        self.source = source
        self.caps: tuple[ConfiguredCap, ...] = tuple(caps_of_risk_config(config, source))
        self._binding = {kind: binding(self.caps, kind) for kind in CapKind}

    @classmethod
    def for_caps(
        cls,
        config: LiveRiskConfig,
        caps: tuple[ConfiguredCap, ...],
        *,
        bounded_live_enabled: bool,
        source: str | None = None,
    ) -> LiveRiskLimits:
        limits = cls(config, source)
        limits.caps = tuple(counting(caps, bounded_live_enabled))
        limits._binding = {kind: binding(limits.caps, kind) for kind in CapKind}
        return limits

    @property
    def enabled(self) -> bool:
        return self.config.enabled

    def binding_cap(self, kind: CapKind) -> ConfiguredCap | None:
        return self._binding[kind]

    def check_order(
        self,
        order: Order,
        open_notional: float = 0.0,
        *,
        symbol_notional: float = 0.0,
        open_symbols: frozenset[str] = frozenset(),
    ) -> RiskDecision:
        """Check one order given what is already open. Reports every violated cap."""
        cfg = self.config
        if not cfg.enabled:
            return RiskDecision(
                accepted=True,
                checked=False,
                violations=(),
                reason="risk limits disabled (live_risk.enabled = false): order not checked",
            )
        notional = order.notional
        ccy = cfg.base_currency
        violations: list[Violation] = []

        def cap(kind: CapKind) -> ConfiguredCap | None:
            found = self._binding[kind]
            return found if found is not None and found.value is not None else None

        floor = cap(CapKind.MIN_ORDER)
        if floor is not None and floor.value is not None and notional < floor.value:
            violations.append(
                Violation(
                    ViolationCode.BELOW_MIN_SIZE,
                    f"notional {notional:g} {ccy} below {floor.key} {floor.value:g} {ccy}",
                )
            )
        per_order = cap(CapKind.PER_ORDER)
        if per_order is not None and per_order.value is not None and notional > per_order.value:
            violations.append(
                Violation(
                    ViolationCode.PER_ORDER_NOTIONAL_EXCEEDED,
                    f"notional {notional:g} {ccy} above {per_order.key} {per_order.value:g} {ccy}",
                )
            )
        total = cap(CapKind.TOTAL)
        if total is not None and total.value is not None and open_notional + notional > total.value:
            violations.append(
                Violation(
                    ViolationCode.TOTAL_NOTIONAL_EXCEEDED,
                    f"open {open_notional:g} + order {notional:g} {ccy} above"
                    f" {total.key} {total.value:g} {ccy}",
                )
            )
        per_symbol = cap(CapKind.PER_SYMBOL)
        if (
            per_symbol is not None
            and per_symbol.value is not None
            and symbol_notional + notional > per_symbol.value
        ):
            violations.append(
                Violation(
                    ViolationCode.SYMBOL_EXPOSURE_EXCEEDED,
                    f"{order.symbol} exposure {symbol_notional:g} + order {notional:g} {ccy}"
                    f" above {per_symbol.key} {per_symbol.value:g} {ccy}",
                )
            )
        positions = cap(CapKind.OPEN_POSITIONS)
        if positions is not None and positions.value is not None:
            after = len(open_symbols | {order.symbol})
            if after > positions.value:
                violations.append(
                    Violation(
                        ViolationCode.OPEN_POSITIONS_EXCEEDED,
                        f"{after} open position(s) with {order.symbol} above"
                        f" {positions.key} {positions.value:g}",
                    )
                )
        if not violations:
            return RiskDecision(accepted=True, checked=True, violations=(), reason="within limits")
        reason = "; ".join(v.message for v in violations)
        if not cfg.block_on_violation:
            return RiskDecision(
                accepted=True,
                checked=True,
                violations=tuple(violations),
                reason=f"WARNING only (live_risk.block_on_violation = false): {reason}",
            )
        return RiskDecision(
            accepted=False, checked=True, violations=tuple(violations), reason=reason
        )
