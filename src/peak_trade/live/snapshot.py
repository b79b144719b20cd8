"""The live audit snapshot (Phase 74), schema 3: the whole live-safety state as one value.

`snapshot_of` is pure: an `Assessment`, the clock's reading and the version facts go in, so a
snapshot is reproducible. Token values never enter a snapshot: only whether a token is present
and valid. Rendering lives in `peak_trade.formats`; this module imports no renderer.

Schema 3 says what the audited system's code would do (DESIGN §3a): each cap's unit and whether
it is enforced, where each venue's orders reach, the kill switch. Schema 1 and 2 snapshots
(`snapshot_v1`, `snapshot_v2`) stay readable: `live_audit_snapshot_from_json` returns whichever
schema a file holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, TypeAlias

import msgspec

from peak_trade.core.caps import ConfiguredCap, EffectiveCaps
from peak_trade.core.environment import TradingEnvironment
from peak_trade.core.killswitch import KillSwitch
from peak_trade.core.loaded import LoadedConfig, sha256_of_redacted, sha256_redacted
from peak_trade.core.venues import Venue
from peak_trade.live.assessment import Assessment
from peak_trade.live.drills import SCENARIO_NAMES, LiveAuditDrillResult
from peak_trade.live.safety import Blocker, EffectiveMode

if TYPE_CHECKING:
    from peak_trade.live.snapshot_v1 import LiveAuditSnapshotV1
    from peak_trade.live.snapshot_v2 import LiveAuditSnapshotV2

SCHEMA_VERSION: Final = 3
SCHEMA_ID: Final = "peak-trade/live-audit-snapshot/v3"
#: the seed's guarantee, which Peak_Trade's v1.0 build gives; a bot with a transport has none
SAFETY_GUARANTEE_V1_0: Final = "Dry-Run only, no real orders possible (v1.0 - Phase 71-74)"


class LiveAuditGatingState(msgspec.Struct, frozen=True, kw_only=True):
    mode: TradingEnvironment
    effective_mode: EffectiveMode
    enable_live_trading: bool | None
    live_mode_armed: bool | None
    live_dry_run_mode: bool | None
    confirm_token_present: bool | None
    require_confirm_token: bool | None
    confirm_token_valid: bool | None
    config_armed: bool
    testnet_dry_run: bool | None
    bounded_pilot_mode: bool | None
    log_all_orders: bool | None
    knowledge_readonly: bool | None
    api_server_unprotected: bool | None = None  # freqtrade; absent reads as null
    #: where the confirm token was read from (an environment variable's name, or the file key)
    confirm_token_source: str | None = None
    #: NautilusTrader: the releases the config decodes under ("1.227-1.231"); absent reads as null
    nautilus_version: str | None = None
    #: NautilusTrader: `risk_engine.bypass` (every pre-trade check skipped); absent reads as null
    risk_checks_bypassed: bool | None = None


class LiveAuditRiskState(msgspec.Struct, frozen=True, kw_only=True):
    max_live_notional_per_order: float | None
    max_live_notional_total: float | None
    live_trade_min_size: float | None
    limits_enabled: bool
    limits_source: str
    base_currency: str
    block_on_violation: bool | None
    warning_threshold_factor: float | None
    bounded_live_enabled: bool | None
    limits: tuple[ConfiguredCap, ...]
    effective: EffectiveCaps


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


class LiveAuditConfigFile(msgspec.Struct, frozen=True, kw_only=True):
    path: str
    sha256_redacted: str


class LiveAuditConfigProvenance(msgspec.Struct, frozen=True, kw_only=True):
    source: str
    resolved_from: str
    dialect: str
    path: str | None
    sha256_redacted: str
    redacted_keys: tuple[str, ...]
    files: tuple[LiveAuditConfigFile, ...]
    env_overrides: tuple[str, ...]


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
    venues: tuple[Venue, ...]
    kill_switch: KillSwitch | None
    drills: LiveAuditDrillSummary
    safety: LiveAuditSafetySummary
    config: LiveAuditConfigProvenance
    versions: LiveAuditVersions


AnySnapshot: TypeAlias = "LiveAuditSnapshot | LiveAuditSnapshotV2 | LiveAuditSnapshotV1"


def provenance_of(loaded: LoadedConfig) -> LiveAuditConfigProvenance:
    merged = sha256_redacted(loaded)
    return LiveAuditConfigProvenance(
        source=loaded.source,
        resolved_from=loaded.resolved_from,
        dialect=loaded.dialect,
        path=loaded.path,
        sha256_redacted=merged,
        redacted_keys=loaded.redacted_keys,
        files=tuple(
            LiveAuditConfigFile(
                path=f.path,
                sha256_redacted=(
                    merged if f.redacted is loaded.redacted else sha256_of_redacted(f.redacted)
                ),
            )
            for f in loaded.files
        ),
        env_overrides=loaded.env_overrides,
    )


def snapshot_of(
    assessment: Assessment,
    *,
    timestamp_utc: str,
    versions: LiveAuditVersions,
    provenance: LiveAuditConfigProvenance | None = None,
) -> LiveAuditSnapshot:
    """Assemble the snapshot of one assessment. Pure. What differs between dialects comes as
    neutral facts in `assessment.report`; a field a dialect does not set is null."""
    loaded, verdict, report = assessment.loaded, assessment.verdict, assessment.report
    unknown = (set(report.gating) - set(_DIALECT_GATING)) | (set(report.risk) - set(_DIALECT_RISK))
    if unknown:  # a dialect naming a field the snapshot lacks: a bug, never a silent null
        raise ValueError(f"{loaded.dialect} reports unknown snapshot fields: {sorted(unknown)}")
    return LiveAuditSnapshot(
        schema_version=SCHEMA_VERSION,
        timestamp_utc=timestamp_utc,
        environment_id=assessment.environment_id,
        gating=LiveAuditGatingState(
            mode=loaded.mode,
            effective_mode=verdict.effective_mode,
            config_armed=assessment.config_armed,
            **{field: report.gating.get(field) for field in _DIALECT_GATING},
        ),
        risk=LiveAuditRiskState(
            limits_enabled=loaded.limits_enabled,
            limits_source=loaded.limits_source,
            base_currency=loaded.base_currency,
            limits=loaded.caps,
            effective=assessment.effective,
            **{field: report.risk.get(field) for field in _DIALECT_RISK},
        ),
        venues=loaded.venues,
        kill_switch=loaded.kill_switch,
        drills=LiveAuditDrillSummary(
            available_scenarios=SCENARIO_NAMES,
            num_scenarios=len(SCENARIO_NAMES),
            drills_executable=assessment.drills.executable,
            results=tuple(r.reported() for r in assessment.drills.results),
        ),
        safety=LiveAuditSafetySummary(
            is_live_execution_allowed=verdict.allowed,
            reasons=verdict.reasons,
            safety_guarantee_v1_0=report.safety_guarantee,
            blockers=verdict.blockers,
            real_orders_possible=assessment.real_orders_possible,
        ),
        config=provenance if provenance is not None else provenance_of(loaded),
        versions=versions,
    )


#: the fields of each section that a dialect sets, or leaves null where they do not apply
_DIALECT_GATING: Final = tuple(
    f
    for f in LiveAuditGatingState.__struct_fields__
    if f not in ("mode", "effective_mode", "config_armed")
)
_DIALECT_RISK: Final = tuple(
    f
    for f in LiveAuditRiskState.__struct_fields__
    if f not in ("limits_enabled", "limits_source", "base_currency", "limits", "effective")
)


def live_audit_snapshot_to_dict(snapshot: AnySnapshot) -> dict[str, Any]:
    """JSON-ready dict. Token values are not in a snapshot, so they cannot be in the dict."""
    result: dict[str, Any] = msgspec.to_builtins(snapshot)
    return result


class _SchemaVersion(msgspec.Struct):
    schema_version: int


def live_audit_snapshot_from_json(data: bytes | str) -> AnySnapshot:
    """Decode (strictly) a snapshot exported as JSON, of schema 3, 2 or 1. A document nested
    too deeply for the decoder is a `msgspec.DecodeError` like any other bad JSON."""
    try:
        version = msgspec.json.decode(data, type=_SchemaVersion).schema_version
        if version == SCHEMA_VERSION:
            return msgspec.json.decode(data, type=LiveAuditSnapshot, strict=True)
        if version == 2:
            from peak_trade.live.snapshot_v2 import LiveAuditSnapshotV2  # only for old archives

            return msgspec.json.decode(data, type=LiveAuditSnapshotV2, strict=True)
        if version == 1:
            from peak_trade.live.snapshot_v1 import LiveAuditSnapshotV1  # only for old archives

            return msgspec.json.decode(data, type=LiveAuditSnapshotV1, strict=True)
    except RecursionError:
        raise msgspec.DecodeError("JSON nested too deeply to be a snapshot") from None
    raise msgspec.ValidationError(f"unknown schema_version {version}")


def live_audit_snapshot_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of the snapshot, generated from the types above."""
    schema: dict[str, Any] = msgspec.json.schema(LiveAuditSnapshot)
    return schema
