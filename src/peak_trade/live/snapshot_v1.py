"""The schema-1 snapshot types, frozen as released: archives written with them stay readable.

Never change these classes; a new schema is a new module.
"""

from __future__ import annotations

from typing import Final

import msgspec

from peak_trade.core.environment import TradingEnvironment
from peak_trade.live.drills import Outcome
from peak_trade.live.safety import Blocker, EffectiveMode

SCHEMA_VERSION_1: Final = 1


class GatingV1(msgspec.Struct, frozen=True, kw_only=True):
    mode: TradingEnvironment
    effective_mode: EffectiveMode
    enable_live_trading: bool
    live_mode_armed: bool
    live_dry_run_mode: bool
    confirm_token_present: bool
    require_confirm_token: bool
    confirm_token_valid: bool | None


class RiskV1(msgspec.Struct, frozen=True, kw_only=True):
    max_live_notional_per_order: float
    max_live_notional_total: float
    live_trade_min_size: float
    limits_enabled: bool
    limits_source: str


class DrillResultV1(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    passed: bool
    expected: tuple[Outcome, ...]
    observed: tuple[Outcome, ...]


class DrillSummaryV1(msgspec.Struct, frozen=True, kw_only=True):
    available_scenarios: tuple[str, ...]
    num_scenarios: int
    drills_executable: bool
    results: tuple[DrillResultV1, ...]


class SafetyV1(msgspec.Struct, frozen=True, kw_only=True):
    is_live_execution_allowed: bool
    reasons: tuple[str, ...]
    safety_guarantee_v1_0: str
    blockers: tuple[Blocker, ...]
    real_orders_possible: bool


class ProvenanceV1(msgspec.Struct, frozen=True, kw_only=True):
    source: str
    path: str | None
    sha256_redacted: str
    redacted_keys: tuple[str, ...]


class VersionsV1(msgspec.Struct, frozen=True, kw_only=True):
    peak_trade: str
    python: str
    git_commit: str | None
    schema: str = "peak-trade/live-audit-snapshot/v1"


class LiveAuditSnapshotV1(msgspec.Struct, frozen=True, kw_only=True):
    schema_version: int
    timestamp_utc: str
    environment_id: str
    gating: GatingV1
    risk: RiskV1
    drills: DrillSummaryV1
    safety: SafetyV1
    config: ProvenanceV1
    versions: VersionsV1
