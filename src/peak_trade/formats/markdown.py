"""The snapshot as Markdown, following the seed's report (Phase 74, §3.3) line for line.

The seed's sections keep the seed's lines and labels (its German ones included); everything
schemas 2 and 3 add (gating facts, effective and configured caps with their enforcement,
venues with where their orders reach, the kill switch, blockers, drill results, provenance)
stands in sections of its own before the footer. Labels come from the registry. A value that
is not set prints as `not set`, never as a made-up number.
"""

from __future__ import annotations

from peak_trade.core.caps import ConfiguredCap, unlimited_kinds
from peak_trade.core.facts import NOT_SET, UNLIMITED
from peak_trade.core.registry import EFFECTIVE_KINDS, SETTING, CapKind
from peak_trade.core.text import LAYOUT
from peak_trade.dialects import named
from peak_trade.dialects.words import MarkdownWords
from peak_trade.live.snapshot import LiveAuditSnapshot

#: C0, DEL, C1 and the characters that move or reorder text (bidi controls, line separators)
_CONTROL = dict.fromkeys((*range(0x20), *range(0x7F, 0xA0), *LAYOUT), "\ufffd")


#: what a key name or path taken from a config could use to leave plain text: a backtick (ends
#: or starts a code span), `<` and `>` (raw HTML: `<img onerror=...>`), `&` (an entity)
_MARKUP = {ord(c): "\\" + c for c in "`<>&"}
_TEXT = {**_CONTROL, **_MARKUP}


def _inline(value: object) -> str:
    """One line of plain text: control characters (a newline in an id, say) cannot start a
    section, and markup characters are escaped, so no value becomes HTML or code."""
    return str(value).translate(_TEXT)


def _code(value: object) -> str:
    """A value as a code span: fenced by more backticks than any run inside it (CommonMark),
    so a backtick in a key name cannot end the span early; inside a span `<` is literal."""
    text = str(value).translate(_CONTROL)
    fence = "`" * (max((len(run) for run in _backtick_runs(text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _backtick_runs(text: str) -> list[str]:
    if "`" not in text:
        return []
    import re  # only for a value with a backtick in it

    return re.findall(r"`+", text)


def _cell(value: object) -> str:
    return _inline(value).replace("|", "\\|")


def _code_cell(value: object) -> str:
    return _code(value).replace("|", "\\|")


def _shown(value: object) -> str:
    return NOT_SET if value is None else _inline(value)


def _words(snapshot: LiveAuditSnapshot) -> MarkdownWords:
    return named(snapshot.config.dialect).markdown


def _peak_only(value: object, snapshot: LiveAuditSnapshot) -> str:
    """A field only some dialects set: the config's dialect says how to word its absence."""
    return _words(snapshot).absent_field if value is None else _shown(value)


def _cap_shown(value: object, snapshot: LiveAuditSnapshot) -> str:
    return _words(snapshot).absent_cap if value is None else _shown(value)


def _seed_label(key: str) -> str:
    return SETTING[key].seed_label or key


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
        f"- **{_seed_label('environment.mode')}:** {g.mode.value}",
        f"- **Effective Mode:** {g.effective_mode.value}",
        f"- **{_seed_label('environment.enable_live_trading')}:**"
        f" {_peak_only(g.enable_live_trading, snapshot)}",
        f"- **{_seed_label('environment.live_mode_armed')}:**"
        f" {_peak_only(g.live_mode_armed, snapshot)}",
        f"- **{_seed_label('environment.live_dry_run_mode')}:**"
        f" {_peak_only(g.live_dry_run_mode, snapshot)}",
        f"- **confirm_token_present:** {_peak_only(g.confirm_token_present, snapshot)}"
        " (Wert nicht exportiert)",
        f"- **{_seed_label('environment.require_confirm_token')}:**"
        f" {_peak_only(g.require_confirm_token, snapshot)}",
        "",
        "## Risk Limits",
        "",
        f"- **Limits Enabled:** {r.limits_enabled}",
        f"- **Limits Source:** {_inline(r.limits_source)}",
        f"- **max_live_notional_per_order:** {_peak_only(r.max_live_notional_per_order, snapshot)}",
        f"- **max_live_notional_total:** {_peak_only(r.max_live_notional_total, snapshot)}",
        f"- **live_trade_min_size:** {_peak_only(r.live_trade_min_size, snapshot)}",
        "",
        "These are the seed's three fields as configured; the caps that bind (only those the"
        " system's code enforces) are in the Effective Limits table below.",
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
        *_gating_facts_section(snapshot),
        *_effective_limits_section(snapshot),
        *_venues_section(snapshot),
        *_kill_switch_section(snapshot),
        *_blockers_section(snapshot),
        *_drill_results_section(snapshot),
        *_provenance_section(snapshot),
        "---",
        "",
        "**Note:** This snapshot is read-only."
        " No config changes, no state changes, no real orders.",
        *(
            [
                "**Real orders:** possible with this config and environment"
                " (real_orders_possible; see Venues).",
            ]
            if s.real_orders_possible
            else [
                "**Phase 71-74:** Live-Execution-Path exists as design/Dry-Run only.",
                "**v1.0:** Research/Testnet system - no real live orders possible.",
            ]
        ),
    ]
    return "\n".join(lines) + "\n"


def _gating_facts_section(snapshot: LiveAuditSnapshot) -> list[str]:
    g = snapshot.gating
    rows: tuple[tuple[str, str, bool | None], ...] = (
        ("config_armed", "Config armed (the file alone opens every gate)", g.config_armed),
        ("testnet_dry_run", SETTING["environment.testnet_dry_run"].label, g.testnet_dry_run),
        (
            "bounded_pilot_mode",
            SETTING["environment.bounded_pilot_mode"].label,
            g.bounded_pilot_mode,
        ),
        ("log_all_orders", SETTING["environment.log_all_orders"].label, g.log_all_orders),
        (
            "knowledge_readonly",
            SETTING["environment.knowledge_readonly"].label,
            g.knowledge_readonly,
        ),
    )
    rows += tuple(
        (field, label, getattr(g, field)) for field, label in _words(snapshot).extra_gating
    )
    lines = ["## Gating Facts", ""]
    lines += [
        f"- **{name}** ({label}): {_peak_only(value, snapshot)}" for name, label, value in rows
    ]
    return [*lines, ""]


def _effective_limits_section(snapshot: LiveAuditSnapshot) -> list[str]:
    r = snapshot.risk
    ccy = _inline(r.base_currency)
    lines = [
        "## Effective Limits",
        "",
        f"- **Base currency:** {ccy}",
        f"- **Block on violation:** {_peak_only(r.block_on_violation, snapshot)}",
        f"- **Warning threshold factor:** {_peak_only(r.warning_threshold_factor, snapshot)}",
        f"- **Bounded live enabled:** {_peak_only(r.bounded_live_enabled, snapshot)}",
        "",
        "| Kind | Binding value | Binding key |",
        "|---|---|---|",
    ]
    unlimited = unlimited_kinds(r.limits)
    for kind in EFFECTIVE_KINDS:
        value = r.effective.of(kind)
        if kind in unlimited:
            shown, key = UNLIMITED, _unlimited_key(snapshot, kind)
        else:
            shown, key = _cap_shown(value, snapshot), _binding_key(snapshot, kind, value)
        lines.append(f"| {kind.value} | {shown} | {_cell(key)} |")
    lines += [
        "",
        "Configured caps (a cap binds only where the system's code enforces it; the smallest"
        " enforced one of each kind binds):",
        "",
    ]
    if not r.limits:
        lines += ["No cap is configured.", ""]
        return lines
    lines += [
        "| Key | Kind | Unit | Value | Source | Enforced |",
        "|---|---|---|---|---|---|",
    ]
    for cap in r.limits:
        shown = UNLIMITED if cap.unlimited else _shown(cap.value)
        lines.append(
            f"| {_code_cell(cap.key)} | {cap.kind.value} | {cap.unit.value} | {shown}"
            f" | {_cell(cap.source or '-')} | {_cell(enforcement_words(cap))} |"
        )
    return [*lines, ""]


def enforcement_words(cap: ConfiguredCap) -> str:
    """`yes`, `no: why` or `unknown: why` (a note after a yes when there is one)."""
    word = {True: "yes", False: "no", None: "unknown"}[cap.enforced]
    return f"{word}: {cap.enforcement}" if cap.enforcement else word


def _binding_key(snapshot: LiveAuditSnapshot, kind: CapKind, value: float | None) -> str:
    if value is None:
        return "-"
    for cap in snapshot.risk.limits:
        if cap.kind is kind and cap.value == value:
            return cap.key
    return "-"


def _unlimited_key(snapshot: LiveAuditSnapshot, kind: CapKind) -> str:
    return next((c.key for c in snapshot.risk.limits if c.kind is kind and c.unlimited), "-")


def _venues_section(snapshot: LiveAuditSnapshot) -> list[str]:
    lines = ["## Venues", ""]
    if not snapshot.venues:
        return [*lines, "No venue is configured.", ""]
    lines += [
        "| Venue | Label | Enabled | Sandbox | Orders reach | Endpoints | Credentials |",
        "|---|---|---|---|---|---|---|",
    ]
    for venue in snapshot.venues:
        credentials = (
            ", ".join(
                f"{_code(c.key)} {c.kind}"
                + ("" if c.kind == "inline" else (" (set)" if c.present else " (not set)"))
                for c in venue.credentials
            )
            or "none"
        )
        lines.append(
            f"| {_code_cell(venue.name)} | {_cell(_shown(venue.label))} | {_shown(venue.enabled)}"
            f" | {_shown(venue.sandbox)} | **{venue.orders_reach.value}**"
            f" | {_cell(', '.join(venue.endpoints) or '-')}"
            f" | {credentials.replace('|', chr(92) + '|')} |"
        )
    return [
        *lines,
        "",
        "Where orders reach, and why:",
        "",
        *(
            f"- {_code(v.name)}: **{v.orders_reach.value}**: {_inline(v.orders_reach_reason)}"
            for v in snapshot.venues
        ),
        "",
        "Credential values are never read or exported; only where each comes"
        " from, and whether its variable is set.",
        "",
    ]


def _kill_switch_section(snapshot: LiveAuditSnapshot) -> list[str]:
    ks = snapshot.kill_switch
    lines = ["## Kill Switch", ""]
    if ks is None:
        return [*lines, _words(snapshot).no_kill_switch, ""]
    triggers = ", ".join(
        f"{_code(t.name)} ({ {True: 'on', False: 'off', None: NOT_SET}[t.enabled] }"
        + (f", {t.threshold:g})" if t.threshold is not None else ")")
        for t in ks.triggers
    )
    approval = (
        NOT_SET
        if ks.approval_env_var is None
        else f"{_code(ks.approval_env_var)} ({'set' if ks.approval_env_present else 'not set'})"
    )
    lines += [
        f"- **Source:** {_code(ks.source)} ({'read' if ks.configured else 'absent'})",
        f"- **Enabled:** {_shown(ks.enabled)}",
        f"- **Mode:** {_shown(ks.mode)}",
        f"- **State:** {_shown(ks.state)}"
        + (f" (read from {_code(ks.state_file)})" if ks.state_file else "")
        + (" (**tripped**: the live path refuses every order)" if ks.tripped else ""),
        f"- **Triggers:** {triggers or 'none'}",
        f"- **Approval code variable:** {approval}",
    ]
    if ks.problem:
        lines.append(f"- **Problem:** {_inline(ks.problem)}")
    if ks.note:
        lines.append(f"- **What the system's code does:** {_inline(ks.note)}")
    return [*lines, ""]


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
        why = _words(snapshot).drills_not_run
        return [*lines, f"Drills were not executed: {why}.", ""]
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
    redacted = ", ".join(_code(k) for k in c.redacted_keys) or "none"
    token_valid = {True: "True", False: "False", None: "not checked"}[g.confirm_token_valid]
    files = [f"  - {_code(f.path)} sha256_redacted `{f.sha256_redacted}`" for f in c.files]
    return [
        "## Config Provenance",
        "",
        f"- **Source:** {c.source} (found by: {c.resolved_from})",
        f"- **Dialect:** {c.dialect}",
        f"- **Path:** {_inline(c.path or '-')}",
        f"- **sha256_redacted:** `{c.sha256_redacted}`",
        *([f"- **Files read:** {len(c.files)}", *files] if files else []),
        f"- **Redacted keys (values not exported):** {redacted}",
        f"- **confirm_token_valid:** {token_valid} (Wert nicht exportiert)",
        f"- **real_orders_possible:** {snapshot.safety.real_orders_possible}",
        f"- **Versions:** peak-trade {v.peak_trade}, Python {v.python},"
        f" git {v.git_commit or 'unknown'}, schema {v.schema}",
        "",
    ]
