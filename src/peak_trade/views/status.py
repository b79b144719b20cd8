"""The operator status (Phase 72): may this system trade live, and if not, what to change.

`build_status` is pure; `render_text` is the plain view (pipes, NO_COLOR), `render_rich`
the terminal view. Both show the same facts; `rich` is imported only by `render_rich`.
"""

from __future__ import annotations

from typing import TextIO

import msgspec

from peak_trade.core.caps import binding, counting, unlimited_kinds
from peak_trade.core.facts import NOT_SET, UNLIMITED, GateState
from peak_trade.core.killswitch import KillSwitch
from peak_trade.core.kinds import CapKind, with_unit
from peak_trade.core.registry import (
    EFFECTIVE_KINDS,
    TOKEN_SETTING,
)
from peak_trade.core.venues import Venue
from peak_trade.dialects import DEFAULT, named
from peak_trade.live.assessment import Assessment
from peak_trade.views import cell, to_json


class BlockerView(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    gate: str
    message: str
    remedy: str


class BindingCapView(msgspec.Struct, frozen=True, kw_only=True):
    """Where a binding cap comes from: its key path and the file that sets it."""

    key: str
    source: str | None


class StatusReport(msgspec.Struct, frozen=True, kw_only=True):
    dialect: str
    config_source: str
    config_resolved_from: str
    config_path: str | None
    config_files: tuple[str, ...]  # every file merged, in reading order
    mode: str
    effective_mode: str
    live_execution_allowed: bool
    config_armed: bool
    gates: tuple[GateState, ...]
    confirm_token_required: bool | None
    confirm_token_present: bool | None
    confirm_token_valid: bool | None
    risk_limits_enabled: bool
    block_on_violation: bool | None
    base_currency: str
    effective_caps: dict[str, float | str | None]  # "unlimited" for the system's no-limit value
    binding_caps: dict[str, BindingCapView]  # the key and file of each binding cap
    caps_not_enforced: tuple[str, ...]  # configured caps the system's code does not apply
    limits_source: str
    testnet_dry_run: bool | None
    bounded_pilot_mode: bool | None
    venues: tuple[Venue, ...]  # as the snapshot reports them: objects, not display strings
    kill_switch: KillSwitch | None
    blockers: tuple[BlockerView, ...]
    real_orders_possible: bool


#: status fields only some dialects have (a confirm token, ...): null where they do not apply
_DIALECT_FIELDS = (
    "confirm_token_required",
    "confirm_token_present",
    "confirm_token_valid",
    "block_on_violation",
    "testnet_dry_run",
    "bounded_pilot_mode",
)


def build_status(assessment: Assessment) -> StatusReport:
    loaded, verdict, report = assessment.loaded, assessment.verdict, assessment.report
    unlimited = unlimited_kinds(loaded.caps)
    enforced = counting(loaded.caps)
    return StatusReport(
        dialect=loaded.dialect,
        config_source=loaded.source,
        config_resolved_from=loaded.resolved_from,
        config_path=loaded.path,
        config_files=tuple(f.path for f in loaded.files),
        mode=loaded.mode.value,
        effective_mode=verdict.effective_mode.value,
        live_execution_allowed=verdict.allowed,
        config_armed=assessment.config_armed,
        gates=report.gates,
        risk_limits_enabled=loaded.limits_enabled,
        base_currency=loaded.base_currency,
        effective_caps={
            k.value: UNLIMITED if k in unlimited else assessment.effective.of(k)
            for k in EFFECTIVE_KINDS
        },
        binding_caps={
            k.value: BindingCapView(key=cap.key, source=cap.source)
            for k in EFFECTIVE_KINDS
            if (cap := binding(enforced, k)) is not None
        },
        caps_not_enforced=tuple(c.key for c in loaded.caps if c.enforced is not True),
        limits_source=loaded.limits_source,
        venues=loaded.venues,
        kill_switch=loaded.kill_switch,
        blockers=tuple(
            BlockerView(code=b.code.value, gate=b.gate, message=b.message, remedy=remedy)
            for b, remedy in zip(verdict.blockers, report.remedies, strict=True)
        ),
        real_orders_possible=assessment.real_orders_possible,
        **{field: report.status.get(field) for field in _DIALECT_FIELDS},
    )


def _venue_line(venue: Venue) -> str:
    enabled = {True: "enabled", False: "disabled", None: "enabled not set"}[venue.enabled]
    sandbox = {True: "sandbox", False: "NOT sandbox", None: "sandbox not set"}[venue.sandbox]
    creds = ", ".join(
        f"{c.key} {c.kind}{'' if c.kind == 'inline' else (' set' if c.present else ' not set')}"
        for c in venue.credentials
    )
    # every part comes from the config (a venue's name, its credential keys): escaped once here
    named = f"{venue.name} ({venue.label})" if venue.label else venue.name
    tail = f"; credentials: {creds}" if creds else ""
    reach = f"orders reach {venue.orders_reach.value.upper()}"
    return cell(f"{named}: {reach}, {enabled}, {sandbox}{tail}")


def _kill_switch_line(report: StatusReport) -> str | None:
    ks = report.kill_switch
    if ks is None:
        return None
    if not ks.configured:
        return cell(f"Kill switch: ABSENT ({ks.source} not found)")
    state = ks.state or (f"no state file at {ks.state_file}" if ks.state_file else "none")
    tripped = ", TRIPPED: blocks every order" if ks.tripped else ""
    problem = f"; PROBLEM: {ks.problem}" if ks.problem else ""
    enabled = {True: "enabled", False: "DISABLED", None: "enabled not set"}[ks.enabled]
    return cell(
        f"Kill switch: {enabled}, mode {ks.mode or NOT_SET}, state {state}{tripped}{problem}"
    )


def _shown(value: bool | str) -> str:
    return str(value).lower() if isinstance(value, bool) else value


def _token_text(report: StatusReport) -> str:
    valid = report.confirm_token_valid
    shown = (
        "valid"
        if valid
        else (
            "invalid"
            if valid is False
            else ("present, unverifiable" if report.confirm_token_present else "absent")
        )
    )
    return f"{'required' if report.confirm_token_required else 'not required'}, token {shown}"


def headline(report: StatusReport) -> str:
    if report.live_execution_allowed and report.real_orders_possible:
        return "LIVE EXECUTION ALLOWED: real orders can leave (no sandbox)"
    if report.real_orders_possible:  # an order path that does not ask these gates
        count = len(report.blockers)
        return (
            f"REAL ORDERS CAN LEAVE: the gates say blocked ({count} blocker"
            f"{'' if count == 1 else 's'}), but this config's order path does not consult them"
            " (see the venues)"
        )
    if report.live_execution_allowed:
        return named(report.dialect).allowed_headline
    count = len(report.blockers)
    return f"Live execution BLOCKED ({count} blocker{'' if count == 1 else 's'})"


def _config_line(report: StatusReport) -> str:
    dialect = "" if report.dialect == DEFAULT.name else f", {report.dialect}"
    merged = (
        f"; files merged: {', '.join(cell(f) for f in report.config_files)}"
        if len(report.config_files) > 1
        else ""
    )
    return (
        f"Config: {cell(report.config_path or 'embedded default')} ({report.config_source},"
        f" found by {report.config_resolved_from}{dialect}){merged}"
    )


def _cap_text(kind: CapKind, value: float | str | None, currency: str) -> str:
    if value is None:
        return NOT_SET
    if isinstance(value, str):
        return value
    return with_unit(kind, value, currency)


def _limits_line(report: StatusReport) -> str:
    if not report.risk_limits_enabled:
        return f"Risk limits: DISABLED (source {report.limits_source})"
    ccy = report.base_currency
    caps = ", ".join(
        f"{kind} {_cap_text(CapKind(kind), value, ccy)}{_binding_source(report, kind)}"
        for kind, value in report.effective_caps.items()
    )
    warn = " WARN ONLY (block_on_violation = false)," if report.block_on_violation is False else ""
    unenforced = (
        f"; NOT ENFORCED by the system's code: {', '.join(report.caps_not_enforced)}"
        if report.caps_not_enforced
        else ""
    )
    return cell(f"Risk limits: enabled,{warn} binding caps: {caps}{unenforced}")


def _binding_source(report: StatusReport, kind: str) -> str:
    found = report.binding_caps.get(kind)
    if found is None:
        return ""
    return f" ({found.key}, {found.source})" if found.source else f" ({found.key})"


def render_text(report: StatusReport) -> str:
    lines = [
        headline(report),
        _config_line(report),
        f"Mode: {report.mode}   Effective mode: {report.effective_mode}",
        "",
        "Gates:",
    ]
    width = max(len(g.gate) for g in report.gates)
    for gate in report.gates:
        state = "open" if gate.open else "CLOSED"
        value = _token_text(report) if gate.key == TOKEN_SETTING else _shown(gate.value)
        lines.append(f"  {gate.gate:<{width}}  {state:<6}  {cell(gate.key)} = {cell(value)}")
    armed = "yes: the file alone opens every gate" if report.config_armed else "no"
    lines += ["", f"Config armed: {armed}", _limits_line(report)]
    lines += [f"Venue {_venue_line(venue)}" for venue in report.venues]
    kill_switch = _kill_switch_line(report)
    lines += [kill_switch] if kill_switch else []
    lines.append("")
    if report.blockers:
        lines.append("Blockers (what to change to clear each):")
        lines += [f"  {b.code}: {b.remedy}" for b in report.blockers]
    else:
        lines.append("Blockers: none")
    return "\n".join(lines) + "\n"


def render_json(report: StatusReport) -> str:
    return to_json(report)


def render_rich(
    report: StatusReport, stream: TextIO, *, width: int | None = None, force: bool = False
) -> None:
    """The terminal view: the same facts as `render_text`, coloured.

    Lines, not tables: at any width the key, the blocker code and the remedy wrap onto the
    next line instead of being cut (a table would shorten exactly the text that says what to
    change).
    """
    from rich.console import Console
    from rich.markup import escape

    console = Console(
        file=stream,
        highlight=False,
        width=width,
        soft_wrap=False,
        force_terminal=True if force else None,  # --color always, or FORCE_COLOR
    )
    # coloured by safety, not by open/closed: a blocked system is the safe state
    if report.real_orders_possible:
        style = "bold red"
    elif report.live_execution_allowed:
        style = "bold yellow"
    else:
        style = "bold green"
    console.print(escape(headline(report)), style=style)
    console.print(escape(_config_line(report)))  # a path may contain [brackets]
    console.print(
        f"Mode: [bold]{report.mode}[/]   Effective mode: [bold]{report.effective_mode}[/]"
    )
    console.print("[bold]Gates[/]")
    for gate in report.gates:
        state = "[yellow]open[/]" if gate.open else "[green]CLOSED[/]"  # closed is safe
        value = _token_text(report) if gate.key == TOKEN_SETTING else _shown(gate.value)
        key, shown = escape(cell(gate.key)), escape(cell(value))
        console.print(f"  {escape(gate.gate)}: {state}  {key} = {shown}")
    armed = "yes: the file alone opens every gate" if report.config_armed else "no"
    console.print(f"Config armed: {armed}", style="bold red" if report.config_armed else None)
    limits_style = None if report.risk_limits_enabled else "bold red"
    console.print(escape(_limits_line(report)), style=limits_style)
    for line in map(_venue_line, report.venues):
        console.print(escape(f"Venue {line}"))
    kill_switch = _kill_switch_line(report)
    if kill_switch:
        ks = report.kill_switch
        safe = ks is not None and ks.protects
        console.print(escape(kill_switch), style=None if safe else "bold red")
    if report.blockers:
        console.print("[bold]Blockers (what to change to clear each)[/]")
        for b in report.blockers:
            console.print(f"  [red]{escape(b.code)}[/]: {escape(b.remedy)}")
    else:
        console.print("Blockers: none")
