"""Safety guard (Phase 71): may this system execute live, and if not, every reason why.

`evaluate_gates` is the one decision function: pure, total, and it reports every failing
condition, never only the first. The gates, their codes, messages and remedies are rows of
`core.registry`; the confirm-token rule is the one gate written as code here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import msgspec

from peak_trade.core.environment import EnvironmentConfig, TradingEnvironment
from peak_trade.core.registry import (
    GATE_OF_CODE,
    GATES,
    REMEDY,
    TOKEN_BLOCKERS,
    BlockerCode,
    GateRow,
)
from peak_trade.errors import ConfigError, PeakTradeError

__all__ = [
    "ALLOWED_REASON",
    "REMEDY",
    "Blocker",
    "BlockerCode",
    "EffectiveMode",
    "LiveExecutionBlocked",
    "SafetyGuard",
    "Verdict",
    "config_invalid_verdict",
    "evaluate_gates",
    "is_live_execution_allowed",
]


class EffectiveMode(StrEnum):
    PAPER = "paper"
    TESTNET_DRY_RUN = "testnet_dry_run"
    TESTNET = "testnet"  # testnet orders would reach a testnet venue (testnet_dry_run = false)
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
    allowed_reason: str = ""  # the dialect's sentence for an open verdict (default: Phase 71's)

    @property
    def codes(self) -> tuple[BlockerCode, ...]:
        return tuple(b.code for b in self.blockers)

    @property
    def reasons(self) -> tuple[str, ...]:
        """One human sentence per blocker, or one saying why live is allowed."""
        if self.allowed:
            return (self.allowed_reason or ALLOWED_REASON,)
        return tuple(dict.fromkeys(b.message for b in self.blockers))

    @property
    def closed_gates(self) -> frozenset[str]:
        """A gate is open when nothing blocks at it."""
        return frozenset(b.gate for b in self.blockers)


ALLOWED_REASON: Final = (
    "All gates open: mode=live, Gate 1 and Gate 2 open, dry-run off, confirm token accepted"
)


def _blocker(code: BlockerCode, message: str) -> Blocker:
    return Blocker(code=code, gate=GATE_OF_CODE[code], message=message)


def _gate_blocker(gate: GateRow, value: object) -> Blocker:
    return _blocker(gate.code, gate.message.format(value=value))


# Blockers are immutable values: built once here, shared by every verdict.
_GATE_BLOCKERS: Final = {
    gate.name: {
        value: _gate_blocker(gate, value)
        for value in ((m.value for m in TradingEnvironment) if gate.name == "mode" else (None,))
    }
    for gate in GATES
}
_TOKEN: Final = {code: _blocker(code, message) for code, (message, _) in TOKEN_BLOCKERS.items()}


def _open_object(gate: GateRow) -> object:
    """The one object a gate's attribute must be (identity): True, False or the LIVE member."""
    if isinstance(gate.open_value, str):
        return TradingEnvironment(gate.open_value)
    return gate.open_value


# (attribute of EnvironmentConfig, the object that opens the gate, its blockers by value)
_GATE_CHECKS: Final = tuple(
    (
        "environment" if gate.setting == "environment.mode" else gate.setting.rsplit(".", 1)[1],
        _open_object(gate),
        _GATE_BLOCKERS[gate.name],
    )
    for gate in GATES
)


def evaluate_gates(env: EnvironmentConfig) -> Verdict:
    """Evaluate every gate of a config. Pure; the single source of the live decision."""
    blockers: list[Blocker] = []
    for attribute, open_object, gate_blockers in _GATE_CHECKS:
        value = getattr(env, attribute)
        # open only on exactly the open object: 1 is not True, "false" is not False
        if value is not open_object:
            key = value.value if isinstance(value, TradingEnvironment) else None
            blockers.append(gate_blockers[key])
    if env.require_confirm_token is not False:
        token_code = _token_blocker(env)
        if token_code is not None:
            blockers.append(_TOKEN[token_code])

    allowed = not blockers
    return Verdict(allowed=allowed, effective_mode=_mode(env, allowed), blockers=tuple(blockers))


def _mode(env: EnvironmentConfig, allowed: bool) -> EffectiveMode:
    if env.environment is TradingEnvironment.PAPER:
        return EffectiveMode.PAPER
    if env.environment is TradingEnvironment.TESTNET:
        if env.testnet_dry_run is False:
            return EffectiveMode.TESTNET
        return EffectiveMode.TESTNET_DRY_RUN
    if env.live_dry_run_mode is not False:
        return EffectiveMode.LIVE_DRY_RUN
    return EffectiveMode.LIVE if allowed else EffectiveMode.BLOCKED


def _token_blocker(env: EnvironmentConfig) -> BlockerCode | None:
    if env.confirm_token is None:
        return BlockerCode.CONFIRM_TOKEN_MISSING
    if env.confirm_token_sha256 is None:
        return BlockerCode.CONFIRM_TOKEN_UNVERIFIABLE
    if not env.confirm_token.matches_sha256(env.confirm_token_sha256):
        return BlockerCode.CONFIRM_TOKEN_INVALID
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
    """Raised by `SafetyGuard.ensure_may_place_order` for callers that want an exception."""

    def __init__(self, verdict: Verdict) -> None:
        self.verdict = verdict
        self.blockers = verdict.blockers
        super().__init__("live execution blocked: " + ", ".join(verdict.codes))


class SafetyGuard:
    """Wraps one config (or the error that prevented loading it) and answers for it.

    `SafetyGuard(env_config=...)` is Peak_Trade's call form.
    """

    __slots__ = ("_env", "_verdict")

    def __init__(self, env_config: EnvironmentConfig | ConfigError) -> None:
        if isinstance(env_config, ConfigError):
            self._env: EnvironmentConfig | None = None
            self._verdict = config_invalid_verdict(env_config)
        elif isinstance(env_config, EnvironmentConfig):
            self._env = env_config
            self._verdict = evaluate_gates(env_config)
        else:
            raise TypeError("SafetyGuard takes an EnvironmentConfig (or the ConfigError)")

    @property
    def env_config(self) -> EnvironmentConfig | None:
        return self._env

    @property
    def verdict(self) -> Verdict:
        return self._verdict

    @property
    def effective_mode(self) -> EffectiveMode:
        return self._verdict.effective_mode

    def get_effective_mode(self) -> EffectiveMode:
        """Peak_Trade's name for `effective_mode`."""
        return self._verdict.effective_mode

    def is_live_execution_allowed(self) -> bool:
        return self._verdict.allowed

    def may_place_order(self) -> bool:
        """Paper, testnet and live dry-run orders are simulated and may proceed; a live order
        needs every gate open. An invalid config blocks everything."""
        return self._verdict.effective_mode is not EffectiveMode.BLOCKED

    def ensure_may_place_order(self) -> EffectiveMode:
        """The mode an order may be placed in, or raise `LiveExecutionBlocked`."""
        if not self.may_place_order():
            raise LiveExecutionBlocked(self._verdict)
        return self._verdict.effective_mode
