"""The policy check for CI, cron and pre-commit: does a snapshot meet the expectation?

Pure: a snapshot and the expectation in, every violated rule out (never only the first), each
naming the config key(s) that fix it. The rules are objects (`live.rules`): the generic ones
written once, each dialect's listed in its own package, in report order.
"""

from __future__ import annotations

from peak_trade.live.rules import Expectation, PolicyViolation, check_payload
from peak_trade.live.snapshot import LiveAuditSnapshot

__all__ = ["Expectation", "PolicyViolation", "check_payload", "check_snapshot"]


def check_snapshot(snapshot: LiveAuditSnapshot, expect: Expectation) -> tuple[PolicyViolation, ...]:
    """Every rule of the snapshot's dialect that the snapshot violates."""
    from peak_trade.dialects import named

    dialect = named(snapshot.config.dialect)
    return dialect.policy().check(snapshot, expect, dialect.policy_words(snapshot))
