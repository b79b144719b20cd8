"""One home per gate, setting and cap: the registry every layer reads.

Each row states a config key path, its type and constraint, its safe default (what an absent
key means), its label in reports, and which direction of change is *less safe*. Gates add their
blocker code, message and remedy. Decoding (`dialects.peak_trade.config`), gate evaluation
(`live.safety`), the snapshot (`live.snapshot`), the Markdown and status labels, `diff`'s judges
and the JSON Schema descriptions all read these rows; none of them spells a key, label or
direction itself.

Adding a cap of an existing kind is one `CapRow` here plus its test. Adding a reported setting
is one `SettingRow` plus a field in the public type that carries it (`EnvironmentConfig` or
`LiveRiskConfig`) and in the snapshot section that reports it.

Imports only `core.kinds` (the cap kinds): `core/` is the bottom layer.
"""

from __future__ import annotations

import math
import re
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Final, Literal

import msgspec

# re-exported for the rows below and their readers; the kinds' home is core.kinds
from peak_trade.core.kinds import EFFECTIVE_KINDS as EFFECTIVE_KINDS
from peak_trade.core.kinds import FLOOR_KINDS as FLOOR_KINDS
from peak_trade.core.kinds import CapKind as CapKind

# --------------------------------------------------------------------------- vocabularies


class Less(StrEnum):
    """Which change of a value is less safe (for `diff` and `check`)."""

    BECOMING_TRUE = "becoming_true"
    BECOMING_FALSE = "becoming_false"
    HIGHER = "higher"  # a cap: raising, removing or making it unlimited is less safe
    LOWER = "lower"  # a minimum: lowering or removing it is less safe
    TOWARDS_LIVE = "towards_live"  # a mode: moving up the ranking towards live
    ANY_CHANGE = "any_change"  # no safe direction is known: every change counts (fail closed)
    NO_SAFETY_MEANING = "no_safety_meaning"  # reported only; a change is shown, never judged


class BlockerCode(StrEnum):
    """Why live execution is blocked. The declaration order is the report order."""

    CONFIG_INVALID = "config_invalid"
    MODE_NOT_LIVE = "mode_not_live"
    GATE1_DISABLED = "gate1_disabled"
    GATE2_NOT_ARMED = "gate2_not_armed"
    DRY_RUN_ACTIVE = "dry_run_active"
    CREDENTIALS_MISSING = "credentials_missing"  # freqtrade: no exchange key and secret
    CONFIRM_TOKEN_MISSING = "confirm_token_missing"  # noqa: S105
    CONFIRM_TOKEN_INVALID = "confirm_token_invalid"  # noqa: S105
    CONFIRM_TOKEN_UNVERIFIABLE = "confirm_token_unverifiable"  # noqa: S105
    KILL_SWITCH_TRIPPED = "kill_switch_tripped"  # the kill switch's state blocks every order


MODE_RANK: Final = {"paper": 0, "testnet": 1, "live": 2}
EFFECTIVE_MODE_RANK: Final = {
    "paper": 0,
    "testnet_dry_run": 1,
    "live_dry_run": 2,
    "testnet": 3,
    "blocked": 4,
    "live": 5,
}

# --------------------------------------------------------------------------- value types

HEX64_PATTERN: Final = "^[0-9a-fA-F]{64}$"
CURRENCY_PATTERN: Final = "^[A-Z0-9]{2,10}$"

Mode = Literal["paper", "testnet", "live"]
NonNegative = Annotated[float, msgspec.Meta(ge=0)]
Percent = Annotated[float, msgspec.Meta(ge=0, le=100)]
Fraction = Annotated[float, msgspec.Meta(ge=0, le=1)]
OpenFraction = Annotated[float, msgspec.Meta(gt=0, lt=1)]
Count = Annotated[int, msgspec.Meta(ge=0)]
Digest = Annotated[str, msgspec.Meta(pattern=HEX64_PATTERN)]
Currency = Annotated[str, msgspec.Meta(pattern=CURRENCY_PATTERN)]

#: patterns that must match the whole value: msgspec (like `re.search` with `$`) lets a
#: trailing newline through, so decoding checks these again with `fullmatch`
FULL_MATCH: Final = {
    HEX64_PATTERN: re.compile(HEX64_PATTERN[1:-1]),
    CURRENCY_PATTERN: re.compile(CURRENCY_PATTERN[1:-1]),
}

# --------------------------------------------------------------------------- rows


class SettingRow(msgspec.Struct, frozen=True, kw_only=True):
    """A reported setting: a gate, a token setting, a switch. `field` is its name in the
    public type that carries it and in its snapshot section (`snapshot`)."""

    key: str
    type: Any
    default: Any
    label: str
    less_safe: Less
    snapshot: tuple[str, str] | None
    seed_label: str | None = None  # the seed report's label, where the seed has this line

    @property
    def table(self) -> str:
        return self.key.rsplit(".", 1)[0]

    @property
    def field(self) -> str:
        return self.key.rsplit(".", 1)[1]


class GateRow(msgspec.Struct, frozen=True, kw_only=True):
    """A gate of the live decision: open when the setting holds `open_value`."""

    name: str
    code: BlockerCode
    setting: str  # the key of the SettingRow it reads
    open_value: Any
    label: str
    message: str
    remedy: str


class CapRow(msgspec.Struct, frozen=True, kw_only=True):
    """A configured cap. `bounded`: counts only while `bounded_live.enabled` is true.
    `unlimited`: the value the system itself reads as "no limit" (freqtrade's "unlimited", -1)."""

    key: str
    kind: CapKind
    type: Any
    label: str
    bounded: bool = False
    unlimited: tuple[Any, ...] = ()

    @property
    def table(self) -> str:
        return self.key.rpartition(".")[0]

    @property
    def field(self) -> str:
        return self.key.rsplit(".", 1)[1]


def _s(
    key: str,
    type_: Any,
    default: Any,
    label: str,
    less_safe: Less,
    section: str | None,
    *,
    seed_label: str | None = None,
) -> SettingRow:
    field = key.rsplit(".", 1)[1]
    snap_field = {
        "live_risk.enabled": "limits_enabled",
        "bounded_live.enabled": "bounded_live_enabled",
    }.get(key, field)
    return SettingRow(
        key=key,
        type=type_,
        default=default,
        label=label,
        less_safe=less_safe,
        snapshot=(section, snap_field) if section else None,
        seed_label=seed_label,
    )


SETTINGS: Final[tuple[SettingRow, ...]] = (
    # [environment]: the gates first, in the seed's order
    _s("environment.mode", Mode, "paper", "Mode", Less.TOWARDS_LIVE, "gating", seed_label="Mode"),
    _s(
        "environment.enable_live_trading",
        bool,
        False,
        "Gate 1",
        Less.BECOMING_TRUE,
        "gating",
        seed_label="enable_live_trading (Gate 1)",
    ),
    _s(
        "environment.live_mode_armed",
        bool,
        False,
        "Gate 2",
        Less.BECOMING_TRUE,
        "gating",
        seed_label="live_mode_armed (Gate 2 - Phase 71)",
    ),
    _s(
        "environment.live_dry_run_mode",
        bool,
        True,
        "Technical gate",
        Less.BECOMING_FALSE,
        "gating",
        seed_label="live_dry_run_mode (Technisches Gate)",
    ),
    _s(
        "environment.require_confirm_token",
        bool,
        True,
        "Confirm token required",
        Less.BECOMING_FALSE,
        "gating",
        seed_label="require_confirm_token",
    ),
    _s(
        "environment.confirm_token_sha256",
        Digest | None,
        None,
        "Confirm token digest",
        Less.ANY_CHANGE,
        None,
    ),
    _s(
        "environment.confirm_token",
        str | None,
        None,
        "Confirm token (in the file)",
        Less.BECOMING_TRUE,
        None,
    ),
    _s("environment.testnet_dry_run", bool, True, "Testnet dry-run", Less.BECOMING_FALSE, "gating"),
    _s("environment.log_all_orders", bool, True, "Log all orders", Less.BECOMING_FALSE, "gating"),
    _s(
        "environment.knowledge_readonly",
        bool,
        False,
        "Knowledge read-only",
        Less.BECOMING_FALSE,
        "gating",
    ),
    _s(
        "environment.bounded_pilot_mode",
        bool,
        False,
        "Bounded pilot mode",
        Less.BECOMING_TRUE,
        "gating",
    ),
    # [live_risk]
    _s("live_risk.enabled", bool, True, "Risk limits enabled", Less.BECOMING_FALSE, "risk"),
    _s("live_risk.base_currency", Currency | None, None, "Base currency", Less.ANY_CHANGE, "risk"),
    _s(
        "live_risk.block_on_violation",
        bool,
        True,
        "Block on violation",
        Less.BECOMING_FALSE,
        "risk",
    ),
    _s(
        "live_risk.use_experiments_for_daily_pnl",
        bool,
        True,
        "Daily PnL from experiments",
        Less.NO_SAFETY_MEANING,
        None,
    ),
    _s(
        "live_risk.warning_threshold_factor",
        OpenFraction,
        0.8,
        "Warning threshold factor",
        Less.HIGHER,
        "risk",
    ),
    # [live] and [bounded_live]: only these keys are read there
    _s(
        "live.base_currency", Currency | None, None, "Base currency ([live])", Less.ANY_CHANGE, None
    ),
    _s("bounded_live.enabled", bool, False, "Bounded live enabled", Less.BECOMING_TRUE, "risk"),
)

SETTING: Final = {row.key: row for row in SETTINGS}

GATES: Final[tuple[GateRow, ...]] = (
    GateRow(
        name="mode",
        code=BlockerCode.MODE_NOT_LIVE,
        setting="environment.mode",
        open_value="live",
        label="Mode",
        message="mode={value}: not live (Phase 71)",
        remedy='set environment.mode = "live"',
    ),
    GateRow(
        name="gate1",
        code=BlockerCode.GATE1_DISABLED,
        setting="environment.enable_live_trading",
        open_value=True,
        label="Gate 1",
        message="Gate 1: enable_live_trading=False (Phase 71)",
        remedy="set environment.enable_live_trading = true",
    ),
    GateRow(
        name="gate2",
        code=BlockerCode.GATE2_NOT_ARMED,
        setting="environment.live_mode_armed",
        open_value=True,
        label="Gate 2",
        message="Gate 2: live_mode_armed=False (Phase 71)",
        remedy="set environment.live_mode_armed = true",
    ),
    GateRow(
        name="dry_run",
        code=BlockerCode.DRY_RUN_ACTIVE,
        setting="environment.live_dry_run_mode",
        open_value=False,
        label="Technical gate",
        # the seed's own wording of this reason, kept where the seed's report shows it
        message="Technisches Gate: live_dry_run_mode=True (Phase 71)",
        remedy="set environment.live_dry_run_mode = false",
    ),
)

#: the confirm-token gate: its settings are two keys and a run-time variable, so its rule is
#: code (`live.safety`); its codes, messages and remedies live here
TOKEN_GATE: Final = "confirm_token"  # noqa: S105 - a gate name
TOKEN_SETTING: Final = "environment.require_confirm_token"  # noqa: S105 - a key path
TOKEN_BLOCKERS: Final = {
    BlockerCode.CONFIRM_TOKEN_MISSING: (
        "Confirm token required but not supplied (PEAK_TRADE_CONFIRM_TOKEN)",
        "supply the token in PEAK_TRADE_CONFIRM_TOKEN",
    ),
    BlockerCode.CONFIRM_TOKEN_UNVERIFIABLE: (
        "Confirm token supplied but no environment.confirm_token_sha256 to verify it",
        "set environment.confirm_token_sha256 to the SHA-256 of the confirm token",
    ),
    BlockerCode.CONFIRM_TOKEN_INVALID: (
        "Confirm token does not match environment.confirm_token_sha256",
        "supply the token whose SHA-256 is environment.confirm_token_sha256",
    ),
}
CONFIG_INVALID_REMEDY: Final = "fix the config error named above"
KILL_SWITCH_GATE: Final = "kill_switch"
KILL_SWITCH_REMEDY: Final = (
    "clear the cause, then recover the kill switch with its approval procedure (its state file,"
    " data/kill_switch/state.json or PEAK_KILL_SWITCH_STATE_PATH, must leave KILLED/RECOVERING)"
)
GATE_OF_CODE: Final[dict[BlockerCode, str]] = {
    BlockerCode.CONFIG_INVALID: "config",
    BlockerCode.CREDENTIALS_MISSING: "credentials",
    BlockerCode.KILL_SWITCH_TRIPPED: KILL_SWITCH_GATE,
    **{g.code: g.name for g in GATES},
    **dict.fromkeys(TOKEN_BLOCKERS, TOKEN_GATE),
}
REMEDY: Final[dict[BlockerCode, str]] = {
    BlockerCode.CONFIG_INVALID: CONFIG_INVALID_REMEDY,
    BlockerCode.KILL_SWITCH_TRIPPED: KILL_SWITCH_REMEDY,
    **{g.code: g.remedy for g in GATES},
    **{code: remedy for code, (_, remedy) in TOKEN_BLOCKERS.items()},
}

CAPS: Final[tuple[CapRow, ...]] = (
    # the Phase 71 caps: Peak_Trade's EnvironmentConfig reads them in [environment],
    # its LiveRiskConfig in [live_risk]; both count
    CapRow(
        key="environment.max_live_notional_per_order",
        kind=CapKind.PER_ORDER,
        type=NonNegative | None,
        label="Phase 71 per-order cap ([environment])",
    ),
    CapRow(
        key="environment.max_live_notional_total",
        kind=CapKind.TOTAL,
        type=NonNegative | None,
        label="Phase 71 total cap ([environment])",
    ),
    CapRow(
        key="environment.live_trade_min_size",
        kind=CapKind.MIN_ORDER,
        type=NonNegative | None,
        label="Phase 71 minimum order ([environment])",
    ),
    CapRow(
        key="live_risk.max_live_notional_per_order",
        kind=CapKind.PER_ORDER,
        type=NonNegative | None,
        label="Phase 71 per-order cap",
    ),
    CapRow(
        key="live_risk.max_live_notional_total",
        kind=CapKind.TOTAL,
        type=NonNegative | None,
        label="Phase 71 total cap",
    ),
    CapRow(
        key="live_risk.live_trade_min_size",
        kind=CapKind.MIN_ORDER,
        type=NonNegative | None,
        label="Phase 71 minimum order",
    ),
    CapRow(
        key="live_risk.max_order_notional",
        kind=CapKind.PER_ORDER,
        type=NonNegative | None,
        label="per-order cap",
    ),
    CapRow(
        key="live_risk.max_total_exposure_notional",
        kind=CapKind.TOTAL,
        type=NonNegative | None,
        label="total exposure cap",
    ),
    CapRow(
        key="live_risk.max_symbol_exposure_notional",
        kind=CapKind.PER_SYMBOL,
        type=NonNegative | None,
        label="per-symbol exposure cap",
    ),
    CapRow(
        key="live_risk.max_open_positions",
        kind=CapKind.OPEN_POSITIONS,
        type=Count | None,
        label="open positions cap",
    ),
    CapRow(
        key="live_risk.max_daily_loss_abs",
        kind=CapKind.DAILY_LOSS_ABS,
        type=NonNegative | None,
        label="daily loss cap",
    ),
    CapRow(
        key="live_risk.max_daily_loss_pct",
        kind=CapKind.DAILY_LOSS_PCT,
        type=Percent | None,
        label="daily loss cap (%)",
    ),
    CapRow(
        key="bounded_live.limits.max_order_notional",
        kind=CapKind.PER_ORDER,
        type=NonNegative | None,
        label="bounded-live per-order cap",
        bounded=True,
    ),
    CapRow(
        key="bounded_live.limits.min_order_notional",
        kind=CapKind.MIN_ORDER,
        type=NonNegative | None,
        label="bounded-live minimum order",
        bounded=True,
    ),
    CapRow(
        key="bounded_live.limits.max_total_notional",
        kind=CapKind.TOTAL,
        type=NonNegative | None,
        label="bounded-live total cap",
        bounded=True,
    ),
    CapRow(
        key="bounded_live.limits.max_open_positions",
        kind=CapKind.OPEN_POSITIONS,
        type=Count | None,
        label="bounded-live open positions cap",
        bounded=True,
    ),
    CapRow(
        key="bounded_live.limits.max_daily_loss_abs",
        kind=CapKind.DAILY_LOSS_ABS,
        type=NonNegative | None,
        label="bounded-live daily loss cap",
        bounded=True,
    ),
    CapRow(
        key="bounded_live.limits.max_daily_loss_pct",
        kind=CapKind.DAILY_LOSS_PCT,
        type=Percent | None,
        label="bounded-live daily loss cap (%)",
        bounded=True,
    ),
    CapRow(
        key="bounded_live.limits.max_position_pct",
        kind=CapKind.POSITION_PCT,
        type=Fraction | None,
        label="bounded-live position share",
        bounded=True,
    ),
)

#: Peak_Trade's caps by key (a bot dialect lists its own rows in its package)
CAP: Final = {row.key: row for row in CAPS}

#: the seed's three risk fields and the kind each reports (the binding Phase 71 cap)
SEED_RISK_FIELDS: Final = (
    ("max_live_notional_per_order", CapKind.PER_ORDER),
    ("max_live_notional_total", CapKind.TOTAL),
    ("live_trade_min_size", CapKind.MIN_ORDER),
)

#: tables whose every key the registry knows: an unknown key there is an error (typo guard)
STRICT_TABLES: Final = ("environment", "live_risk", "bounded_live.limits")


@cache  # the rows never change, and there are a few tables
def keys_of_table(table: str) -> tuple[str, ...]:
    """Every key the registry knows in one table, in row order."""
    settings = [r.field for r in SETTINGS if r.table == table]
    caps = [r.field for r in CAPS if r.table == table]
    return tuple(settings + caps)


def is_finite(value: object) -> bool:
    return not isinstance(value, float) or math.isfinite(value)
