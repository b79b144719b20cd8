"""Peak_Trade's assessment of one loaded config: its gates (registry rows), the seed's drills,
and the facts the views report in neutral form. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import msgspec

from peak_trade.core.caps import ConfiguredCap, effective_caps
from peak_trade.core.environment import TradingEnvironment
from peak_trade.core.facts import GateState
from peak_trade.core.loaded import LoadedConfig, peak_trade_settings
from peak_trade.core.registry import (
    GATES,
    KILL_SWITCH_GATE,
    REMEDY,
    SEED_RISK_FIELDS,
    SETTING,
    TOKEN_GATE,
    TOKEN_SETTING,
    BlockerCode,
)
from peak_trade.dialects.peak_trade import runtime
from peak_trade.live.assessment import Assessment, DialectReport
from peak_trade.live.drills import run_drills
from peak_trade.live.safety import Blocker, EffectiveMode, SafetyGuard, Verdict
from peak_trade.live.snapshot import SAFETY_GUARANTEE_V1_0

_TRIPPED: Final = Blocker(
    code=BlockerCode.KILL_SWITCH_TRIPPED,
    gate=KILL_SWITCH_GATE,
    message="Kill switch tripped: its state file blocks every order, as Peak_Trade's gate does",
)
#: the seed's sentence is a promise this config does not keep once real orders can leave
NO_GUARANTEE: Final = (
    "not given: real orders can leave (see real_orders_possible and each venue's orders_reach)"
)


def verdict_of(loaded: LoadedConfig) -> Verdict:
    """The gates' verdict, and the kill switch: a tripped switch blocks (Peak_Trade's order
    gate refuses every order in KILLED or RECOVERING)."""
    env, _ = peak_trade_settings(loaded)
    verdict = SafetyGuard(env).verdict
    if loaded.kill_switch is None or not loaded.kill_switch.tripped:
        return verdict
    if runtime_mode(loaded) is not TradingEnvironment.LIVE:
        return verdict  # only the bounded pilot's pipeline reads the state file
    mode = verdict.effective_mode
    return msgspec.structs.replace(
        verdict,
        allowed=False,
        effective_mode=EffectiveMode.BLOCKED if mode is EffectiveMode.LIVE else mode,
        blockers=(*verdict.blockers, _TRIPPED),
    )


def runtime_mode(loaded: LoadedConfig) -> TradingEnvironment:
    """The mode Peak_Trade's session runners see (the config file alone)."""
    facts = loaded.facts
    found = getattr(facts, "runtime_mode", None)
    return found if isinstance(found, TradingEnvironment) else loaded.mode


def verdict_tripped(verdict: Verdict) -> bool:
    return BlockerCode.KILL_SWITCH_TRIPPED in verdict.codes


def assess(
    loaded: LoadedConfig,
    *,
    environment_id: str | None = None,
    scenario_ids: Sequence[str] | None = None,
) -> Assessment:
    env, _ = peak_trade_settings(loaded)
    verdict = verdict_of(loaded)
    real = runtime.real_orders_possible(runtime_mode(loaded), loaded.venues)
    if loaded.kill_switch is not None and loaded.kill_switch.tripped and verdict_tripped(verdict):
        real = False  # the pilot's gate refuses every order while the switch is tripped
    return Assessment(
        loaded=loaded,
        environment_id=environment_id or loaded.default_environment_id,
        verdict=verdict,
        config_armed=env.is_armed(),
        effective=effective_caps(loaded.caps),
        drills=run_drills(loaded, scenario_ids=scenario_ids),
        real_orders_possible=real,
        report=report_of(loaded, verdict, real_orders_possible=real),
    )


def report_of(
    loaded: LoadedConfig, verdict: Verdict, *, real_orders_possible: bool = False
) -> DialectReport:
    env, risk = peak_trade_settings(loaded)
    facts = loaded.facts
    token_source = getattr(facts, "confirm_token_source", None)
    return DialectReport(
        gates=_gates(loaded, verdict.closed_gates),
        remedies=tuple(REMEDY[b.code] for b in verdict.blockers),
        gating={
            "enable_live_trading": env.enable_live_trading,
            "live_mode_armed": env.live_mode_armed,
            "live_dry_run_mode": env.live_dry_run_mode,
            "confirm_token_present": env.confirm_token_present,
            "require_confirm_token": env.require_confirm_token,
            "confirm_token_valid": env.confirm_token_valid,
            "testnet_dry_run": env.testnet_dry_run,
            "bounded_pilot_mode": env.bounded_pilot_mode,
            "log_all_orders": env.log_all_orders,
            "knowledge_readonly": env.knowledge_readonly,
            "confirm_token_source": token_source,
        },
        risk={
            **{field: phase71_cap(loaded.caps, field) for field, _ in SEED_RISK_FIELDS},
            "block_on_violation": risk.block_on_violation,
            "warning_threshold_factor": risk.warning_threshold_factor,
            "bounded_live_enabled": loaded.bounded_live_enabled,
        },
        status={
            "confirm_token_required": env.require_confirm_token,
            "confirm_token_present": env.confirm_token_present,
            "confirm_token_valid": env.confirm_token_valid,
            "block_on_violation": risk.block_on_violation,
            "testnet_dry_run": env.testnet_dry_run,
            "bounded_pilot_mode": env.bounded_pilot_mode,
        },
        safety_guarantee=NO_GUARANTEE if real_orders_possible else SAFETY_GUARANTEE_V1_0,
    )


def _gates(loaded: LoadedConfig, closed: frozenset[str]) -> tuple[GateState, ...]:
    env, _ = peak_trade_settings(loaded)
    gates = [
        GateState(
            gate=gate.label,
            key=gate.setting,
            value=_plain(getattr(env, gate.setting.rsplit(".", 1)[1])),
            open=gate.name not in closed,
        )
        for gate in GATES
    ]
    gates.append(
        GateState(
            gate=SETTING[TOKEN_SETTING].label.removesuffix(" required"),
            key=TOKEN_SETTING,
            value=env.require_confirm_token,
            open=TOKEN_GATE not in closed,
        )
    )
    return tuple(gates)


def _plain(value: object) -> bool | str:
    return value if isinstance(value, bool) else str(value)


def phase71_cap(caps: tuple[ConfiguredCap, ...], field: str) -> float | None:
    """The seed's field: the binding Phase 71 cap (either table), or None when neither is set.
    The minimum order includes Peak_Trade's fallback: with `live_risk.live_trade_min_size`
    unset, its LiveRiskConfig holds `bounded_live.limits.min_order_notional`, enabled or not."""
    keys = runtime.seed_keys(field, {c.key for c in caps})
    values: list[Any] = [c.value for c in caps if c.key in keys and c.value is not None]
    if not values:
        return None
    found: float = max(values) if field == "live_trade_min_size" else min(values)
    return found
