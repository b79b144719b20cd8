"""The schema-2 snapshot types, frozen as released: archives written with them stay readable.

Never change these classes; a new schema is a new module. Schema 2 lacks what schema 3 added
(each cap's unit and enforcement, each venue's `orders_reach`, the kill switch): `diff` shows
those as new in schema 3, never as safe.
"""

from __future__ import annotations

from typing import Final

import msgspec

from peak_trade.core.environment import TradingEnvironment
from peak_trade.core.kinds import CapKind
from peak_trade.live.drills import Outcome
from peak_trade.live.safety import Blocker, EffectiveMode

SCHEMA_VERSION_2: Final = 2


class GatingV2(msgspec.Struct, frozen=True, kw_only=True):
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
    api_server_unprotected: bool | None = None


class CapV2(msgspec.Struct, frozen=True, kw_only=True):
    kind: CapKind
    key: str
    value: float | int | None
    unlimited: bool = False
    source: str | None = None


class EffectiveV2(msgspec.Struct, frozen=True, kw_only=True):
    per_order: float | int | None = None
    total: float | int | None = None
    per_symbol: float | int | None = None
    open_positions: float | int | None = None
    daily_loss_abs: float | int | None = None
    daily_loss_pct: float | int | None = None
    min_order: float | int | None = None


class RiskV2(msgspec.Struct, frozen=True, kw_only=True):
    max_live_notional_per_order: float | None
    max_live_notional_total: float | None
    live_trade_min_size: float | None
    limits_enabled: bool
    limits_source: str
    base_currency: str
    block_on_violation: bool | None
    warning_threshold_factor: float | None
    bounded_live_enabled: bool | None
    limits: tuple[CapV2, ...]
    effective: EffectiveV2


class CredentialV2(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    kind: str
    present: bool


class VenueV2(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    label: str | None
    enabled: bool | None
    sandbox: bool | None
    endpoints: tuple[str, ...]
    credentials: tuple[CredentialV2, ...]


class DrillResultV2(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    passed: bool
    expected: tuple[Outcome, ...]
    observed: tuple[Outcome, ...]


class DrillSummaryV2(msgspec.Struct, frozen=True, kw_only=True):
    available_scenarios: tuple[str, ...]
    num_scenarios: int
    drills_executable: bool
    results: tuple[DrillResultV2, ...]


class SafetyV2(msgspec.Struct, frozen=True, kw_only=True):
    is_live_execution_allowed: bool
    reasons: tuple[str, ...]
    safety_guarantee_v1_0: str
    blockers: tuple[Blocker, ...]
    real_orders_possible: bool


class ConfigFileV2(msgspec.Struct, frozen=True, kw_only=True):
    path: str
    sha256_redacted: str


class ProvenanceV2(msgspec.Struct, frozen=True, kw_only=True):
    source: str
    resolved_from: str
    dialect: str
    path: str | None
    sha256_redacted: str
    redacted_keys: tuple[str, ...]
    files: tuple[ConfigFileV2, ...]
    env_overrides: tuple[str, ...]


class VersionsV2(msgspec.Struct, frozen=True, kw_only=True):
    peak_trade: str
    python: str
    git_commit: str | None
    schema: str = "peak-trade/live-audit-snapshot/v2"


class LiveAuditSnapshotV2(msgspec.Struct, frozen=True, kw_only=True):
    schema_version: int
    timestamp_utc: str
    environment_id: str
    gating: GatingV2
    risk: RiskV2
    venues: tuple[VenueV2, ...]
    drills: DrillSummaryV2
    safety: SafetyV2
    config: ProvenanceV2
    versions: VersionsV2
