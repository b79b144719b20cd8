"""Phase 74's public API, as the seed and Peak_Trade code call it.

- `build_live_audit_snapshot(env_config, safety_guard, live_risk_limits=None,
  environment_id=None)` builds a complete snapshot from those objects alone: it runs the
  drills and reads the clock and the versions. With `live_risk_limits=None` the caps are null,
  `limits_enabled` is false and `limits_source` is `not_loaded`.
- `audit_loaded_config` is the same for a config loaded from files, with the clock reading and
  versions as arguments (reproducible); `snapshot_of` (in `live.snapshot`) is the pure assembler.
- `live_audit_snapshot_to_dict` / `_to_markdown`: the snapshot as data and as the seed's report.

The datamodel lives in `live.snapshot`; this module re-exports it.
"""

from __future__ import annotations

import os
import time
from typing import Any

import msgspec

from peak_trade.core.caps import ConfiguredCap
from peak_trade.core.environment import EnvironmentConfig, LiveRiskConfig
from peak_trade.core.kinds import KIND
from peak_trade.core.loaded import LoadedConfig
from peak_trade.core.redaction import redact
from peak_trade.core.registry import CAPS, SETTINGS, CapRow, SettingRow
from peak_trade.core.secret import Secret
from peak_trade.dialects.peak_trade import NAME as PEAK_TRADE
from peak_trade.dialects.peak_trade import runtime
from peak_trade.dialects.peak_trade.assessment import assess, report_of
from peak_trade.live.drills import DrillRun, LiveAuditDrillResult
from peak_trade.live.risk_limits import LiveRiskLimits
from peak_trade.live.safety import SafetyGuard
from peak_trade.live.snapshot import (
    SAFETY_GUARANTEE_V1_0,
    SCHEMA_ID,
    SCHEMA_VERSION,
    AnySnapshot,
    LiveAuditConfigProvenance,
    LiveAuditDrillSummary,
    LiveAuditGatingState,
    LiveAuditRiskState,
    LiveAuditSafetySummary,
    LiveAuditSnapshot,
    LiveAuditVersions,
    live_audit_snapshot_from_json,
    live_audit_snapshot_schema,
    live_audit_snapshot_to_dict,
    snapshot_of,
)

__all__ = [
    "SAFETY_GUARANTEE_V1_0",
    "SCHEMA_ID",
    "SCHEMA_VERSION",
    "AnySnapshot",
    "LiveAuditConfigProvenance",
    "LiveAuditDrillResult",
    "LiveAuditDrillSummary",
    "LiveAuditGatingState",
    "LiveAuditRiskState",
    "LiveAuditSafetySummary",
    "LiveAuditSnapshot",
    "LiveAuditVersions",
    "audit_loaded_config",
    "build_live_audit_snapshot",
    "live_audit_snapshot_from_json",
    "live_audit_snapshot_schema",
    "live_audit_snapshot_to_dict",
    "live_audit_snapshot_to_markdown",
    "snapshot_of",
]

API_SOURCE = "api"
NOT_LOADED = "not_loaded"


def audit_loaded_config(
    loaded: LoadedConfig,
    *,
    timestamp_utc: str,
    versions: LiveAuditVersions,
    environment_id: str | None = None,
) -> LiveAuditSnapshot:
    """Assess one loaded config and build its snapshot."""
    return snapshot_of(
        assess(loaded, environment_id=environment_id),
        timestamp_utc=timestamp_utc,
        versions=versions,
    )


def build_live_audit_snapshot(
    env_config: EnvironmentConfig,
    safety_guard: SafetyGuard,
    live_risk_limits: LiveRiskLimits | None = None,
    environment_id: str | None = None,
) -> LiveAuditSnapshot:
    """The seed's call: a complete snapshot from these objects alone (see the module doc)."""
    if not isinstance(env_config, EnvironmentConfig):
        raise TypeError("env_config must be an EnvironmentConfig")
    if not isinstance(safety_guard, SafetyGuard):
        raise TypeError("safety_guard must be a SafetyGuard")
    loaded = loaded_from_objects(env_config, live_risk_limits)
    assessment = assess(loaded, environment_id=environment_id)
    if safety_guard.env_config is None:  # the guard was built from a failed load
        assessment = msgspec.structs.replace(
            assessment,
            verdict=safety_guard.verdict,
            report=report_of(loaded, safety_guard.verdict),
            drills=DrillRun(executable=False, results=(), reason="config could not be loaded"),
        )
    from peak_trade.versions import collect_versions

    return snapshot_of(
        assessment,
        timestamp_utc=time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        versions=collect_versions(os.getcwd()),
    )


def loaded_from_objects(
    env_config: EnvironmentConfig, live_risk_limits: LiveRiskLimits | None
) -> LoadedConfig:
    """A `LoadedConfig` for objects built in code (no file): every fact from the objects."""
    risk = (
        live_risk_limits.config if live_risk_limits is not None else LiveRiskConfig(enabled=False)
    )
    configured: list[ConfiguredCap] = [
        ConfiguredCap(
            kind=row.kind,
            unit=KIND[row.kind].unit,
            key=row.key,
            value=value,
            source=API_SOURCE,
            enforced=None,
            enforcement="decided below",
        )
        for row in CAPS
        if row.table == "environment" and (value := getattr(env_config, row.field)) is not None
    ]
    if live_risk_limits is not None:
        configured += live_risk_limits.caps
    # the same rules as for a file: Peak_Trade's code decides what binds
    context = runtime.CapContext(
        mode=env_config.environment,
        limits_enabled=risk.enabled,
        overlay_files=frozenset(),
        bounded_in_main=False,
        main_bounded_keys=frozenset(),
        configured=frozenset(c.key for c in configured),
    )
    caps = list(runtime.enforce(configured, context))
    plain: dict[str, dict[str, Any]] = {"environment": {}, "live_risk": {}}
    rows: tuple[SettingRow | CapRow, ...] = (*SETTINGS, *CAPS)
    for row in rows:
        if row.table == "environment" and row.field not in ("confirm_token", "mode"):
            source: Any = env_config
        elif row.table == "live_risk" and live_risk_limits is not None:
            source = risk
        else:
            continue
        value = getattr(source, row.field, None)
        if value is not None:
            plain[row.table][row.field] = "<secret>" if isinstance(value, Secret) else value
    plain["environment"]["mode"] = env_config.environment.value
    redacted, redacted_keys = redact(plain)
    return LoadedConfig(
        dialect=PEAK_TRADE,
        mode=env_config.environment,
        base_currency=risk.base_currency,
        limits_enabled=risk.enabled,
        environment=env_config,
        risk=risk,
        caps=tuple(caps),
        venues=(),
        source="api",
        resolved_from="api",
        path=None,
        files=(),
        limits_source=(
            NOT_LOADED if live_risk_limits is None else (live_risk_limits.source or API_SOURCE)
        ),
        default_environment_id=API_SOURCE,
        redacted=redacted,
        redacted_keys=redacted_keys,
    )


def live_audit_snapshot_to_markdown(snapshot: LiveAuditSnapshot) -> str:
    """The seed's report (the Markdown format of `peak_trade.formats`)."""
    from peak_trade.formats import markdown

    return markdown.render(snapshot)
