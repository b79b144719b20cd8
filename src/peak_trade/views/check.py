"""Text view of the policy check."""

from __future__ import annotations

from collections.abc import Sequence

from peak_trade.live.policy import Expectation, PolicyViolation


def render_check(violations: Sequence[PolicyViolation], expect: Expectation, env_id: str) -> str:
    if not violations:
        return f"OK: {env_id} meets --expect {expect.value}\n"
    lines = [f"FAIL: {env_id} violates --expect {expect.value} ({len(violations)} problem(s))"]
    lines += [
        f"  {v.code}: {v.message}" + (f" (fix: {v.fix})" if v.fix else "") for v in violations
    ]
    return "\n".join(lines) + "\n"
