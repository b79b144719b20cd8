"""Peak_Trade's assessment of one loaded config: its gates (registry rows), the seed's drills,
and the facts the views report in neutral form. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peak_trade.core.caps import ConfiguredCap, effective_caps
from peak_trade.core.facts import GateState
from peak_trade.core.loaded import LoadedConfig, peak_trade_settings
from peak_trade.core.registry import (
    GATES,
    REMEDY,
    SEED_RISK_FIELDS,
    SETTING,
    TOKEN_GATE,
    TOKEN_SETTING,
)
from peak_trade.live.assessment import Assessment, DialectReport
from peak_trade.live.drills import run_drills
from peak_trade.live.execution import REAL_ORDER_TRANSPORT
from peak_trade.live.safety import SafetyGuard, Verdict
from peak_trade.live.snapshot import SAFETY_GUARANTEE_V1_0


def assess(
    loaded: LoadedConfig,
    *,
    environment_id: str | None = None,
    scenario_ids: Sequence[str] | None = None,
) -> Assessment:
    env, _ = peak_trade_settings(loaded)
    verdict = SafetyGuard(env).verdict
    return Assessment(
        loaded=loaded,
        environment_id=environment_id or loaded.default_environment_id,
        verdict=verdict,
        config_armed=env.is_armed(),
        effective=effective_caps(loaded.caps, loaded.bounded_live_enabled),
        drills=run_drills(loaded, scenario_ids=scenario_ids),
        # this build has no exchange transport: even an allowed verdict simulates
        real_orders_possible=REAL_ORDER_TRANSPORT and verdict.allowed,
        report=report_of(loaded, verdict),
    )


def report_of(loaded: LoadedConfig, verdict: Verdict) -> DialectReport:
    env, risk = peak_trade_settings(loaded)
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
        safety_guarantee=SAFETY_GUARANTEE_V1_0,
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
    """The seed's field: the binding Phase 71 cap (either table), or None when neither is set."""
    keys = (f"environment.{field}", f"live_risk.{field}")
    values: list[Any] = [c.value for c in caps if c.key in keys and c.value is not None]
    if not values:
        return None
    found: float = max(values) if field == "live_trade_min_size" else min(values)
    return found
