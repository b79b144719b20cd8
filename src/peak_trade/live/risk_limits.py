"""Live risk limits (Phase 71): every configured cap an order can breach, checked at once.

An order is checked against the binding cap of each kind that has a pre-trade check
(`core.kinds`): minimum order, per order, total exposure, per-symbol exposure, open positions.
Daily-loss caps bound realised losses, which a pre-trade check of one order cannot see: they
are reported, not simulated.
Every violated cap is a `Violation` naming its key and value; with `block_on_violation = false`
a breach is reported as a warning and the order is accepted, as Peak_Trade does.
"""

from __future__ import annotations

import msgspec

from peak_trade.core.caps import ConfiguredCap, binding, counting
from peak_trade.core.environment import LiveRiskConfig
from peak_trade.core.kinds import CHECKED_KINDS, KIND, CapKind, OrderContext, ViolationCode
from peak_trade.core.order import Order
from peak_trade.core.registry import CAPS

__all__ = [
    "LiveRiskConfig",
    "LiveRiskLimits",
    "RiskDecision",
    "Violation",
    "ViolationCode",
    "caps_of_risk_config",
]


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
                ConfiguredCap(
                    kind=row.kind,
                    unit=KIND[row.kind].unit,
                    key=row.key,
                    value=float(value),
                    source=source,
                    enforced=True,  # this checker applies every cap it holds
                )
            )
    return caps


class LiveRiskLimits:
    """Checks orders against configured caps.

    `LiveRiskLimits(config)` is Peak_Trade's call form: the caps of one `[live_risk]` table.
    `LiveRiskLimits.for_caps(...)` takes the caps of a loaded config that its system enforces
    (the others bind nothing, so an order never meets them).
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
        source: str | None = None,
    ) -> LiveRiskLimits:
        limits = cls(config, source)
        limits.caps = tuple(counting(caps))
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
        context = OrderContext(
            order=order,
            open_notional=open_notional,
            symbol_notional=symbol_notional,
            open_symbols=open_symbols,
            currency=cfg.base_currency,
        )
        violations: list[Violation] = []
        for row in CHECKED_KINDS:
            cap = self._binding[row.kind]
            if cap is None or cap.value is None or row.check is None or row.violation is None:
                continue
            breach = row.check(context, cap.key, cap.value)
            if breach is not None:
                violations.append(Violation(row.violation, breach))
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
