"""Order routing (Phase 71): guard -> risk limits -> simulated executor.

This build contains no exchange transport. Every executor here is a simulation; nothing in
this package opens a network connection. `REAL_ORDER_TRANSPORT` records that fact for the audit.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, Protocol

import msgspec

from peak_trade.core.order import Order
from peak_trade.live.risk_limits import LiveRiskLimits
from peak_trade.live.safety import EffectiveMode, SafetyGuard

__all__ = ["REAL_ORDER_TRANSPORT", "ExecutionReport", "Fill", "Order", "Step", "submit"]

REAL_ORDER_TRANSPORT: Final = False


class Step(StrEnum):
    """Which step of the submit path decided an order's fate."""

    GUARD = "guard"
    RISK_LIMITS = "risk_limits"
    EXECUTOR = "executor"


class Fill(msgspec.Struct, frozen=True):
    executor: str
    simulated: bool
    order: Order


class Executor(Protocol):
    name: str

    def execute(self, order: Order) -> Fill: ...


class _SimulatedExecutor:
    """Records the order as filled without sending it anywhere."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def execute(self, order: Order) -> Fill:
        return Fill(executor=self.name, simulated=True, order=order)


PAPER_EXECUTOR: Final = _SimulatedExecutor("paper")
TESTNET_DRY_RUN_EXECUTOR: Final = _SimulatedExecutor("testnet_dry_run")
# testnet_dry_run = false: a real system would send the order to a testnet venue
TESTNET_EXECUTOR: Final = _SimulatedExecutor("testnet")
LIVE_DRY_RUN_EXECUTOR: Final = _SimulatedExecutor("live_dry_run")

# With every gate open a real system would hand the order to an exchange transport. This build
# has none, so a fully open live order is simulated too (and the audit says real orders are
# impossible).
EXECUTOR_FOR_MODE: Final[dict[EffectiveMode, Executor]] = {
    EffectiveMode.PAPER: PAPER_EXECUTOR,
    EffectiveMode.TESTNET_DRY_RUN: TESTNET_DRY_RUN_EXECUTOR,
    EffectiveMode.TESTNET: TESTNET_EXECUTOR,
    EffectiveMode.LIVE_DRY_RUN: LIVE_DRY_RUN_EXECUTOR,
    EffectiveMode.LIVE: LIVE_DRY_RUN_EXECUTOR,
}


class ExecutionReport(msgspec.Struct, frozen=True, kw_only=True):
    """What happened to one submitted order, and which step decided it."""

    decided_by: Step
    accepted: bool
    codes: tuple[str, ...]
    message: str
    fill: Fill | None = None


def submit(
    order: Order,
    guard: SafetyGuard,
    limits: LiveRiskLimits,
    *,
    open_notional: float = 0.0,
    symbol_notional: float = 0.0,
    open_symbols: frozenset[str] = frozenset(),
) -> ExecutionReport:
    """The one path an order takes: guard, then risk limits, then a simulated executor."""
    verdict = guard.verdict
    if not guard.may_place_order():
        return ExecutionReport(
            decided_by=Step.GUARD,
            accepted=False,
            codes=tuple(code.value for code in verdict.codes),
            message="live execution blocked: " + ", ".join(verdict.codes),
        )
    decision = limits.check_order(
        order, open_notional, symbol_notional=symbol_notional, open_symbols=open_symbols
    )
    if not decision.accepted:
        return ExecutionReport(
            decided_by=Step.RISK_LIMITS,
            accepted=False,
            codes=tuple(c.value for c in decision.codes),
            message=decision.reason,
        )
    fill = EXECUTOR_FOR_MODE[verdict.effective_mode].execute(order)
    return ExecutionReport(
        decided_by=Step.EXECUTOR,
        accepted=True,
        codes=(fill.executor,),
        message=f"simulated fill by {fill.executor} executor ({decision.reason})",
        fill=fill,
    )
