"""Text and JSON views of a drill run (Phase 73)."""

from __future__ import annotations

from peak_trade.live.drills import SCENARIO_GLOSS, DrillRun
from peak_trade.views import to_json


def render_text(run: DrillRun) -> str:
    if not run.executable:
        return f"drills not executable: {run.reason}\n"
    lines = []
    for r in run.results:
        if r.passed:
            expected = observed = " + ".join(o.short() for o in r.expected)
        else:  # the whole outcome, so that the difference is visible
            expected = "; ".join(o.describe() for o in r.expected)
            observed = "; ".join(o.describe() for o in r.observed)
        verdict = "PASS" if r.passed else "FAIL"
        gloss = SCENARIO_GLOSS.get(r.id)
        name = f"{r.name} [{gloss}]" if gloss else r.name
        lines.append(f"{verdict}  {name}  expected {expected}  observed {observed}")
    lines.append(f"{run.passed} passed, {run.failed} failed")
    return "\n".join(lines) + "\n"


def render_json(run: DrillRun) -> str:
    payload = {
        "drills_executable": run.executable,
        "passed": run.passed,
        "failed": run.failed,
        "results": run.results,
    }
    return to_json(payload)
