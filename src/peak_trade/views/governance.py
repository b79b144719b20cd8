"""Text views of verify, diff, history and check results. Pure: values in, text out."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from peak_trade.archive.verify import VerifyReport
from peak_trade.live.diff import Risk, SnapshotDiff
from peak_trade.live.fleet import FleetReport
from peak_trade.live.history import HistoryRow
from peak_trade.views import to_json


def render_verify(report: VerifyReport) -> str:
    head = (
        f"head: seq {report.head_seq} entry_sha256 {report.head_entry_sha256}"
        if report.head_seq is not None
        else "head: none"
    )
    if report.signatures_checked:
        signatures = "checked"
    elif report.signed_entries:
        signatures = (
            f"{report.signed_entries} entries signed, NOT checked (pass --public-key to check)"
        )
    else:
        signatures = "none (unsigned archive)"
    lines = []
    if report.ok:
        lines.append(f"OK: {report.entries} entries, every file and link verified")
    else:
        lines.append(f"TAMPERED: {len(report.problems)} problem(s) in {report.archive_dir}")
        lines += [f"  {p.where}: {p.message}" for p in report.problems]
    lines += [head, f"signatures: {signatures}"]
    return "\n".join(lines) + "\n"


def verify_json(report: VerifyReport) -> str:
    payload = {"ok": report.ok, **msgspec.structs.asdict(report)}
    return to_json(payload)


def _value(value: object) -> str:
    return msgspec.json.encode(value).decode()


def render_diff(diff: SnapshotDiff) -> str:
    lines = [diff.summary(), f"--- {diff.old_label}", f"+++ {diff.new_label}"]
    section = None
    for change in diff.changes:
        if change.section != section:
            section = change.section
            lines.append(f"[{section}]")
        note = ""
        if change.risk is not Risk.NEUTRAL:
            label = "less safe" if change.risk is Risk.LESS_SAFE else "safer"
            note = f"    # {label}: {change.why}"
        lines.append(f"- {change.key}: {_value(change.old)}")
        lines.append(f"+ {change.key}: {_value(change.new)}{note}")
    return "\n".join(lines) + "\n"


def diff_json(diff: SnapshotDiff) -> str:
    payload = {
        "summary": diff.summary(),
        "less_safe": bool(diff.less_safe),
        **msgspec.structs.asdict(diff),
    }
    return to_json(payload)


def _aligned(table: Sequence[Sequence[str]]) -> list[str]:
    """Rows as lines with every column padded to its widest cell."""
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in table]


def render_history(rows: Sequence[HistoryRow]) -> str:
    header = (
        "seq",
        "time (UTC)",
        "environment",
        "effective",
        "verdict",
        "blockers",
        "drills",
        "signed",
    )
    table = [header]
    notes = []
    for row in rows:
        verdict = (
            "?" if row.live_allowed is None else ("ALLOWED" if row.live_allowed else "blocked")
        )
        drills = "?" if row.drills_total is None else f"{row.drills_passed}/{row.drills_total}"
        table.append(
            (
                str(row.seq),
                row.timestamp_utc,
                row.environment_id,
                row.effective_mode or "?",
                verdict,
                "?" if row.blockers is None else str(row.blockers),
                drills,
                "yes" if row.signed else "no",
            )
        )
        flag = "" if row.intact else " [DAMAGED: run verify]"
        flag += " [LESS SAFE]" if row.less_safe else ""
        notes.append(f"  {row.seq}:{flag} " + ("; ".join(row.changes) or "no change"))
    lines = _aligned(table)
    lines += ["", "changes (! = less safe):", *notes]
    return "\n".join(lines) + "\n"


def render_fleet(report: FleetReport) -> str:
    header = (
        "config",
        "dialect",
        "environment",
        "effective",
        "verdict",
        "armed",
        "drills",
        "blockers",
    )
    table = [header]
    for row in report.rows:
        verdict = "INVALID" if row.error else ("ALLOWED" if row.live_allowed else "blocked")
        drills = f"{row.drills_passed}/{row.drills_passed + row.drills_failed}"
        table.append(
            (
                row.path,
                row.dialect,
                row.environment_id,
                row.effective_mode,
                verdict,
                "ARMED" if row.config_armed else "no",
                drills if row.drills_executable else "-",
                ",".join(row.blockers) or "none",
            )
        )
    lines = _aligned(table)
    for row in report.rows:
        if row.error:
            lines.append(f"  {row.path}: {row.error}")
        for violation in row.violations:
            fix = f" (fix: {violation.fix})" if violation.fix else ""
            lines.append(f"  {row.path}: {violation.code}: {violation.message}{fix}")
    lines.append(report.summary())
    return "\n".join(lines) + "\n"
