"""Live audit snapshot (Phase 74): the whole live-safety state in one immutable value.

Building is pure: the clock's reading and the version facts are inputs, so a snapshot is
reproducible. Token values never enter a snapshot: only whether a token is present and valid.
Rendering lives in `peak_trade.formats` (one module per format).
"""

from __future__ import annotations

from typing import Any, Final

import msgspec

from peak_trade.core.config import LoadedConfig, sha256_redacted
from peak_trade.core.environment import EnvironmentConfig, TradingEnvironment
from peak_trade.live.drills import SCENARIO_NAMES, DrillRun, Outcome, run_drills
from peak_trade.live.execution import REAL_ORDER_TRANSPORT
from peak_trade.live.risk_limits import LiveRiskLimits
from peak_trade.live.safety import Blocker, EffectiveMode, SafetyGuard

SCHEMA_VERSION: Final = 1
SCHEMA_ID: Final = "peak-trade/live-audit-snapshot/v1"
SAFETY_GUARANTEE_V1_0: Final = "Dry-Run only, no real orders possible (v1.0 - Phase 71-74)"


class LiveAuditGatingState(msgspec.Struct, frozen=True, kw_only=True):
    mode: TradingEnvironment
    effective_mode: EffectiveMode
    enable_live_trading: bool
    live_mode_armed: bool
    live_dry_run_mode: bool
    confirm_token_present: bool
    require_confirm_token: bool
    confirm_token_valid: bool | None


class LiveAuditRiskState(msgspec.Struct, frozen=True, kw_only=True):
    max_live_notional_per_order: float
    max_live_notional_total: float
    live_trade_min_size: float
    limits_enabled: bool
    limits_source: str


class LiveAuditDrillResult(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    passed: bool
    expected: tuple[Outcome, ...]
    observed: tuple[Outcome, ...]


class LiveAuditDrillSummary(msgspec.Struct, frozen=True, kw_only=True):
    available_scenarios: tuple[str, ...]
    num_scenarios: int
    drills_executable: bool
    results: tuple[LiveAuditDrillResult, ...]


class LiveAuditSafetySummary(msgspec.Struct, frozen=True, kw_only=True):
    is_live_execution_allowed: bool
    reasons: tuple[str, ...]
    safety_guarantee_v1_0: str
    blockers: tuple[Blocker, ...]
    real_orders_possible: bool


class LiveAuditConfigProvenance(msgspec.Struct, frozen=True, kw_only=True):
    source: str
    path: str | None
    sha256_redacted: str
    redacted_keys: tuple[str, ...]


class LiveAuditVersions(msgspec.Struct, frozen=True, kw_only=True):
    peak_trade: str
    python: str
    git_commit: str | None
    schema: str = SCHEMA_ID


class LiveAuditSnapshot(msgspec.Struct, frozen=True, kw_only=True):
    schema_version: int
    timestamp_utc: str
    environment_id: str
    gating: LiveAuditGatingState
    risk: LiveAuditRiskState
    drills: LiveAuditDrillSummary
    safety: LiveAuditSafetySummary
    config: LiveAuditConfigProvenance
    versions: LiveAuditVersions


def build_live_audit_snapshot(
    env_config: EnvironmentConfig,
    safety_guard: SafetyGuard,
    live_risk_limits: LiveRiskLimits,
    environment_id: str,
    *,
    drills: DrillRun,
    config: LiveAuditConfigProvenance,
    timestamp_utc: str,
    versions: LiveAuditVersions,
) -> LiveAuditSnapshot:
    """Assemble a snapshot from its parts (the seed's signature plus the extra facts). Pure."""
    verdict = safety_guard.verdict
    risk = live_risk_limits.config
    return LiveAuditSnapshot(
        schema_version=SCHEMA_VERSION,
        timestamp_utc=timestamp_utc,
        environment_id=environment_id,
        gating=LiveAuditGatingState(
            mode=env_config.mode,
            effective_mode=verdict.effective_mode,
            enable_live_trading=env_config.enable_live_trading,
            live_mode_armed=env_config.live_mode_armed,
            live_dry_run_mode=env_config.live_dry_run_mode,
            confirm_token_present=env_config.confirm_token_present,
            require_confirm_token=env_config.require_confirm_token,
            confirm_token_valid=env_config.confirm_token_valid,
        ),
        risk=LiveAuditRiskState(
            max_live_notional_per_order=risk.max_live_notional_per_order,
            max_live_notional_total=risk.max_live_notional_total,
            live_trade_min_size=risk.live_trade_min_size,
            limits_enabled=risk.enabled,
            limits_source=live_risk_limits.source,
        ),
        drills=LiveAuditDrillSummary(
            available_scenarios=SCENARIO_NAMES,
            num_scenarios=len(SCENARIO_NAMES),
            drills_executable=drills.executable,
            results=tuple(
                LiveAuditDrillResult(
                    id=r.id, name=r.name, passed=r.passed, expected=r.expected, observed=r.observed
                )
                for r in drills.results
            ),
        ),
        safety=LiveAuditSafetySummary(
            is_live_execution_allowed=verdict.allowed,
            reasons=verdict.reasons,
            safety_guarantee_v1_0=SAFETY_GUARANTEE_V1_0,
            blockers=verdict.blockers,
            real_orders_possible=REAL_ORDER_TRANSPORT and verdict.allowed,
        ),
        config=config,
        versions=versions,
    )


def audit_loaded_config(
    loaded: LoadedConfig,
    *,
    timestamp_utc: str,
    versions: LiveAuditVersions,
    environment_id: str | None = None,
) -> LiveAuditSnapshot:
    """Guard, limits, drills and provenance for one loaded config, then the snapshot."""
    guard = SafetyGuard(loaded.environment)
    limits = LiveRiskLimits(loaded.risk, source=loaded.limits_source)
    provenance = LiveAuditConfigProvenance(
        source=loaded.source,
        path=loaded.path,
        sha256_redacted=sha256_redacted(loaded),
        redacted_keys=loaded.redacted_keys,
    )
    return build_live_audit_snapshot(
        loaded.environment,
        guard,
        limits,
        environment_id or loaded.default_environment_id,
        drills=run_drills(loaded),
        config=provenance,
        timestamp_utc=timestamp_utc,
        versions=versions,
    )


def live_audit_snapshot_to_dict(snapshot: LiveAuditSnapshot) -> dict[str, Any]:
    """JSON-ready dict. Token values are not in a snapshot, so they cannot be in the dict."""
    result: dict[str, Any] = msgspec.to_builtins(snapshot)
    return result


def live_audit_snapshot_from_json(data: bytes | str) -> LiveAuditSnapshot:
    """Decode (strictly) a snapshot exported as JSON."""
    return msgspec.json.decode(data, type=LiveAuditSnapshot, strict=True)


def live_audit_snapshot_to_markdown(snapshot: LiveAuditSnapshot) -> str:
    from peak_trade.formats import markdown

    return markdown.render(snapshot)


def live_audit_snapshot_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of the snapshot, generated from the types above."""
    schema: dict[str, Any] = msgspec.json.schema(LiveAuditSnapshot)
    return schema
