"""The snapshot as one self-contained HTML page, and the archive's history as a timeline. Pure.

Self-contained: one file with its style inline, no script, and nothing it loads (no external
script, style, font or image; a Content-Security-Policy of `default-src 'none'` tells the browser
so too), so it works offline and as a CI artifact. The page starts with the verdict, large and in
capitals (`BLOCKED` or `ALLOWED`); then every blocker with its remedy, the gates, the binding caps
with their units, sources and enforcement, every configured cap, the venues with where their
orders reach, the kill switch, the drills and the provenance. Codes, modes, values and labels are
printed as the JSON has them (a cap of `500.0` reads `500.0`).

A config is hostile input: its key names, paths, labels and ids reach the page only as text,
through `_t`: every control, bidi and line-separator character becomes a visible escape
(`core.text.printable`), then `& < > " '` become entities. Nothing from a config is ever a tag,
an attribute name or an attribute value: attributes carry fixed words, enum values and numbers.

`render_history` streams the archive's rows into a timeline page (one table row per entry, a
step chart of the binding per-order and total caps, `formats.chart`): it holds one row and the
chart's fixed number of buckets, never the archive.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Final

import msgspec

from peak_trade import __version__
from peak_trade.core.caps import ConfiguredCap, binding, counting
from peak_trade.core.kinds import EFFECTIVE_KINDS, CapKind, Unit
from peak_trade.core.text import printable
from peak_trade.core.words import NOT_SET, UNLIMITED
from peak_trade.dialects.words import MarkdownWords
from peak_trade.formats.chart import Downsampled, svg

if TYPE_CHECKING:
    from peak_trade.live.assessment import Assessment
    from peak_trade.live.history import HistoryRow
    from peak_trade.live.snapshot import LiveAuditSnapshot

#: what HTML would read as markup or an attribute's end
_ENTITIES: Final = {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
    ord("'"): "&#x27;",
}


def _t(value: object) -> str:
    """Text for the page: one line, controls visible, markup characters as entities."""
    return printable(str(value)).translate(_ENTITIES)


def _code(value: object) -> str:
    return f"<code>{_t(value)}</code>"


def _json(value: object) -> str:
    """A value written as the JSON snapshot writes it (`500.0`, `3`, `true`, `null`)."""
    return msgspec.json.encode(value).decode()


def _yes_no(value: bool | None, absent: str = NOT_SET) -> str:
    return absent if value is None else _json(value)


_CSP: Final = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

_STYLE: Final = """
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de;
  --safe: #116329; --safe-bg: #dafbe1; --warn: #7d4e00; --warn-bg: #fff8c5;
  --danger: #a40e26; --danger-bg: #ffebe9; --head: #f6f8fa; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: var(--ink); background: #fff; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono",
  monospace; font-size: 0.92em; overflow-wrap: break-word; }
.verdict { padding: 14px 24px 16px; border-bottom: 4px solid; }
.verdict h1 { margin: 0; font-size: 44px; line-height: 1.1; letter-spacing: 0.02em; }
.verdict p { margin: 6px 0 0; font-size: 16px; }
.verdict.safe { background: var(--safe-bg); color: var(--safe); border-color: var(--safe); }
.verdict.warn { background: var(--warn-bg); color: var(--warn); border-color: var(--warn); }
.verdict.danger { background: var(--danger-bg); color: var(--danger);
  border-color: var(--danger); }
.verdict .facts { color: var(--ink); }
main { padding: 4px 24px 24px; max-width: 1280px; }
h2 { font-size: 19px; margin: 22px 0 8px; border-bottom: 1px solid var(--line);
  padding-bottom: 3px; }
p { margin: 6px 0; }
.note { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 4px 7px; text-align: left;
  vertical-align: top; }
th { background: var(--head); font-weight: 600; }
td.num { text-align: right; white-space: nowrap; }
.badge { display: inline-block; padding: 0 7px; border-radius: 10px; font-weight: 600;
  font-size: 13px; white-space: nowrap; }
.badge.safe { background: var(--safe-bg); color: var(--safe); }
.badge.warn { background: var(--warn-bg); color: var(--warn); }
.badge.danger { background: var(--danger-bg); color: var(--danger); }
tr.danger td { background: #fff5f5; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 6px 0; }
dt { font-weight: 600; }
dd { margin: 0; }
dl.wide { grid-template-columns: repeat(3, max-content minmax(5em, 1fr)); }
@media (max-width: 800px) { dl.wide { grid-template-columns: max-content 1fr; } }
ul { margin: 4px 0; padding-left: 20px; }
footer { color: var(--muted); font-size: 13px; padding: 8px 24px 24px;
  border-top: 1px solid var(--line); }
.stack { display: flex; flex-direction: column; }
.stack > .overview { order: -1; }
.chart { max-width: 100%; height: auto; background: #fff; }
.chart .axis { stroke: #57606a; stroke-width: 1; }
.chart .grid { stroke: #d0d7de; stroke-width: 1; stroke-dasharray: 3 3; }
.chart .tick { font-size: 11px; fill: #57606a; }
.chart .series { fill: none; stroke-width: 2; }
.chart .s0 { stroke: #0969da; fill: #0969da; }
.chart .s1 { stroke: #8250df; fill: #8250df; }
.chart path.s0, .chart path.s1 { fill: none; }
.chart .gap { opacity: 0.45; }
.legend span { margin-right: 16px; white-space: nowrap; }
.swatch { display: inline-block; width: 18px; height: 4px; vertical-align: middle;
  margin-right: 5px; }
.swatch.s0 { background: #0969da; } .swatch.s1 { background: #8250df; }
.swatch.gap { height: 6px; background: #8c959f; }
tr.less-safe td { background: #fff5f5; }
tr.damaged td { background: #fff8c5; }
.mark { color: var(--danger); font-weight: 700; }
.damaged-mark { color: var(--warn); font-weight: 700; }
ul.changes { margin: 2px 0 0; padding-left: 16px; font-size: 13px; }
table.history { font-size: 13px; }
table.history td.changes { min-width: 18em; }
table.history td.changes, table.history td.changes code { overflow-wrap: anywhere; }
table.history .nowrap, table.history td.num { white-space: nowrap; }
details summary { cursor: pointer; font-size: 13px; }
ul.changes li.worse { color: var(--danger); }
@media print { .verdict { border-bottom-width: 2px; } }
"""


def _head(title: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{title}</title>\n<style>{_STYLE}</style>\n</head>\n"
    )


def _table(header: Sequence[str], rows: Iterable[str], *, cls: str = "") -> str:
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _dl(items: Iterable[tuple[str, str]], *, wide: bool = False) -> str:
    """A list of `(term, definition)` pairs (markup already); `wide`: three pairs a line."""
    opening = '<dl class="wide">' if wide else "<dl>"
    return opening + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in items) + "</dl>"


# --------------------------------------------------------------------------- the snapshot

#: where orders reach, as a badge class: real money is danger, anything unproven a warning
_REACH_CLASS: Final = {
    "real": "danger",
    "unknown": "danger",
    "test": "warn",
    "simulated": "safe",
    "none": "safe",
}


def render(snapshot: LiveAuditSnapshot, assessment: Assessment | None = None) -> str:
    """The page. `assessment` (the one the snapshot was taken of) adds what the snapshot does
    not hold: each blocker's remedy and the gates as the dialect shows them."""
    words = _words(snapshot.config.dialect)
    s = snapshot.safety
    verdict = "ALLOWED" if s.is_live_execution_allowed else "BLOCKED"
    parts = [
        _head(
            f"{verdict} · {_t(snapshot.environment_id)} · peak-trade live audit"
            f" {_t(snapshot.timestamp_utc)}"
        ),
        "<body>\n",
        _verdict(snapshot, verdict),
        "<main>\n",
        _blockers(snapshot, assessment),
        _gates(snapshot, assessment, words.absent_field),
        _caps(snapshot, words.absent_cap),
        _venues(snapshot),
        _kill_switch(snapshot, words.no_kill_switch),
        _drills(snapshot, words.drills_not_run),
        _provenance(snapshot),
        "</main>\n",
        _footer(snapshot),
        "</body>\n</html>\n",
    ]
    return "".join(parts)


def _words(dialect: str) -> MarkdownWords:
    """How the snapshot's dialect words what it leaves empty; a dialect this version does not
    know (a snapshot from another) gets the plain words."""
    from peak_trade.dialects import named
    from peak_trade.errors import ConfigError

    try:
        return named(dialect).markdown
    except ConfigError:
        return MarkdownWords()


def _verdict(snapshot: LiveAuditSnapshot, verdict: str) -> str:
    s, g = snapshot.safety, snapshot.gating
    if not s.is_live_execution_allowed:
        tone, what = "safe", "live execution is blocked"
    elif s.real_orders_possible:
        tone, what = "danger", "live execution is allowed and real orders can leave"
    else:
        tone, what = "warn", "live execution is allowed; no enabled venue reaches real money"
    count = len(s.blockers)
    blockers = f"{count} blocker{'s' if count != 1 else ''}"
    facts = [
        blockers,
        f"effective mode {_code(g.effective_mode.value)}",
        f"real orders possible: <strong>{'yes' if s.real_orders_possible else 'no'}</strong>",
        f"config armed: {'yes' if g.config_armed else 'no'}",
        f"environment {_code(snapshot.environment_id)}",
        f"{_t(snapshot.timestamp_utc)} (UTC)",
    ]
    return (
        f'<header class="verdict {tone}" id="verdict">\n'
        f'<h1><span class="verdict-word">{verdict}</span></h1>\n'
        f'<p class="what">{what}</p>\n'
        f'<p class="facts">{" · ".join(facts)}</p>\n'
        "</header>\n"
    )


def _remedies(snapshot: LiveAuditSnapshot, assessment: Assessment | None) -> list[str] | None:
    """Each blocker's remedy, when the assessment the snapshot was taken of is at hand."""
    if assessment is None:
        return None
    codes = [b.code for b in assessment.verdict.blockers]
    if codes != [b.code for b in snapshot.safety.blockers]:
        return None  # not the snapshot's assessment: no remedy rather than a wrong one
    return list(assessment.report.remedies)


def _blockers(snapshot: LiveAuditSnapshot, assessment: Assessment | None) -> str:
    blockers = snapshot.safety.blockers
    head = '<section id="blockers">\n<h2>Blockers</h2>\n'
    if not blockers:
        return head + "<p>No blocker: every gate is open.</p>\n</section>\n"
    remedies = _remedies(snapshot, assessment)
    rows = [
        f'<tr class="blocker"><td class="code">{_code(b.code.value)}</td><td>{_t(b.gate)}</td>'
        f"<td>{_t(b.message)}</td><td>"
        + (_t(remedies[i]) if remedies is not None else "not recorded in a stored snapshot")
        + "</td></tr>"
        for i, b in enumerate(blockers)
    ]
    return (
        head
        + "<p>Each blocker keeps live execution closed. The remedy is what would clear it: open a"
        " gate only on purpose.</p>\n"
        + _table(("Code", "Gate", "Message", "Remedy"), rows)
        + "\n</section>\n"
    )


#: the gating fields every dialect's snapshot has, then those only some set (null otherwise)
_GATING_FIELDS: Final = (
    "mode",
    "effective_mode",
    "config_armed",
    "enable_live_trading",
    "live_mode_armed",
    "live_dry_run_mode",
    "require_confirm_token",
    "confirm_token_present",
    "confirm_token_valid",
    "confirm_token_source",
    "testnet_dry_run",
    "bounded_pilot_mode",
    "log_all_orders",
    "knowledge_readonly",
    "api_server_unprotected",
)


def _gates(snapshot: LiveAuditSnapshot, assessment: Assessment | None, absent: str) -> str:
    parts = ['<section id="gates">\n<h2>Gates</h2>\n']
    if assessment is not None and assessment.report.gates:
        rows = [
            f'<tr class="{"open" if gate.open else "closed"}"><td>{_t(gate.gate)}</td>'
            f"<td>{_code(gate.key)} = {_code(_gate_value(gate.value))}</td><td>"
            + (
                '<span class="badge warn">open</span>'
                if gate.open
                else '<span class="badge safe">CLOSED</span>'
            )
            + "</td></tr>"
            for gate in assessment.report.gates
        ]
        parts.append(_table(("Gate", "Setting", "State"), rows))
    gating = msgspec.structs.asdict(snapshot.gating)
    null = "null" if absent == NOT_SET else f"null ({_t(absent)})"
    items = []
    for field in _GATING_FIELDS:
        if field not in gating:
            continue
        value = gating[field]
        shown = _t(value) if isinstance(value, str) else (null if value is None else _json(value))
        items.append((_code(field), shown))
    parts.append("<p>The gating facts, as the JSON snapshot has them (<code>gating</code>):</p>")
    parts.append(_dl(items, wide=True))
    parts.append("</section>\n")
    return "".join(parts)


def _gate_value(value: bool | str) -> str:
    return _json(value) if isinstance(value, bool) else value


def _with_unit(cap: ConfiguredCap, currency: str) -> str:
    """A cap's unit as the page prints it: money with its currency."""
    if cap.unit is Unit.MONEY:
        return f"money ({_t(currency)})"
    return _t(cap.unit.value)


def _enforcement(cap: ConfiguredCap) -> str:
    word = {True: "yes", False: "no", None: "unknown"}[cap.enforced]
    tone = "safe" if cap.enforced is True else "danger"
    why = f" {_t(cap.enforcement)}" if cap.enforcement else ""
    return f'<span class="badge {tone}">{word}</span>{why}'


def _caps(snapshot: LiveAuditSnapshot, absent_cap: str) -> str:
    r = snapshot.risk
    live = counting(r.limits)
    rows = []
    for kind in EFFECTIVE_KINDS:
        cap = binding(live, kind)
        value = r.effective.of(kind)
        if cap is None:
            rows.append(
                f'<tr class="binding" data-kind="{kind.value}"><td>{_code(kind.value)}</td>'
                f'<td class="num">{_t(absent_cap)}</td><td>-</td><td>-</td><td>-</td>'
                "<td>no enforced cap of this kind</td></tr>"
            )
            continue
        shown = UNLIMITED if cap.unlimited else _json(value if value is not None else cap.value)
        rows.append(
            f'<tr class="binding" data-kind="{kind.value}"><td>{_code(kind.value)}</td>'
            f'<td class="num">{_t(shown)}</td><td>{_with_unit(cap, r.base_currency)}</td>'
            f"<td>{_code(cap.key)}</td><td>{_t(cap.source or '-')}</td>"
            f"<td>{_enforcement(cap)}</td></tr>"
        )
    parts = [
        '<section id="caps">\n<h2>Binding caps</h2>\n',
        "<p>The cap that binds each kind: the smallest one the system's own code enforces"
        " (for <code>min_order</code>, the largest). A cap the code never applies binds"
        " nothing, however small.</p>\n",
        _table(("Kind", "Binding value", "Unit", "Key", "Source", "Enforced"), rows),
        _dl(
            [
                ("Limits enabled", _json(r.limits_enabled)),
                ("Limits source", _t(r.limits_source)),
                ("Base currency", _t(r.base_currency)),
                ("Block on violation", _yes_no(r.block_on_violation)),
                (
                    "Warning threshold factor",
                    NOT_SET
                    if r.warning_threshold_factor is None
                    else _json(r.warning_threshold_factor),
                ),
                ("Bounded live enabled", _yes_no(r.bounded_live_enabled)),
            ]
        ),
        "<h2>Configured caps</h2>\n",
    ]
    if not r.limits:
        parts.append("<p>No cap is configured.</p>\n")
    else:
        configured = [
            f'<tr class="{"enforced" if cap.enforced is True else "danger"}">'
            f"<td>{_code(cap.key)}</td><td>{_t(cap.kind.value)}</td>"
            f"<td>{_with_unit(cap, r.base_currency)}</td>"
            f'<td class="num">{UNLIMITED if cap.unlimited else _t(_json(cap.value))}</td>'
            f"<td>{_t(cap.source or '-')}</td><td>{_enforcement(cap)}</td></tr>"
            for cap in r.limits
        ]
        parts.append(
            _table(("Key", "Kind", "Unit", "Value", "Source", "Enforced"), configured) + "\n"
        )
    parts.append("</section>\n")
    return "".join(parts)


def _venues(snapshot: LiveAuditSnapshot) -> str:
    head = '<section id="venues">\n<h2>Venues: where orders reach</h2>\n'
    if not snapshot.venues:
        return head + "<p>No venue is configured.</p>\n</section>\n"
    rows = []
    for v in snapshot.venues:
        reach = v.orders_reach.value
        credentials = (
            "<ul>"
            + "".join(
                f"<li>{_code(c.key)} {_t(c.kind)}"
                + ("" if c.kind == "inline" else (" (set)" if c.present else " (not set)"))
                + "</li>"
                for c in v.credentials
            )
            + "</ul>"
            if v.credentials
            else "none"
        )
        endpoints = ", ".join(_code(e) for e in v.endpoints) or "-"
        rows.append(
            f'<tr class="venue reach-{reach}"><td>{_code(v.name)}</td>'
            f'<td class="label">{_t(v.label) if v.label is not None else NOT_SET}</td>'
            f'<td><span class="badge {_REACH_CLASS.get(reach, "danger")}">{reach}</span></td>'
            f"<td>{_t(v.orders_reach_reason)}</td><td>{_yes_no(v.enabled)}</td>"
            f"<td>{_yes_no(v.sandbox)}</td><td>{endpoints}</td><td>{credentials}</td></tr>"
        )
    return (
        head
        + _table(
            (
                "Venue",
                "Label",
                "Orders reach",
                "Why",
                "Enabled",
                "Sandbox",
                "Endpoints",
                "Credentials",
            ),
            rows,
        )
        + '<p class="note">Credential values are never read or exported: only where each comes'
        " from, and whether its variable is set.</p>\n</section>\n"
    )


def _kill_switch(snapshot: LiveAuditSnapshot, absent: str) -> str:
    ks = snapshot.kill_switch
    head = '<section id="kill-switch">\n<h2>Kill switch</h2>\n'
    if ks is None:
        return head + f"<p>{_t(absent)}</p>\n</section>\n"
    triggers = (
        ", ".join(
            f"{_code(t.name)} ({ {True: 'on', False: 'off', None: NOT_SET}[t.enabled] }"
            + (f", {_t(_json(t.threshold))})" if t.threshold is not None else ")")
            for t in ks.triggers
        )
        or "none"
    )
    approval = (
        NOT_SET
        if ks.approval_env_var is None
        else f"{_code(ks.approval_env_var)} ({'set' if ks.approval_env_present else 'not set'})"
    )
    state = (
        ("no state file" if ks.state is None else _t(ks.state))
        + (f" (read from {_code(ks.state_file)})" if ks.state_file else "")
        + (
            ' <span class="badge danger">tripped: the live path refuses every order</span>'
            if ks.tripped
            else ""
        )
    )
    items = [
        ("Source", f"{_code(ks.source)} ({'read' if ks.configured else 'absent'})"),
        ("Enabled", _yes_no(ks.enabled)),
        ("Mode", NOT_SET if ks.mode is None else _t(ks.mode)),
        ("State", state),
        ("Triggers", triggers),
        ("Approval code variable", approval),
    ]
    if ks.problem:
        items.append(("Problem", f'<span class="mark">{_t(ks.problem)}</span>'))
    if ks.note:
        items.append(("What the system's code does", _t(ks.note)))
    return head + _dl(items) + "\n</section>\n"


def _drills(snapshot: LiveAuditSnapshot, not_run: str) -> str:
    d = snapshot.drills
    head = '<section id="drills">\n<h2>Drills</h2>\n'
    if not d.drills_executable:
        return head + f"<p>Drills were not executed: {_t(not_run)}.</p>\n</section>\n"
    passed = sum(r.passed for r in d.results)
    rows = []
    for result in d.results:
        expected = "; ".join(o.describe() for o in result.expected)
        observed = (
            "as expected" if result.passed else "; ".join(o.describe() for o in result.observed)
        )
        badge = (
            '<span class="badge safe">PASS</span>'
            if result.passed
            else '<span class="badge danger">FAIL</span>'
        )
        rows.append(
            f'<tr class="{"pass" if result.passed else "danger"}"><td>{_t(result.name)}</td>'
            f"<td>{badge}</td><td>{_t(expected)}</td><td>{_t(observed)}</td></tr>"
        )
    return (
        head + f"<p>{passed} passed, {len(d.results) - passed} failed, of {d.num_scenarios}"
        " scenarios (each a simulated order through guard, risk limits and executor).</p>\n"
        + _table(("Drill", "Result", "Expected", "Observed"), rows)
        + "\n</section>\n"
    )


def _provenance(snapshot: LiveAuditSnapshot) -> str:
    c, v, g, s = snapshot.config, snapshot.versions, snapshot.gating, snapshot.safety
    files = (
        "<ul>"
        + "".join(
            f"<li>{_code(f.path)} sha256_redacted {_code(f.sha256_redacted)}</li>" for f in c.files
        )
        + "</ul>"
        if c.files
        else "none"
    )
    items = [
        ("Source", f"{_t(c.source)} (found by: {_t(c.resolved_from)})"),
        ("Dialect", _t(c.dialect)),
        ("Path", _code(c.path) if c.path else "-"),
        ("sha256_redacted", _code(c.sha256_redacted)),
        ("Files read", files),
        (
            "Redacted keys (values not exported)",
            ", ".join(_code(k) for k in c.redacted_keys) or "none",
        ),
        ("Environment overrides", ", ".join(_code(n) for n in c.env_overrides) or "none"),
        (
            "confirm_token_valid",
            {True: "true", False: "false", None: "not checked"}[g.confirm_token_valid]
            + " (the token's value is never exported)",
        ),
        ("Reasons", "<ul>" + "".join(f"<li>{_t(r)}</li>" for r in s.reasons) + "</ul>"),
        ("Safety guarantee", _t(s.safety_guarantee_v1_0)),
        (
            "Versions",
            f"peak-trade {_t(v.peak_trade)}, Python {_t(v.python)},"
            f" git {_t(v.git_commit or 'unknown')}, schema {_t(v.schema)}",
        ),
    ]
    return '<section id="provenance">\n<h2>Provenance</h2>\n' + _dl(items) + "\n</section>\n"


def _footer(snapshot: LiveAuditSnapshot) -> str:
    return (
        "<footer>This snapshot is read-only: taking it changed no config and no state, and sent"
        " no order. Written by peak-trade"
        f" {_t(__version__)} from a schema {snapshot.schema_version} snapshot; the JSON snapshot"
        " (<code>audit export --output-json</code>) is the record machines read.</footer>\n"
    )


# --------------------------------------------------------------------------- the history

_SIGNED: Final = {"none": "no", "unchecked": "unchecked", "valid": "valid", "invalid": "BAD"}
#: the two caps the chart draws, with their words
_CHARTED: Final = ((CapKind.PER_ORDER, "per-order cap"), (CapKind.TOTAL, "total cap"))
#: a row with more change lines than this shows them folded (a `<details>`, no script)
_OPEN_CHANGES: Final = 6
#: a page piece is yielded once this many characters of rows have gathered
_PIECE: Final = 1 << 15


def _history_cap(row: HistoryRow, kind: CapKind) -> str:
    caps = row.binding_caps
    if caps is None:
        return '<span title="the snapshot does not say">?</span>'
    value = caps.get(kind.value)
    if value is None:
        return NOT_SET
    if isinstance(value, str):
        return _t(value)
    return _t(_json(value)) + (f" {_t(row.base_currency)}" if row.base_currency else "")


def _chart_value(row: HistoryRow, kind: CapKind) -> float | None:
    value = (row.binding_caps or {}).get(kind.value)
    return float(value) if isinstance(value, int | float) else None


def _other_caps(row: HistoryRow) -> str:
    if row.binding_caps is None:
        return "?"
    charted = {kind.value for kind, _ in _CHARTED}
    others = [
        f"{_t(kind)} {_t(value if isinstance(value, str) else _json(value))}"
        for kind, value in row.binding_caps.items()
        if kind not in charted and value is not None
    ]
    return ", ".join(others) or "none"


def _history_row(row: HistoryRow) -> str:
    classes = ["entry"]
    marks = []
    if not row.intact:
        classes.append("damaged")
        marks.append('<span class="damaged-mark">DAMAGED: run verify</span>')
    if row.signature == "invalid":
        classes.append("damaged")
        marks.append('<span class="damaged-mark">BAD SIGNATURE</span>')
    if row.less_safe:
        classes.append("less-safe")
        keys = ", ".join(_code(k) for k in row.less_safe_keys)
        marks.append(
            f'<span class="less-safe-mark"><span class="mark">less safe</span>: {keys}</span>'
        )
    changes = "".join(
        f'<li class="worse">{_t(line[1:])}</li>' if line.startswith("!") else f"<li>{_t(line)}</li>"
        for line in row.changes
    )
    if len(row.changes) > _OPEN_CHANGES:  # the marks above say what matters; the rest folds
        changes = (
            f"<details><summary>{len(row.changes)} changes</summary>"
            f'<ul class="changes">{changes}</ul></details>'
        )
    elif changes:
        changes = f'<ul class="changes">{changes}</ul>'

    verdict = "?" if row.live_allowed is None else ("ALLOWED" if row.live_allowed else "BLOCKED")
    changed = ("<br>".join(marks) if marks else "") + (
        changes if changes else ("" if marks else "no change")
    )
    return (
        f'<tr class="{" ".join(classes)}" data-seq="{row.seq}">'
        f'<td class="entry"><strong class="seq">{row.seq}</strong>'
        f' <span class="mono nowrap">{_t(row.timestamp_utc)}</span><br>'
        f"{_code(row.environment_id)}</td>"
        f'<td class="nowrap"><strong>{verdict}</strong></td>'
        f"<td>{_code(row.effective_mode or '?')}</td>"
        f'<td class="num">{_history_cap(row, CapKind.PER_ORDER)}</td>'
        f'<td class="num">{_history_cap(row, CapKind.TOTAL)}</td>'
        f'<td>{_other_caps(row)}</td><td class="changes">{changed}</td>'
        f"<td>{_SIGNED.get(row.signature, _t(row.signature))}</td></tr>\n"
    )


class _Tally:
    """What the overview says once every row has streamed past."""

    def __init__(self) -> None:
        self.entries = self.less_safe = self.damaged = self.signed = 0
        self.first = self.last = ""
        self.currencies: set[str] = set()
        self.chart = Downsampled(len(_CHARTED))

    def add(self, row: HistoryRow) -> None:
        self.entries += 1
        self.less_safe += row.less_safe
        self.damaged += (not row.intact) or row.signature == "invalid"
        self.signed += row.signed
        label = f"seq {row.seq} · {row.timestamp_utc}"
        self.first = self.first or label
        self.last = label
        if row.base_currency is not None and len(self.currencies) < 4:
            self.currencies.add(row.base_currency)
        self.chart.add([_chart_value(row, kind) for kind, _ in _CHARTED])


def render_history(rows: Iterable[HistoryRow]) -> Iterator[str]:
    """The archive as a timeline page, streamed: a piece at a time, never the whole page."""
    yield _head("peak-trade audit history")
    yield (
        "<body>\n"
        '<header class="verdict history" id="verdict"><h1>Audit history</h1>\n'
        '<p class="facts">One row per archived snapshot, oldest first: its verdict, effective'
        " mode, binding caps, what changed since the entry before (a less-safe change is marked"
        " <strong>less safe</strong> and names the changed key) and its signature.</p>\n"
        '</header>\n<main>\n<div class="stack">\n'
        '<section id="timeline">\n<h2>Entries</h2>\n<table class="history"><thead><tr>'
        + "".join(
            f'<th scope="col">{h}</th>'
            for h in (
                "entry (seq, UTC time, environment)",
                "verdict",
                "effective mode",
                "per-order cap",
                "total cap",
                "other binding caps",
                "changes since the entry before",
                "signed",
            )
        )
        + "</tr></thead>\n<tbody>\n"
    )
    tally = _Tally()
    pending: list[str] = []
    size = 0
    for row in rows:
        tally.add(row)
        piece = _history_row(row)
        pending.append(piece)
        size += len(piece)
        if size >= _PIECE:
            yield "".join(pending)
            pending, size = [], 0
    pending.append("</tbody></table>\n</section>\n")
    yield "".join(pending)
    yield _overview(tally)
    yield (
        "</div>\n</main>\n<footer>Read-only: history reads the archive and changes nothing."
        f" Written by peak-trade {_t(__version__)}.</footer>\n</body>\n</html>\n"
    )


def _overview(tally: _Tally) -> str:
    currencies = sorted(tally.currencies)
    if len(currencies) == 1:
        unit, unit_note = currencies[0], ""
    else:
        unit = ""
        unit_note = (
            " The entries' base currencies differ: each value is in its own entry's currency."
            if currencies
            else ""
        )
    chart = svg(
        tally.chart,
        [name for _, name in _CHARTED],
        first_label=tally.first,
        last_label=tally.last,
        unit=unit,
        escape=_t,
    )
    per_point = tally.chart.width
    sampling = (
        "Every entry is one step of the chart."
        if per_point == 1
        else f"The chart draws {len(tally.chart.buckets)} points for {tally.entries} entries:"
        f" each point covers {per_point} consecutive entries, and a vertical stroke spans the"
        " smallest to the largest cap among them, so a raise or a cut between two points still"
        " shows."
    )
    return (
        '<section class="overview" id="overview">\n<h2>Binding caps over time</h2>\n'
        f'<p class="summary">{tally.entries} entries · <span class="count-less-safe">'
        f"{tally.less_safe}</span> less safe · {tally.damaged} damaged or badly signed ·"
        f" {tally.signed} signed</p>\n"
        f"{chart}\n"
        '<p class="legend"><span><i class="swatch s0"></i>per-order cap</span>'
        '<span><i class="swatch s1"></i>total cap</span>'
        '<span><i class="swatch gap"></i>a band under the axis, in a cap\'s colour: no'
        " binding cap of that kind then (not set, unlimited or unknown)</span></p>\n"
        f'<p class="note">x: the entries in archive order (seq), oldest left; y: the binding cap'
        f" each entry's snapshot reports. {sampling}{unit_note}</p>\n"
        "</section>\n"
    )
