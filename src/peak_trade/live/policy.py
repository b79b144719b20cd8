"""The policy check for CI, cron and pre-commit: does a snapshot meet the expectation?

Pure: a snapshot and the expectation in, every violated expectation out (never only the first).
"""

from __future__ import annotations

from enum import StrEnum

import msgspec

from peak_trade.live.audit import LiveAuditSnapshot


class Expectation(StrEnum):
    BLOCKED = "blocked"  # the v1.0 guarantee: live execution is not possible
    ALLOWED = "allowed"  # a deliberate live release: every gate open, and still safe


class PolicyViolation(msgspec.Struct, frozen=True):
    code: str
    message: str


def check_snapshot(snapshot: LiveAuditSnapshot, expect: Expectation) -> tuple[PolicyViolation, ...]:
    violations: list[PolicyViolation] = []
    safety, gating, drills = snapshot.safety, snapshot.gating, snapshot.drills
    if expect is Expectation.BLOCKED and safety.is_live_execution_allowed:
        violations.append(
            PolicyViolation("live_allowed", "live execution is allowed; expected blocked")
        )
    if expect is Expectation.ALLOWED and not safety.is_live_execution_allowed:
        codes = ", ".join(b.code.value for b in safety.blockers)
        violations.append(
            PolicyViolation(
                "live_blocked", f"live execution is blocked ({codes}); expected allowed"
            )
        )
    if safety.real_orders_possible:
        violations.append(PolicyViolation("real_orders_possible", "real orders are possible"))
    if not drills.drills_executable:
        violations.append(PolicyViolation("drills_not_executable", "the drills could not run"))
    failed = [r.id for r in drills.results if not r.passed]
    if failed:
        violations.append(PolicyViolation("drill_failed", f"drill(s) failing: {', '.join(failed)}"))
    if not snapshot.risk.limits_enabled:
        violations.append(
            PolicyViolation("risk_limits_disabled", "risk limits are disabled ([live_risk])")
        )
    if gating.mode.value == "live" and not gating.require_confirm_token:
        violations.append(
            PolicyViolation(
                "confirm_token_not_required",
                "mode is live but environment.require_confirm_token is false",
            )
        )
    return tuple(violations)
