"""Dry-run drills A-G (Phase 73): prove that each gate blocks what it should.

Each scenario is data: the in-memory gate settings it applies to the loaded config, the orders it
submits, and the outcome it expects for each. The runner copies the loaded config (it is
immutable), submits every order through the one `submit` path (guard -> risk limits -> simulated
executor) and compares. A drill never writes a file, opens a socket or changes the loaded config.

Scenarios that need a valid confirm token get a fresh random token and its digest in memory:
the operator's real token is never used, and its absence cannot make a drill fail.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from typing import Final, Literal

import msgspec

from peak_trade.core.digest import sha256_hex
from peak_trade.core.environment import EnvironmentConfig, TradingEnvironment
from peak_trade.core.loaded import LoadedConfig, peak_trade_settings
from peak_trade.core.order import Order
from peak_trade.core.registry import CapKind
from peak_trade.core.secret import Secret
from peak_trade.errors import PeakTradeError
from peak_trade.live.execution import ExecutionReport, Step, submit
from peak_trade.live.risk_limits import LiveRiskLimits
from peak_trade.live.safety import SafetyGuard

OrderSize = Literal["small", "above_per_order", "exceeds_total"]


class Outcome(msgspec.Struct, frozen=True, kw_only=True):
    """What happened (or should happen) to one drill order.

    `decided_by` is the step that decided; `codes` are the blocker codes (guard), the violated
    limits (risk_limits) or the executor's name (executor). `live_blockers` is every blocker of
    the scenario's verdict, whichever step decided.
    """

    decided_by: Step
    codes: tuple[str, ...]
    live_blockers: tuple[str, ...]

    def satisfied_by(self, observed: Outcome) -> bool:
        """Same step and verdict; for risk limits, the expected violations are among those seen
        (an order far above one limit may break another too)."""
        if self.decided_by != observed.decided_by or self.live_blockers != observed.live_blockers:
            return False
        if self.decided_by is Step.RISK_LIMITS:
            return set(self.codes) <= set(observed.codes)
        return self.codes == observed.codes

    def short(self) -> str:
        """`step:codes`, e.g. `guard:gate2_not_armed` or `executor:live_dry_run`."""
        return f"{self.decided_by.value}:{','.join(self.codes)}"

    def describe(self) -> str:
        verb = {Step.GUARD: "blocked by guard", Step.RISK_LIMITS: "rejected by risk limits"}
        head = verb.get(self.decided_by, "simulated by executor")
        blockers = ",".join(self.live_blockers) or "none"
        return f"{head} [{','.join(self.codes)}] (live blockers: {blockers})"


class DrillOrder(msgspec.Struct, frozen=True):
    size: OrderSize
    expected: Outcome


class Scenario(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    mode: TradingEnvironment
    enable_live_trading: bool
    live_mode_armed: bool
    live_dry_run_mode: bool
    token_supplied: bool  # a fresh valid token in memory, or none at all
    orders: tuple[DrillOrder, ...]
    testnet_dry_run: bool = True  # drill F proves testnet is not live, with its dry-run


# One drill as the snapshot reports it (`drills.results`); no docstring, which would become
# the schema's description of a type schema 2 already published without one.
class LiveAuditDrillResult(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    passed: bool
    expected: tuple[Outcome, ...]
    observed: tuple[Outcome, ...]


class DrillResult(LiveAuditDrillResult, frozen=True, kw_only=True):
    """One drill of a run, with its duration (shown by `peak-trade drills`, never archived:
    a snapshot must not change with the machine's speed)."""

    duration_ms: float

    def reported(self) -> LiveAuditDrillResult:
        return LiveAuditDrillResult(
            id=self.id,
            name=self.name,
            passed=self.passed,
            expected=self.expected,
            observed=self.observed,
        )


class DrillRun(msgspec.Struct, frozen=True, kw_only=True):
    """All drills of one run. `executable` is false when the config could not be loaded."""

    executable: bool
    results: tuple[DrillResult, ...]
    reason: str = ""

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def failed(self) -> int:
        return len(self.results) - self.passed


def _outcome(step: Step, codes: Sequence[str], live_blockers: Sequence[str]) -> Outcome:
    return Outcome(decided_by=step, codes=tuple(codes), live_blockers=tuple(live_blockers))


_LIVE = TradingEnvironment.LIVE
_DRY: Final = "dry_run_active"
_MODE: Final = "mode_not_live"

SCENARIOS: Final[tuple[Scenario, ...]] = (
    Scenario(
        id="A",
        name="A - Voll gebremst (Default-Safety)",
        mode=_LIVE,
        enable_live_trading=False,
        live_mode_armed=False,
        live_dry_run_mode=True,
        token_supplied=False,
        orders=(
            DrillOrder(
                "small",
                _outcome(
                    Step.EXECUTOR,
                    ["live_dry_run"],
                    ["gate1_disabled", "gate2_not_armed", _DRY, "confirm_token_missing"],
                ),
            ),
        ),
    ),
    Scenario(
        id="B",
        name="B - Gate 1 ok, Gate 2 fehlt",
        mode=_LIVE,
        enable_live_trading=True,
        live_mode_armed=False,
        live_dry_run_mode=False,
        token_supplied=True,
        orders=(
            DrillOrder("small", _outcome(Step.GUARD, ["gate2_not_armed"], ["gate2_not_armed"])),
        ),
    ),
    Scenario(
        id="C",
        name="C - Alles armed, aber Dry-Run aktiv",
        mode=_LIVE,
        enable_live_trading=True,
        live_mode_armed=True,
        live_dry_run_mode=True,
        token_supplied=True,
        orders=(DrillOrder("small", _outcome(Step.EXECUTOR, ["live_dry_run"], [_DRY])),),
    ),
    Scenario(
        id="D",
        name="D - Confirm-Token fehlt",
        mode=_LIVE,
        enable_live_trading=True,
        live_mode_armed=True,
        live_dry_run_mode=False,
        token_supplied=False,
        orders=(
            DrillOrder(
                "small",
                _outcome(Step.GUARD, ["confirm_token_missing"], ["confirm_token_missing"]),
            ),
        ),
    ),
    Scenario(
        id="E",
        name="E - Risk-Limits schlagen an (Design)",
        mode=_LIVE,
        enable_live_trading=True,
        live_mode_armed=True,
        live_dry_run_mode=True,
        token_supplied=True,
        orders=(
            DrillOrder(
                "above_per_order",
                _outcome(Step.RISK_LIMITS, ["per_order_notional_exceeded"], [_DRY]),
            ),
            DrillOrder(
                "exceeds_total", _outcome(Step.RISK_LIMITS, ["total_notional_exceeded"], [_DRY])
            ),
        ),
    ),
    Scenario(
        id="F",
        name="F - Nicht-Live-Modus (Testnet)",
        mode=TradingEnvironment.TESTNET,
        enable_live_trading=True,
        live_mode_armed=True,
        live_dry_run_mode=False,
        token_supplied=True,
        orders=(DrillOrder("small", _outcome(Step.EXECUTOR, ["testnet_dry_run"], [_MODE])),),
    ),
    Scenario(
        id="G",
        name="G - Paper-Modus",
        mode=TradingEnvironment.PAPER,
        enable_live_trading=True,
        live_mode_armed=True,
        live_dry_run_mode=False,
        token_supplied=True,
        orders=(DrillOrder("small", _outcome(Step.EXECUTOR, ["paper"], [_MODE])),),
    ),
)

SCENARIO_IDS: Final = tuple(s.id for s in SCENARIOS)


def get_default_live_drill_scenarios() -> list[Scenario]:
    """The seven scenarios A-G (Peak_Trade's name for this list); each has `.name`."""
    return list(SCENARIOS)


SCENARIO_NAMES: Final = tuple(s.name for s in SCENARIOS)
#: an English gloss of each seed name (the names stay the seed's: reports and archives use them)
SCENARIO_GLOSS: Final = {
    "A": "fully braked: the safe defaults",
    "B": "Gate 1 open, Gate 2 missing",
    "C": "everything armed, but dry-run on",
    "D": "confirm token missing",
    "E": "risk limits trigger (by design)",
    "F": "not live mode (testnet)",
    "G": "paper mode",
}


def _scenario_environment(base: EnvironmentConfig, scenario: Scenario) -> EnvironmentConfig:
    """The loaded environment with the scenario's gates applied (a new value; base untouched)."""
    token: Secret | None = None
    digest = base.confirm_token_sha256
    if scenario.token_supplied:
        token = Secret(os.urandom(16).hex())
        digest = Secret(sha256_hex(token.reveal().encode()))
    return msgspec.structs.replace(
        base,
        environment=scenario.mode,
        enable_live_trading=scenario.enable_live_trading,
        live_mode_armed=scenario.live_mode_armed,
        live_dry_run_mode=scenario.live_dry_run_mode,
        testnet_dry_run=scenario.testnet_dry_run,
        require_confirm_token=True,
        confirm_token=token,
        confirm_token_sha256=digest,
    )


def _order_for(size: OrderSize, limits: LiveRiskLimits) -> tuple[Order, float]:
    """An order (and the notional already open) that probes the binding caps.

    Without a per-order or a total cap there is nothing to probe: the order that should have
    been rejected is sized as if the cap were 1000, and its acceptance fails drill E.
    """
    per_order = _cap_value(limits, CapKind.PER_ORDER)
    total = _cap_value(limits, CapKind.TOTAL)
    floor = _cap_value(limits, CapKind.MIN_ORDER) or 0.0
    if size == "above_per_order":
        cap = 1000.0 if per_order is None else per_order
        return _order(cap + max(cap * 0.001, 0.01)), 0.0  # just above the cap
    if size == "exceeds_total":
        # within the per-order cap, but the open notional leaves less room than it needs
        notional = max(floor, min(per_order if per_order is not None else 1.0, 1.0), 0.01)
        return _order(notional), max((1000.0 if total is None else total) - notional / 2, 0.0)
    # the smallest order the caps accept (a zero per-order cap accepts none)
    ceiling = 1.0 if per_order is None else min(1.0, per_order)
    return _order(max(floor, ceiling) or 0.01), 0.0


def _cap_value(limits: LiveRiskLimits, kind: CapKind) -> float | None:
    cap = limits.binding_cap(kind)
    return None if cap is None else cap.value


def _order(notional: float) -> Order:
    return Order(symbol="DRILL/EUR", side="buy", quantity=1.0, price=notional)


GuardFactory = Callable[[EnvironmentConfig], SafetyGuard]


class UnknownScenarioError(PeakTradeError):
    """A drill scenario id that does not exist (bad input)."""


def select_scenarios(ids: Sequence[str]) -> list[str]:
    """Scenario ids as given (any case) -> canonical ids; unknown ids are an error."""
    wanted = [i.upper() for i in ids]
    unknown = sorted(set(wanted) - set(SCENARIO_IDS))
    if unknown:
        raise UnknownScenarioError(
            f"unknown drill scenario {', '.join(unknown)}; valid: {', '.join(SCENARIO_IDS)}"
        )
    return wanted


def risk_limits_of(loaded: LoadedConfig) -> LiveRiskLimits:
    """The risk limits an order of this config meets: the caps Peak_Trade's code applies."""
    return LiveRiskLimits.for_caps(
        peak_trade_settings(loaded)[1], loaded.caps, source=loaded.limits_source
    )


def run_drills(
    loaded: LoadedConfig | None,
    *,
    scenario_ids: Sequence[str] | None = None,
    guard_factory: GuardFactory = SafetyGuard,
    timer: Callable[[], float] = time.perf_counter,
    unavailable_reason: str = "config could not be loaded",
) -> DrillRun:
    """Run the selected drills (default: all) against the loaded config.

    `loaded=None` (the config failed to load) reports the drills as not executable rather
    than running them on a guessed config. `guard_factory` lets tests inject a faulty guard
    to prove that drills can fail.
    """
    if loaded is None:
        return DrillRun(executable=False, results=(), reason=unavailable_reason)
    wanted = set(SCENARIO_IDS if scenario_ids is None else scenario_ids)
    environment, _ = peak_trade_settings(loaded)
    limits = risk_limits_of(loaded)
    results = []
    for scenario in SCENARIOS:
        if scenario.id not in wanted:
            continue
        started = timer()
        guard = guard_factory(_scenario_environment(environment, scenario))
        live_blockers = tuple(code.value for code in guard.verdict.codes)
        observed = []
        for drill_order in scenario.orders:
            order, open_notional = _order_for(drill_order.size, limits)
            report = submit(order, guard, limits, open_notional=open_notional)
            observed.append(_observed(report, live_blockers))
        expected = tuple(o.expected for o in scenario.orders)
        results.append(
            DrillResult(
                id=scenario.id,
                name=scenario.name,
                passed=len(observed) == len(expected)
                and all(e.satisfied_by(o) for e, o in zip(expected, observed, strict=True)),
                expected=expected,
                observed=tuple(observed),
                duration_ms=(timer() - started) * 1000.0,
            )
        )
    return DrillRun(executable=True, results=tuple(results))


def _observed(report: ExecutionReport, live_blockers: tuple[str, ...]) -> Outcome:
    return Outcome(decided_by=report.decided_by, codes=report.codes, live_blockers=live_blockers)
