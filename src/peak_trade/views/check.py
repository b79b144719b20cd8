"""Text view of the policy check, and of a control profile's result."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from peak_trade.live.policy import Expectation, PolicyViolation
from peak_trade.views import aligned, cell

if TYPE_CHECKING:
    from peak_trade.live.evidence import ControlResult, ProfileResult


def render_check(
    violations: Sequence[PolicyViolation],
    expect: Expectation,
    env_id: str,
    profile: ProfileResult | None = None,
) -> str:
    env_id = cell(env_id)
    lines = [
        f"  {v.code}: {cell(v.message)}" + (f" (fix: {cell(v.fix)})" if v.fix else "")
        for v in violations
    ]
    if profile is None:
        if not violations:
            return f"OK: {env_id} meets --expect {expect.value}\n"
        head = f"FAIL: {env_id} violates --expect {expect.value} ({len(violations)} problem(s))"
        return "\n".join([head, *lines]) + "\n"
    absent = len(profile.absent)
    judged = f"--expect {expect.value} and profile {profile.profile}"
    if not violations and not absent:
        head = f"OK: {env_id} meets {judged}"
    else:
        head = (
            f"FAIL: {env_id}: {len(violations)} policy violation(s), {absent} control(s) absent"
            f" ({judged})"
        )
    return "\n".join([head, *lines, *render_profile(profile)]) + "\n"


def _detail(control: ControlResult) -> str:
    if control.status == "present":
        where = sorted({loc.file or loc.variable or "" for loc in control.locations} - {""})
        shown = ", ".join(control.evidence) + (f" ({', '.join(where)})" if where else "")
        return shown + (f"; {control.note}" if control.note else "")
    if control.status == "absent":
        fix = f"fix: {control.fix}" if control.fix else ""
        return "; ".join(filter(None, [fix, control.note]))
    return control.note or ""


def render_profile(result: ProfileResult) -> list[str]:
    """The profile's heading and one line per control: reference, id, status, and the evidence
    (with its files), the fix or the reason."""
    counts = ", ".join(
        f"{result.count(status)} {status.replace('_', ' ')}"
        for status in ("present", "absent", "not_expressible", "not_applicable")
    )
    rows = [
        (
            c.reference,
            c.id,
            c.status.upper() if c.status == "absent" else c.status.replace("_", " "),
            _detail(c),
        )
        for c in result.controls
    ]
    return [
        f"profile {cell(result.profile)} ({cell(result.title)}): {counts}",
        *(f"  {line}" for line in aligned(rows)),
    ]
