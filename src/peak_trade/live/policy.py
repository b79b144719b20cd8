"""The policy check for CI, cron and pre-commit: does a snapshot meet the expectation?

Pure: a snapshot and the expectation in, every violated rule out (never only the first), each
naming the config key(s) that fix it. `--expect blocked` judges an *armed* config (the file alone
opens every gate it controls) as live-capable whether or not a token happens to be in the
auditing process's environment: CI has no token, production has one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import msgspec

from peak_trade.core.registry import GATES
from peak_trade.live.snapshot import LiveAuditSnapshot


class Expectation(StrEnum):
    BLOCKED = "blocked"  # the v1.0 guarantee: live execution is not possible
    ALLOWED = "allowed"  # a deliberate live release: every gate open, and still safe


class PolicyViolation(msgspec.Struct, frozen=True):
    code: str
    message: str
    fix: str = ""


def _closing_assignment(setting: str, open_value: object) -> str:
    closed = '"paper"' if isinstance(open_value, str) else str(not open_value).lower()
    return f"{setting} = {closed}"


#: closing any one gate of an armed config disarms it
_ARMED_FIX = " or ".join(_closing_assignment(g.setting, g.open_value) for g in GATES)


def check_snapshot(snapshot: LiveAuditSnapshot, expect: Expectation) -> tuple[PolicyViolation, ...]:
    if snapshot.config.dialect == "freqtrade":
        return _check_bot(snapshot, expect)
    violations: list[PolicyViolation] = []
    safety, gating, drills, risk = snapshot.safety, snapshot.gating, snapshot.drills, snapshot.risk
    live_capable = gating.config_armed or gating.mode.value == "live"
    if expect is Expectation.BLOCKED and safety.is_live_execution_allowed:
        violations.append(
            PolicyViolation(
                "live_allowed", "live execution is allowed; expected blocked", _ARMED_FIX
            )
        )
    if expect is Expectation.BLOCKED and gating.config_armed:
        violations.append(
            PolicyViolation(
                "config_armed",
                "the config opens every gate it controls (armed): only a run-time token"
                " stands between it and live orders",
                _ARMED_FIX,
            )
        )
    if expect is Expectation.ALLOWED and not safety.is_live_execution_allowed:
        violations.append(_blocked_but_expected_allowed(safety, "live execution is blocked"))
    if safety.real_orders_possible:
        violations.append(PolicyViolation("real_orders_possible", "real orders are possible"))
    if not drills.drills_executable:
        violations.append(PolicyViolation("drills_not_executable", "the drills could not run"))
    failed = [r.id for r in drills.results if not r.passed]
    if failed:
        fix = ""
        if "E" in failed:
            fix = _drill_e_fix(risk)
        violations.append(
            PolicyViolation("drill_failed", f"drill(s) failing: {', '.join(failed)}", fix)
        )
    if live_capable and not risk.limits_enabled:
        violations.append(
            PolicyViolation(
                "risk_limits_disabled",
                "risk limits are disabled while mode is live or the config is armed",
                "live_risk.enabled = true",
            )
        )
    if live_capable and not risk.block_on_violation:
        violations.append(
            PolicyViolation(
                "risk_limits_warn_only",
                "a cap breach only warns (block_on_violation = false) while mode is live or"
                " the config is armed",
                "live_risk.block_on_violation = true",
            )
        )
    if gating.mode.value == "live" and gating.require_confirm_token is False:
        violations.append(
            PolicyViolation(
                "confirm_token_not_required",
                "mode is live but environment.require_confirm_token is false",
                "environment.require_confirm_token = true",
            )
        )
    inline = [c.key for v in snapshot.venues for c in v.credentials if c.kind == "inline"]
    if "environment.confirm_token" in snapshot.config.redacted_keys:
        inline.insert(0, "environment.confirm_token")
    if inline:
        violations.append(
            PolicyViolation(
                "inline_credential",
                f"credential(s) stored in the config file: {', '.join(inline)}",
                "remove them and name an environment variable in a *_env_var key instead",
            )
        )
    return tuple(violations)


def _check_bot(snapshot: LiveAuditSnapshot, expect: Expectation) -> tuple[PolicyViolation, ...]:
    """freqtrade (DESIGN §8): dry_run off (whatever the credentials), an inline credential, an
    API server without a JWT secret, and while live an unlimited stake or number of trades."""
    from peak_trade.dialects import freqtrade

    violations: list[PolicyViolation] = []
    safety, gating = snapshot.safety, snapshot.gating
    from_env = freqtrade.variable_setting(("dry_run",), snapshot.config.env_overrides)
    dry_run_fix = 'set "dry_run": true' + (f" and remove {from_env}" if from_env else "")
    if expect is Expectation.BLOCKED and safety.is_live_execution_allowed:
        violations.append(
            PolicyViolation("live_allowed", "the bot can trade live; expected blocked", dry_run_fix)
        )
    if expect is Expectation.BLOCKED and gating.config_armed:
        source = f" ({from_env} overrides the file)" if from_env else ""
        violations.append(
            PolicyViolation(
                "dry_run_off",
                f"dry_run is false{source}: with credentials the bot sends real orders",
                dry_run_fix,
            )
        )
    if expect is Expectation.ALLOWED and not safety.is_live_execution_allowed:
        violations.append(_blocked_but_expected_allowed(safety, "the bot cannot trade live"))
    if safety.real_orders_possible and expect is Expectation.BLOCKED:
        violations.append(
            PolicyViolation(
                "real_orders_possible",
                "real orders are possible: live, credentials present, no sandbox",
                dry_run_fix,
            )
        )
    inline = [c.key for v in snapshot.venues for c in v.credentials if c.kind == "inline"]
    if inline:
        violations.append(
            PolicyViolation(
                "inline_credential",
                f"credential(s) stored in the config file: {', '.join(inline)}",
                "remove them; supply FREQTRADE__EXCHANGE__KEY and FREQTRADE__EXCHANGE__SECRET",
            )
        )
    if gating.api_server_unprotected:
        violations.append(
            PolicyViolation(
                "api_server_unprotected",
                "api_server is enabled without jwt_secret_key (freqtrade then uses a public"
                " default)",
                "set api_server.jwt_secret_key to a long random value",
            )
        )
    if gating.config_armed:
        violations.extend(
            PolicyViolation(
                f"unlimited_{cap.key}",
                f"{cap.key} is unlimited while the bot trades live",
                f"set {cap.key} to a number",
            )
            for cap in snapshot.risk.limits
            if cap.unlimited and cap.key in ("stake_amount", "max_open_trades")
        )
    return tuple(violations)


def _blocked_but_expected_allowed(safety: Any, what: str) -> PolicyViolation:
    """`--expect allowed` (a deliberate live release) violated: name every blocker."""
    codes = ", ".join(b.code.value for b in safety.blockers)
    return PolicyViolation("live_blocked", f"{what} ({codes}); expected allowed")


def _drill_e_fix(risk: Any) -> str:
    if not risk.limits_enabled:
        return "live_risk.enabled = true"
    if not risk.block_on_violation:
        return "live_risk.block_on_violation = true"
    missing = [
        key
        for kind, key in (
            ("per_order", "live_risk.max_order_notional"),
            ("total", "live_risk.max_total_exposure_notional"),
        )
        if getattr(risk.effective, kind) is None
    ]
    return "set " + " and ".join(missing) if missing else ""


def check_payload(
    snapshot: LiveAuditSnapshot,
    expect: Expectation,
    violations: tuple[PolicyViolation, ...],
) -> dict[str, object]:
    """The JSON form of a check result (`audit check --format json`)."""
    return {
        "ok": not violations,
        "expect": expect.value,
        "environment_id": snapshot.environment_id,
        "violations": violations,
    }
