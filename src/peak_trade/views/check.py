"""Text view of the policy check."""

from __future__ import annotations

from collections.abc import Sequence

from peak_trade.live.policy import Expectation, PolicyViolation
from peak_trade.views import cell


def render_check(violations: Sequence[PolicyViolation], expect: Expectation, env_id: str) -> str:
    env_id = cell(env_id)
    if not violations:
        return f"OK: {env_id} meets --expect {expect.value}\n"
    lines = [f"FAIL: {env_id} violates --expect {expect.value} ({len(violations)} problem(s))"]
    lines += [
        f"  {v.code}: {cell(v.message)}" + (f" (fix: {cell(v.fix)})" if v.fix else "")
        for v in violations
    ]
    return "\n".join(lines) + "\n"
