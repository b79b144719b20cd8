"""The operator status (Phase 72): may this system trade live, and if not, what to change.

`build_status` is pure; `render_text` is the plain view (pipes, NO_COLOR), `render_rich`
the terminal view. Both show the same facts; `rich` is imported only by `render_rich`.
"""

from __future__ import annotations

from typing import TextIO

import msgspec

from peak_trade.core.config import LoadedConfig
from peak_trade.live.execution import REAL_ORDER_TRANSPORT
from peak_trade.live.safety import REMEDY, evaluate_gates
from peak_trade.views import to_json


class GateState(msgspec.Struct, frozen=True, kw_only=True):
    gate: str
    key: str
    value: str
    open: bool


class BlockerView(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    gate: str
    message: str
    remedy: str


class StatusReport(msgspec.Struct, frozen=True, kw_only=True):
    config_source: str
    config_path: str | None
    mode: str
    effective_mode: str
    live_execution_allowed: bool
    gates: tuple[GateState, ...]
    confirm_token_present: bool
    confirm_token_valid: bool | None
    risk_limits_enabled: bool
    base_currency: str
    max_live_notional_per_order: float
    max_live_notional_total: float
    live_trade_min_size: float
    limits_source: str
    blockers: tuple[BlockerView, ...]
    real_orders_possible: bool


def build_status(loaded: LoadedConfig) -> StatusReport:
    env, risk = loaded.environment, loaded.risk
    verdict = evaluate_gates(env)
    closed = {b.gate for b in verdict.blockers}  # a gate is open when nothing blocks at it
    token = _token_value(
        env.require_confirm_token, env.confirm_token_present, env.confirm_token_valid
    )
    rows = (
        ("mode", "Mode", "environment.mode", env.mode.value),
        ("gate1", "Gate 1", "environment.enable_live_trading", env.enable_live_trading),
        ("gate2", "Gate 2", "environment.live_mode_armed", env.live_mode_armed),
        ("dry_run", "Technical gate", "environment.live_dry_run_mode", env.live_dry_run_mode),
        ("confirm_token", "Confirm token", "environment.require_confirm_token", token),
    )
    gates = tuple(
        GateState(
            gate=label,
            key=key,
            value=str(value).lower() if isinstance(value, bool) else str(value),
            open=gate not in closed,
        )
        for gate, label, key, value in rows
    )
    return StatusReport(
        config_source=loaded.source,
        config_path=loaded.path,
        mode=env.mode.value,
        effective_mode=verdict.effective_mode.value,
        live_execution_allowed=verdict.allowed,
        gates=gates,
        confirm_token_present=env.confirm_token_present,
        confirm_token_valid=env.confirm_token_valid,
        risk_limits_enabled=risk.enabled,
        base_currency=risk.base_currency,
        max_live_notional_per_order=risk.max_live_notional_per_order,
        max_live_notional_total=risk.max_live_notional_total,
        live_trade_min_size=risk.live_trade_min_size,
        limits_source=loaded.limits_source,
        blockers=tuple(
            BlockerView(code=b.code.value, gate=b.gate, message=b.message, remedy=REMEDY[b.code])
            for b in verdict.blockers
        ),
        real_orders_possible=REAL_ORDER_TRANSPORT and verdict.allowed,
    )


def _token_value(required: bool, present: bool, valid: bool | None) -> str:
    shown = (
        "valid"
        if valid
        else ("invalid" if valid is False else ("present, unverifiable" if present else "absent"))
    )
    return f"{'required' if required else 'not required'}, token {shown}"


def headline(report: StatusReport) -> str:
    if report.live_execution_allowed:
        return "LIVE EXECUTION ALLOWED: every gate is open (orders still simulated: no transport)"
    count = len(report.blockers)
    return f"Live execution BLOCKED ({count} blocker{'' if count == 1 else 's'})"


def _config_line(report: StatusReport) -> str:
    return f"Config: {report.config_path or 'embedded default'} ({report.config_source})"


def _limits_line(report: StatusReport) -> str:
    if not report.risk_limits_enabled:
        return f"Risk limits: DISABLED (source {report.limits_source})"
    ccy = report.base_currency
    return (
        f"Risk limits: enabled, per order <= {report.max_live_notional_per_order:g} {ccy},"
        f" total <= {report.max_live_notional_total:g} {ccy},"
        f" min size {report.live_trade_min_size:g} {ccy} (source {report.limits_source})"
    )


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
        lines.append(f"  {gate.gate:<{width}}  {state:<6}  {gate.key} = {gate.value}")
    lines += ["", _limits_line(report), ""]
    if report.blockers:
        lines.append("Blockers (what to change to clear each):")
        lines += [f"  {b.code}: {b.remedy}" for b in report.blockers]
    else:
        lines.append("Blockers: none")
    return "\n".join(lines) + "\n"


def render_json(report: StatusReport) -> str:
    return to_json(report)


def render_rich(report: StatusReport, stream: TextIO) -> None:
    """The terminal view: the same facts as `render_text`, as a coloured table."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(file=stream, highlight=False)
    style = "bold green" if report.live_execution_allowed else "bold red"
    console.print(escape(headline(report)), style=style)
    console.print(escape(_config_line(report)))  # a path may contain [brackets]
    console.print(
        f"Mode: [bold]{report.mode}[/]   Effective mode: [bold]{report.effective_mode}[/]"
    )
    table = Table(title="Gates", title_justify="left")
    for column in ("Gate", "State", "Key", "Value"):
        table.add_column(column)
    for gate in report.gates:
        state = "[green]open[/]" if gate.open else "[red]CLOSED[/]"
        table.add_row(gate.gate, state, gate.key, escape(gate.value))
    console.print(table)
    limits_style = None if report.risk_limits_enabled else "bold red"
    console.print(escape(_limits_line(report)), style=limits_style)
    if report.blockers:
        blockers = Table(title="Blockers (what to change to clear each)", title_justify="left")
        blockers.add_column("Code")
        blockers.add_column("Remedy")
        for b in report.blockers:
            blockers.add_row(f"[red]{b.code}[/]", b.remedy)
        console.print(blockers)
    else:
        console.print("Blockers: none")
