"""Safety guard (Phase 71): may this system execute live, and if not, every reason why.

`evaluate_gates` is the one decision function: pure, total, and it reports every failing
condition, never only the first. Everything else here wraps it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Final

import msgspec

from peak_trade.core.environment import EnvironmentConfig, TradingEnvironment
from peak_trade.errors import ConfigError, PeakTradeError

if TYPE_CHECKING:
    from peak_trade.live.execution import Order


class BlockerCode(StrEnum):
    """Why live execution is blocked. The declaration order is the report order."""

    CONFIG_INVALID = "config_invalid"
    MODE_NOT_LIVE = "mode_not_live"
    GATE1_DISABLED = "gate1_disabled"
    GATE2_NOT_ARMED = "gate2_not_armed"
    DRY_RUN_ACTIVE = "dry_run_active"
    CONFIRM_TOKEN_MISSING = "confirm_token_missing"  # noqa: S105
    CONFIRM_TOKEN_INVALID = "confirm_token_invalid"  # noqa: S105
    CONFIRM_TOKEN_UNVERIFIABLE = "confirm_token_unverifiable"  # noqa: S105


class EffectiveMode(StrEnum):
    PAPER = "paper"
    TESTNET_DRY_RUN = "testnet_dry_run"
    LIVE_DRY_RUN = "live_dry_run"
    BLOCKED = "blocked"
    LIVE = "live"


class Blocker(msgspec.Struct, frozen=True):
    code: BlockerCode
    gate: str
    message: str


class Verdict(msgspec.Struct, frozen=True):
    """The outcome of evaluating the gates. `allowed` is true only with no blocker."""

    allowed: bool
    effective_mode: EffectiveMode
    blockers: tuple[Blocker, ...]

    @property
    def codes(self) -> tuple[BlockerCode, ...]:
        return tuple(b.code for b in self.blockers)

    @property
    def reasons(self) -> tuple[str, ...]:
        """One human sentence per blocker, or one saying why live is allowed."""
        if self.allowed:
            return (ALLOWED_REASON,)
        return tuple(dict.fromkeys(b.message for b in self.blockers))


ALLOWED_REASON: Final = (
    "All gates open: mode=live, Gate 1 and Gate 2 open, dry-run off, confirm token accepted"
)

GATE_OF: Final[dict[BlockerCode, str]] = {
    BlockerCode.CONFIG_INVALID: "config",
    BlockerCode.MODE_NOT_LIVE: "mode",
    BlockerCode.GATE1_DISABLED: "gate1",
    BlockerCode.GATE2_NOT_ARMED: "gate2",
    BlockerCode.DRY_RUN_ACTIVE: "dry_run",
    BlockerCode.CONFIRM_TOKEN_MISSING: "confirm_token",
    BlockerCode.CONFIRM_TOKEN_INVALID: "confirm_token",
    BlockerCode.CONFIRM_TOKEN_UNVERIFIABLE: "confirm_token",
}

REMEDY: Final[dict[BlockerCode, str]] = {
    BlockerCode.CONFIG_INVALID: "fix the config error named above",
    BlockerCode.MODE_NOT_LIVE: 'set environment.mode = "live"',
    BlockerCode.GATE1_DISABLED: "set environment.enable_live_trading = true",
    BlockerCode.GATE2_NOT_ARMED: "set environment.live_mode_armed = true",
    BlockerCode.DRY_RUN_ACTIVE: "set environment.live_dry_run_mode = false",
    BlockerCode.CONFIRM_TOKEN_MISSING: "supply the token in PEAK_TRADE_CONFIRM_TOKEN",
    BlockerCode.CONFIRM_TOKEN_INVALID: (
        "supply the token whose SHA-256 is environment.confirm_token_sha256"
    ),
    BlockerCode.CONFIRM_TOKEN_UNVERIFIABLE: (
        "set environment.confirm_token_sha256 to the SHA-256 of the confirm token"
    ),
}


def _blocker(code: BlockerCode, message: str) -> Blocker:
    return Blocker(code=code, gate=GATE_OF[code], message=message)


# Blockers are immutable values: built once here, shared by every verdict.
_NOT_LIVE: Final = {
    mode: _blocker(BlockerCode.MODE_NOT_LIVE, f"mode={mode.value}: not live (Phase 71)")
    for mode in TradingEnvironment
    if mode is not TradingEnvironment.LIVE
}
_GATE1: Final = _blocker(BlockerCode.GATE1_DISABLED, "Gate 1: enable_live_trading=False (Phase 71)")
_GATE2: Final = _blocker(BlockerCode.GATE2_NOT_ARMED, "Gate 2: live_mode_armed=False (Phase 71)")
_DRY_RUN: Final = _blocker(
    BlockerCode.DRY_RUN_ACTIVE, "Technisches Gate: live_dry_run_mode=True (Phase 71)"
)
_TOKEN_MISSING: Final = _blocker(
    BlockerCode.CONFIRM_TOKEN_MISSING,
    "Confirm token required but not supplied (PEAK_TRADE_CONFIRM_TOKEN)",
)
_TOKEN_UNVERIFIABLE: Final = _blocker(
    BlockerCode.CONFIRM_TOKEN_UNVERIFIABLE,
    "Confirm token supplied but no environment.confirm_token_sha256 to verify it",
)
_TOKEN_INVALID: Final = _blocker(
    BlockerCode.CONFIRM_TOKEN_INVALID,
    "Confirm token does not match environment.confirm_token_sha256",
)


def evaluate_gates(env: EnvironmentConfig) -> Verdict:
    """Evaluate every gate of a decoded config. Pure; the single source of the decision."""
    blockers: list[Blocker] = []
    if env.mode is not TradingEnvironment.LIVE:
        blockers.append(_NOT_LIVE[env.mode])
    if env.enable_live_trading is not True:
        blockers.append(_GATE1)
    if env.live_mode_armed is not True:
        blockers.append(_GATE2)
    if env.live_dry_run_mode is not False:
        blockers.append(_DRY_RUN)
    if env.require_confirm_token is not False:
        token_blocker = _token_blocker(env)
        if token_blocker is not None:
            blockers.append(token_blocker)

    allowed = not blockers
    if env.mode is TradingEnvironment.PAPER:
        mode = EffectiveMode.PAPER
    elif env.mode is TradingEnvironment.TESTNET:
        mode = EffectiveMode.TESTNET_DRY_RUN
    elif env.live_dry_run_mode is not False:
        mode = EffectiveMode.LIVE_DRY_RUN
    else:
        mode = EffectiveMode.LIVE if allowed else EffectiveMode.BLOCKED
    return Verdict(allowed=allowed, effective_mode=mode, blockers=tuple(blockers))


def _token_blocker(env: EnvironmentConfig) -> Blocker | None:
    if env.confirm_token is None:
        return _TOKEN_MISSING
    if env.confirm_token_sha256 is None:
        return _TOKEN_UNVERIFIABLE
    if not env.confirm_token.matches_sha256(env.confirm_token_sha256):
        return _TOKEN_INVALID
    return None


def config_invalid_verdict(error: ConfigError) -> Verdict:
    return Verdict(
        allowed=False,
        effective_mode=EffectiveMode.BLOCKED,
        blockers=(_blocker(BlockerCode.CONFIG_INVALID, f"Config invalid: {error}"),),
    )


def is_live_execution_allowed(env_config: EnvironmentConfig) -> tuple[bool, list[str]]:
    """The seed's API: `(allowed, reasons)`."""
    verdict = evaluate_gates(env_config)
    return verdict.allowed, list(verdict.reasons)


class LiveExecutionBlocked(PeakTradeError):
    """Raised when an order would need live execution that the gates do not allow."""

    def __init__(self, verdict: Verdict) -> None:
        self.verdict = verdict
        self.blockers = verdict.blockers
        super().__init__("live execution blocked: " + ", ".join(verdict.codes))


class SafetyGuard:
    """Wraps one config (or the error that prevented loading it) and answers for it."""

    __slots__ = ("_env", "_verdict")

    def __init__(self, env_config: EnvironmentConfig | ConfigError) -> None:
        if isinstance(env_config, ConfigError):
            self._env: EnvironmentConfig | None = None
            self._verdict = config_invalid_verdict(env_config)
        else:
            self._env = env_config
            self._verdict = evaluate_gates(env_config)

    @property
    def env_config(self) -> EnvironmentConfig | None:
        return self._env

    @property
    def verdict(self) -> Verdict:
        return self._verdict

    @property
    def effective_mode(self) -> EffectiveMode:
        return self._verdict.effective_mode

    def is_live_execution_allowed(self) -> bool:
        return self._verdict.allowed

    def ensure_may_place_order(self, order: Order) -> EffectiveMode:
        """Return the mode the order may be placed in, or raise `LiveExecutionBlocked`.

        Paper, testnet and live dry-run orders are simulated and may proceed; a live order
        needs every gate open. An invalid config blocks everything.
        """
        if self._verdict.effective_mode is EffectiveMode.BLOCKED:
            raise LiveExecutionBlocked(self._verdict)
        return self._verdict.effective_mode
