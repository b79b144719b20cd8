"""The snapshot as Markdown, following the seed's report (Phase 74, §3.3) line for line.

Extra sections (blockers with codes, drill results, config provenance) stand before the footer.
"""

from __future__ import annotations

from peak_trade.live.audit import LiveAuditSnapshot

_CONTROL = dict.fromkeys((*range(0x20), 0x7F), "\ufffd")


def _inline(value: object) -> str:
    """One line of text: control characters (a newline in an id, say) cannot start a section."""
    return str(value).translate(_CONTROL)


def _cell(value: object) -> str:
    return _inline(value).replace("|", "\\|")


def render(snapshot: LiveAuditSnapshot) -> str:
    g, r, d, s = snapshot.gating, snapshot.risk, snapshot.drills, snapshot.safety
    lines = [
        "# Peak_Trade - Live Audit Snapshot",
        "",
        "**Phase 71-74, v1.0**",
        f"**Timestamp:** {_inline(snapshot.timestamp_utc)} (UTC)",
        f"**Environment ID:** {_inline(snapshot.environment_id)}",
        "",
        "## Gating Status",
        "",
        f"- **Mode:** {g.mode.value}",
        f"- **Effective Mode:** {g.effective_mode.value}",
        f"- **enable_live_trading (Gate 1):** {g.enable_live_trading}",
        f"- **live_mode_armed (Gate 2 - Phase 71):** {g.live_mode_armed}",
        f"- **live_dry_run_mode (Technisches Gate):** {g.live_dry_run_mode}",
        f"- **confirm_token_present:** {g.confirm_token_present} (Wert nicht exportiert)",
        f"- **require_confirm_token:** {g.require_confirm_token}",
        "",
        "## Risk Limits",
        "",
        f"- **Limits Enabled:** {r.limits_enabled}",
        f"- **Limits Source:** {_inline(r.limits_source)}",
        f"- **max_live_notional_per_order:** {r.max_live_notional_per_order}",
        f"- **max_live_notional_total:** {r.max_live_notional_total}",
        f"- **live_trade_min_size:** {r.live_trade_min_size}",
        "",
        "## Drills Summary",
        "",
        f"- **Available Scenarios:** {d.num_scenarios}",
        f"- **Drills Executable:** {d.drills_executable}",
        "",
        "Available Drill Scenarios:",
        *(f"  - {name}" for name in d.available_scenarios),
        "",
        "## Safety Summary",
        "",
        f"- **is_live_execution_allowed:** {s.is_live_execution_allowed}",
        f"- **Safety Guarantee (v1.0):** {s.safety_guarantee_v1_0}",
        "",
        "**Reasons:**",
        *(f"  - {_inline(reason)}" for reason in s.reasons),
        "",
        *_blockers_section(snapshot),
        *_drill_results_section(snapshot),
        *_provenance_section(snapshot),
        "---",
        "",
        "**Note:** This snapshot is read-only."
        " No config changes, no state changes, no real orders.",
        "**Phase 71-74:** Live-Execution-Path exists as design/Dry-Run only.",
        "**v1.0:** Research/Testnet system - no real live orders possible.",
    ]
    return "\n".join(lines) + "\n"


def _blockers_section(snapshot: LiveAuditSnapshot) -> list[str]:
    lines = ["## Blockers", ""]
    if not snapshot.safety.blockers:
        lines += ["No blocker: every gate is open.", ""]
        return lines
    lines += ["| Code | Gate | Message |", "|---|---|---|"]
    lines += [
        f"| `{b.code.value}` | {b.gate} | {_cell(b.message)} |" for b in snapshot.safety.blockers
    ]
    return [*lines, ""]


def _drill_results_section(snapshot: LiveAuditSnapshot) -> list[str]:
    drills = snapshot.drills
    lines = ["## Drill Results", ""]
    if not drills.drills_executable:
        return [*lines, "Drills were not executed: the config could not be loaded.", ""]
    passed = sum(r.passed for r in drills.results)
    lines += [
        f"{passed} passed, {len(drills.results) - passed} failed.",
        "",
        "| Drill | Result | Expected | Observed |",
        "|---|---|---|---|",
    ]
    for result in drills.results:
        expected = "; ".join(o.describe() for o in result.expected)
        observed = (
            "as expected" if result.passed else "; ".join(o.describe() for o in result.observed)
        )
        verdict = "PASS" if result.passed else "**FAIL**"
        lines.append(
            f"| {_cell(result.name)} | {verdict} | {_cell(expected)} | {_cell(observed)} |"
        )
    return [*lines, ""]


def _provenance_section(snapshot: LiveAuditSnapshot) -> list[str]:
    c, v, g = snapshot.config, snapshot.versions, snapshot.gating
    redacted = ", ".join(f"`{_inline(k)}`" for k in c.redacted_keys) or "none"
    token_valid = {True: "True", False: "False", None: "not checked"}[g.confirm_token_valid]
    return [
        "## Config Provenance",
        "",
        f"- **Source:** {c.source}",
        f"- **Path:** {_inline(c.path or '-')}",
        f"- **sha256_redacted:** `{c.sha256_redacted}`",
        f"- **Redacted keys (values not exported):** {redacted}",
        f"- **confirm_token_valid:** {token_valid} (Wert nicht exportiert)",
        f"- **real_orders_possible:** {snapshot.safety.real_orders_possible}",
        f"- **Versions:** peak-trade {v.peak_trade}, Python {v.python},"
        f" git {v.git_commit or 'unknown'}, schema {v.schema}",
        "",
    ]
