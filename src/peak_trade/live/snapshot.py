"""The live audit snapshot (Phase 74), schema 2: the whole live-safety state as one value.

`snapshot_of` is pure: an `Assessment`, the clock's reading and the version facts go in, so a
snapshot is reproducible. Token values never enter a snapshot: only whether a token is present
and valid. Rendering lives in `peak_trade.formats`; this module imports no renderer.

Schema 1 snapshots (`snapshot_v1`) stay readable: `live_audit_snapshot_from_json` returns
whichever schema a file holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, TypeAlias

import msgspec

from peak_trade.core.caps import ConfiguredCap, EffectiveCaps
from peak_trade.core.config import LoadedConfig, sha256_of_redacted, sha256_redacted
from peak_trade.core.environment import TradingEnvironment
from peak_trade.core.registry import SEED_RISK_FIELDS
from peak_trade.core.venues import Venue
from peak_trade.live.assessment import Assessment
from peak_trade.live.drills import SCENARIO_NAMES, Outcome
from peak_trade.live.safety import Blocker, EffectiveMode

if TYPE_CHECKING:
    from peak_trade.live.snapshot_v1 import LiveAuditSnapshotV1

SCHEMA_VERSION: Final = 2
SCHEMA_ID: Final = "peak-trade/live-audit-snapshot/v2"
SAFETY_GUARANTEE_V1_0: Final = "Dry-Run only, no real orders possible (v1.0 - Phase 71-74)"
#: the seed's guarantee is Peak_Trade's v1.0 build's; a bot with a transport has none
BOT_SAFETY_GUARANTEE: Final = (
    "not applicable: this bot has its own exchange transport; see real_orders_possible"
)


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
    drills: LiveAuditDrillSummary
    safety: LiveAuditSafetySummary
    config: LiveAuditConfigProvenance
    versions: LiveAuditVersions


AnySnapshot: TypeAlias = "LiveAuditSnapshot | LiveAuditSnapshotV1"


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
    """Assemble the snapshot of one assessment. Pure."""
    loaded, verdict = assessment.loaded, assessment.verdict
    bot = loaded.bot is not None
    return LiveAuditSnapshot(
        schema_version=SCHEMA_VERSION,
        timestamp_utc=timestamp_utc,
        environment_id=assessment.environment_id,
        gating=_bot_gating(assessment) if bot else _gating(assessment),
        risk=_risk(assessment, peak_trade=not bot),
        venues=loaded.venues,
        drills=LiveAuditDrillSummary(
            available_scenarios=SCENARIO_NAMES,
            num_scenarios=len(SCENARIO_NAMES),
            drills_executable=assessment.drills.executable,
            results=tuple(
                LiveAuditDrillResult(
                    id=r.id, name=r.name, passed=r.passed, expected=r.expected, observed=r.observed
                )
                for r in assessment.drills.results
            ),
        ),
        safety=LiveAuditSafetySummary(
            is_live_execution_allowed=verdict.allowed,
            reasons=verdict.reasons,
            safety_guarantee_v1_0=BOT_SAFETY_GUARANTEE if bot else SAFETY_GUARANTEE_V1_0,
            blockers=verdict.blockers,
            real_orders_possible=assessment.real_orders_possible,
        ),
        config=provenance if provenance is not None else provenance_of(loaded),
        versions=versions,
    )


def _gating(assessment: Assessment) -> LiveAuditGatingState:
    env = assessment.loaded.environment
    return LiveAuditGatingState(
        mode=env.environment,
        effective_mode=assessment.verdict.effective_mode,
        enable_live_trading=env.enable_live_trading,
        live_mode_armed=env.live_mode_armed,
        live_dry_run_mode=env.live_dry_run_mode,
        confirm_token_present=env.confirm_token_present,
        require_confirm_token=env.require_confirm_token,
        confirm_token_valid=env.confirm_token_valid,
        config_armed=assessment.config_armed,
        testnet_dry_run=env.testnet_dry_run,
        bounded_pilot_mode=env.bounded_pilot_mode,
        log_all_orders=env.log_all_orders,
        knowledge_readonly=env.knowledge_readonly,
        api_server_unprotected=None,
    )


def _bot_gating(assessment: Assessment) -> LiveAuditGatingState:
    """A bot's gating: Peak_Trade's gate fields do not apply and are null."""
    bot = assessment.loaded.bot
    return LiveAuditGatingState(
        mode=assessment.loaded.environment.environment,
        effective_mode=assessment.verdict.effective_mode,
        enable_live_trading=None,
        live_mode_armed=None,
        live_dry_run_mode=None,
        confirm_token_present=None,
        require_confirm_token=None,
        confirm_token_valid=None,
        config_armed=assessment.config_armed,
        testnet_dry_run=None,
        bounded_pilot_mode=None,
        log_all_orders=None,
        knowledge_readonly=None,
        api_server_unprotected=bot.api_server_unprotected if bot is not None else None,
    )


def _risk(assessment: Assessment, *, peak_trade: bool) -> LiveAuditRiskState:
    loaded, risk = assessment.loaded, assessment.loaded.risk
    phase71 = {
        field: _phase71_cap(loaded.caps, field) if peak_trade else None
        for field, _ in SEED_RISK_FIELDS
    }
    return LiveAuditRiskState(
        **phase71,
        limits_enabled=risk.enabled,
        limits_source=loaded.limits_source,
        base_currency=risk.base_currency,
        block_on_violation=risk.block_on_violation if peak_trade else None,
        warning_threshold_factor=risk.warning_threshold_factor if peak_trade else None,
        bounded_live_enabled=loaded.bounded_live_enabled if peak_trade else None,
        limits=loaded.caps,
        effective=assessment.effective,
    )


def _phase71_cap(caps: tuple[ConfiguredCap, ...], field: str) -> float | None:
    """The seed's field: the binding Phase 71 cap (either table), or None when neither is set."""
    values = [c.value for c in caps if c.key in _PHASE71_KEYS[field] and c.value is not None]
    if not values:
        return None
    return max(values) if field == "live_trade_min_size" else min(values)


_PHASE71_KEYS: Final = {
    field: (f"environment.{field}", f"live_risk.{field}") for field, _ in SEED_RISK_FIELDS
}


def live_audit_snapshot_to_dict(snapshot: AnySnapshot) -> dict[str, Any]:
    """JSON-ready dict. Token values are not in a snapshot, so they cannot be in the dict."""
    result: dict[str, Any] = msgspec.to_builtins(snapshot)
    return result


class _SchemaVersion(msgspec.Struct):
    schema_version: int


def live_audit_snapshot_from_json(data: bytes | str) -> AnySnapshot:
    """Decode (strictly) a snapshot exported as JSON, of schema 2 or schema 1."""
    version = msgspec.json.decode(data, type=_SchemaVersion).schema_version
    if version == SCHEMA_VERSION:
        return msgspec.json.decode(data, type=LiveAuditSnapshot, strict=True)
    if version == 1:
        from peak_trade.live.snapshot_v1 import LiveAuditSnapshotV1  # only for old archives

        return msgspec.json.decode(data, type=LiveAuditSnapshotV1, strict=True)
    raise msgspec.ValidationError(f"unknown schema_version {version}")


def live_audit_snapshot_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of the snapshot, generated from the types above."""
    schema: dict[str, Any] = msgspec.json.schema(LiveAuditSnapshot)
    return schema
