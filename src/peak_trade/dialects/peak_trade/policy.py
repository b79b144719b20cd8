"""Peak_Trade's policy (DESIGN §6): the generic rules in Peak_Trade's words, plus its own. Pure.

`--expect blocked` judges an *armed* config (the file alone opens every gate it controls) as
live-capable whether or not a token happens to be in the auditing process's environment: CI has
no token, production has one.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Final

from peak_trade.core.kinds import CapKind
from peak_trade.core.registry import GATES
from peak_trade.dialects.peak_trade.runtime import LIVE_PATH
from peak_trade.live.rules import (
    Expectation,
    ExpectedAllowed,
    InlineCredential,
    LiveAllowed,
    Policy,
    PolicyViolation,
    PolicyWords,
    RealOrdersPossible,
)
from peak_trade.live.snapshot import LiveAuditSnapshot

TOKEN_KEY: Final = "environment.confirm_token"  # noqa: S105 - a key path


class PeakTradeRule(StrEnum):
    """Codes of the rules only Peak_Trade has (stable ids)."""

    CONFIG_ARMED = "config_armed"
    DRILLS_NOT_EXECUTABLE = "drills_not_executable"
    DRILL_FAILED = "drill_failed"
    RISK_LIMITS_DISABLED = "risk_limits_disabled"
    RISK_LIMITS_WARN_ONLY = "risk_limits_warn_only"
    CONFIRM_TOKEN_NOT_REQUIRED = "confirm_token_not_required"  # noqa: S105
    KILL_SWITCH_MISSING = "kill_switch_missing"


def _closing_assignment(setting: str, open_value: object) -> str:
    closed = '"paper"' if isinstance(open_value, str) else str(not open_value).lower()
    return f"{setting} = {closed}"


#: closing any one gate of an armed config disarms it
DISARM_FIX: Final = " or ".join(_closing_assignment(g.setting, g.open_value) for g in GATES)
DISARM_KEYS: Final = tuple(g.setting for g in GATES)


def _real_orders_fix(snapshot: LiveAuditSnapshot) -> tuple[str, tuple[str, ...]]:
    """What stops real orders on this config's order path: the testnet session asks no gate,
    the bounded pilot builds its gates in code; only the venue or the mode can stop them."""
    reaching = {v.name for v in snapshot.venues if v.orders_reach.value in ("real", "unknown")}
    if "exchange.kraken_testnet" in reaching:
        return (
            'exchange.kraken_testnet.validate_only = true or environment.mode = "paper"'
            " (the testnet session asks none of the gates)",
            ("exchange.kraken_testnet.validate_only", "environment.mode"),
        )
    if "exchange.kraken_live" in reaching:
        return (
            'environment.mode = "paper" or "testnet" (the bounded pilot sets its gates in code)',
            ("environment.mode",),
        )
    return DISARM_FIX, DISARM_KEYS


def words(snapshot: LiveAuditSnapshot) -> PolicyWords:
    real_fix, real_keys = _real_orders_fix(snapshot)
    return PolicyWords(
        live_allowed="live execution is allowed",
        blocked="live execution is blocked",
        disarm_fix=DISARM_FIX,
        disarm_keys=DISARM_KEYS,
        real_orders="real orders are possible",
        real_orders_fix=real_fix,
        real_orders_keys=real_keys,
        inline_fix="remove them and name an environment variable in a *_env_var key instead",
        inline_extra=(TOKEN_KEY,) if TOKEN_KEY in snapshot.config.redacted_keys else (),
    )


def _live_capable(snapshot: LiveAuditSnapshot) -> bool:
    return snapshot.gating.config_armed or snapshot.gating.mode.value == "live"


class ConfigArmed:
    code = PeakTradeRule.CONFIG_ARMED
    help = (
        "The config opens every gate it controls (mode live, Gate 1, Gate 2, dry-run off): only"
        " a run-time token stands between it and live orders."
    )

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        if expect is Expectation.BLOCKED and snapshot.gating.config_armed:
            message = (
                "the config opens every gate it controls (armed): only a run-time token"
                " stands between it and live orders"
            )
            return (PolicyViolation(self.code, message, DISARM_FIX, DISARM_KEYS),)
        return ()


class DrillsNotExecutable:
    code = PeakTradeRule.DRILLS_NOT_EXECUTABLE
    help = "The seed's drills A-G could not run against this config."

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        if not snapshot.drills.drills_executable:
            return (PolicyViolation(self.code, "the drills could not run"),)
        return ()


class DrillFailed:
    """A failing drill. Drill E proves the per-order and total caps; in a config that cannot
    trade live (mode not live, not armed) caps that are not configured leave nothing to prove
    and nothing to protect, so E failing for that reason alone is no finding: a paper-only
    repository passes. Once the config is live or armed, or a cap is set and E still fails, it
    is one."""

    code = PeakTradeRule.DRILL_FAILED
    help = "A drill (A-G) did not behave as expected: a gate or cap does not block what it should."

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        failed = [r.id for r in snapshot.drills.results if not r.passed]
        if "E" in failed and _nothing_to_prove(snapshot):
            failed.remove("E")
        if not failed:
            return ()
        fix, keys = _drill_e_fix(snapshot) if "E" in failed else ("", ())
        message = f"drill(s) failing: {', '.join(failed)}"
        return (PolicyViolation(self.code, message, fix, keys),)


def _nothing_to_prove(snapshot: LiveAuditSnapshot) -> bool:
    """Drill E has nothing to prove (limits off or warn-only, or no per-order or no total cap)
    in a config that cannot trade live."""
    risk = snapshot.risk
    uncapped = (
        risk.effective.of(CapKind.PER_ORDER) is None or risk.effective.of(CapKind.TOTAL) is None
    )
    off = not risk.limits_enabled or risk.block_on_violation is False
    return (uncapped or off) and not _live_capable(snapshot)


def _drill_e_fix(snapshot: LiveAuditSnapshot) -> tuple[str, tuple[str, ...]]:
    risk = snapshot.risk
    if snapshot.gating.mode.value == "live" and any(
        c.enforced is False and c.enforcement == LIVE_PATH for c in risk.limits
    ):
        return (
            "Peak_Trade's live path checks no cap (src/execution/live_session.py,"
            ' LiveSessionRunner._build_pipeline): set environment.mode = "paper" or'
            ' "testnet" until it does',
            ("environment.mode",),
        )
    if not risk.limits_enabled:
        return "live_risk.enabled = true", ("live_risk.enabled",)
    if not risk.block_on_violation:
        return "live_risk.block_on_violation = true", ("live_risk.block_on_violation",)
    missing = tuple(
        key
        for kind, key in (
            ("per_order", "live_risk.max_order_notional"),
            ("total", "live_risk.max_total_exposure_notional"),
        )
        if getattr(risk.effective, kind) is None
    )
    return ("set " + " and ".join(missing) if missing else ""), missing


class KillSwitchMissing:
    """A live-capable config whose kill switch is absent, disabled or unreadable."""

    code = PeakTradeRule.KILL_SWITCH_MISSING
    help = (
        "A config in mode live, or armed, has no kill switch that protects (risk/kill_switch.toml"
        " absent, disabled or unreadable)."
    )

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        ks = snapshot.kill_switch
        if not _live_capable(snapshot) or ks is None or ks.protects:
            return ()
        if not ks.configured:
            why = f"no kill switch: {ks.source} does not exist"
        elif ks.problem:
            why = f"the kill switch cannot be read: {ks.problem}"
        else:
            why = f"the kill switch is off (enabled = {ks.enabled}, mode = {ks.mode})"
        message = f"{why}, while mode is live or the config is armed"
        fix = f'configure {ks.source} with [kill_switch] enabled = true and mode = "active"'
        return (PolicyViolation(self.code, message, fix, ("kill_switch.enabled",)),)


class _LiveCapableSetting:
    """While mode is live or the config is armed, a setting must hold its safe value."""

    def __init__(self, code: PeakTradeRule, holds: str, key: str, fix: str, message: str) -> None:
        self.code, self._holds, self._key, self._fix, self._message = (
            code,
            holds,
            key,
            fix,
            message,
        )
        self.help = f"While mode is live or the config is armed: {message.split(' while ')[0]}."

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        if _live_capable(snapshot) and not getattr(snapshot.risk, self._holds):
            return (PolicyViolation(self.code, self._message, self._fix, (self._key,)),)
        return ()


class ConfirmTokenNotRequired:
    code = PeakTradeRule.CONFIRM_TOKEN_NOT_REQUIRED
    help = "Mode is live and environment.require_confirm_token is false: no token is asked for."

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        gating = snapshot.gating
        if gating.mode.value == "live" and gating.require_confirm_token is False:
            return (
                PolicyViolation(
                    self.code,
                    "mode is live but environment.require_confirm_token is false",
                    "environment.require_confirm_token = true",
                    ("environment.require_confirm_token",),
                ),
            )
        return ()


POLICY: Final = Policy(
    LiveAllowed(),
    ConfigArmed(),
    ExpectedAllowed(),
    RealOrdersPossible(),
    DrillsNotExecutable(),
    DrillFailed(),
    _LiveCapableSetting(
        PeakTradeRule.RISK_LIMITS_DISABLED,
        "limits_enabled",
        "live_risk.enabled",
        "live_risk.enabled = true",
        "risk limits are disabled while mode is live or the config is armed",
    ),
    _LiveCapableSetting(
        PeakTradeRule.RISK_LIMITS_WARN_ONLY,
        "block_on_violation",
        "live_risk.block_on_violation",
        "live_risk.block_on_violation = true",
        "a cap breach only warns (block_on_violation = false) while mode is live or the config"
        " is armed",
    ),
    ConfirmTokenNotRequired(),
    KillSwitchMissing(),
    InlineCredential(),
)
