"""Text views of verify, diff, history and check results. Pure: values in, text out."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Final

import msgspec

from peak_trade.archive.verify import VerifyReport
from peak_trade.live.diff import Risk, SnapshotDiff
from peak_trade.live.fleet import FleetReport, FleetRow
from peak_trade.live.history import (
    SIGNATURE_INVALID,
    SIGNATURE_NONE,
    SIGNATURE_UNCHECKED,
    SIGNATURE_VALID,
    HistoryRow,
)
from peak_trade.views import cell, to_json


def render_verify(report: VerifyReport) -> str:
    head = (
        f"head: seq {report.head_seq} entry_sha256 {report.head_entry_sha256}"
        if report.head_seq is not None
        else "head: none"
    )
    if report.signatures_checked and report.signing_started_seq not in (None, 1):
        signatures = (
            f"checked: signed from seq {report.signing_started_seq}; the entries before it"
            " are covered by that signature through the chain"
        )
    elif report.signatures_checked:
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
        total = len(report.problems) + report.problems_not_shown
        lines.append(f"TAMPERED: {total} problem(s) in {report.archive_dir}")
        lines += [f"  {p.where}: {p.message}" for p in report.problems]
        if report.problems_not_shown:
            lines.append(
                f"  ... and {report.problems_not_shown} more (the first"
                f" {len(report.problems)} are shown)"
            )
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
        key = cell(change.key)
        lines.append(f"- {key}: {cell(_value(change.old))}")
        lines.append(f"+ {key}: {cell(_value(change.new))}{note}")
    return "\n".join(lines) + "\n"


def diff_json(diff: SnapshotDiff) -> str:
    payload = {
        "summary": diff.summary(),
        "less_safe": bool(diff.less_safe),
        **msgspec.structs.asdict(diff),
    }
    return to_json(payload)


HISTORY_HEADER: Final = (
    "seq",
    "time (UTC)",
    "environment",
    "effective",
    "verdict",
    "blockers",
    "drills",
    "signed",
)


#: the signed column: a signature is only "valid" when checked with a public key
_SIGNED_CELL: Final = {
    SIGNATURE_NONE: "no",
    SIGNATURE_UNCHECKED: "unchecked",
    SIGNATURE_VALID: "valid",
    SIGNATURE_INVALID: "BAD",
}


def history_lines(rows: Iterable[HistoryRow], widths: Sequence[int]) -> Iterator[str]:
    """The history table, one row at a time, each followed by what changed (`!` = less safe).

    Streamed: `widths` (from `history_widths`) lets every row be printed as it is read.
    """
    yield _row(HISTORY_HEADER, widths)
    for row in rows:
        verdict = (
            "?" if row.live_allowed is None else ("ALLOWED" if row.live_allowed else "blocked")
        )
        drills = "?" if row.drills_total is None else f"{row.drills_passed}/{row.drills_total}"
        cells = (
            str(row.seq),
            row.timestamp_utc,
            row.environment_id,
            row.effective_mode or "?",
            verdict,
            "?" if row.blockers is None else str(row.blockers),
            drills,
            _SIGNED_CELL.get(row.signature, row.signature),
        )
        yield _row(cells, widths)
        flag = "" if row.intact else "[DAMAGED: run verify] "
        flag += "[BAD SIGNATURE] " if row.signature == SIGNATURE_INVALID else ""
        flag += "[LESS SAFE] " if row.less_safe else ""
        yield f"    {flag}" + (cell("; ".join(row.changes)) or "no change")


def history_widths(seq_width: int, environment_width: int) -> tuple[int, ...]:
    """Column widths known before the rows: the variable ones from the ledger alone."""
    fixed = (25, 15, 7, 8, 5, 9)  # timestamp, effective mode, verdict, blockers, drills, signed
    widths = (max(seq_width, 3), fixed[0], max(environment_width, 11), *fixed[1:])
    return tuple(max(w, len(h)) for w, h in zip(widths, HISTORY_HEADER, strict=True))


def _row(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(cell(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


def render_history(rows: Sequence[HistoryRow]) -> str:
    widths = history_widths(
        max((len(str(r.seq)) for r in rows), default=3),
        max((len(cell(r.environment_id)) for r in rows), default=11),
    )
    return "\n".join(history_lines(rows, widths)) + "\n"


#: six narrow columns after the path, so that a row fits 80 columns for a path of up to 24
#: characters (`fleet config/`); each config's blockers by code, its environment id and every
#: violation are in the JSON report, the violations also in the lines below the table
_FLEET_HEADER: Final = ("config", "system", "mode", "verdict", "drills", "blockers")


def render_fleet(report: FleetReport) -> str:
    return "".join(fleet_lines(report.rows, report.summary()))


def _fleet_cells(row: FleetRow) -> tuple[str, ...]:
    """One row: the verdict says the worst of invalid, live-allowed, armed (only a run-time
    token stands between it and live orders) and blocked; blockers are counted."""
    if row.error:
        verdict = "INVALID"
    elif row.live_allowed:
        verdict = "ALLOWED"
    else:
        verdict = "ARMED" if row.config_armed else "blocked"
    drills = f"{row.drills_passed}/{row.drills_passed + row.drills_failed}"
    return tuple(
        cell(value)
        for value in (
            row.path,
            row.dialect,
            row.effective_mode,
            verdict,
            drills if row.drills_executable else "-",
            str(len(row.blockers)),
        )
    )


def fleet_lines(rows: Sequence[FleetRow], summary: str) -> Iterator[str]:
    """The fleet's text report, one line (with its newline) at a time: the table (every column
    as wide as its widest cell, `views.aligned`), each invalid config's error and each
    violation, then the summary. Two passes over the rows, one to size the columns, so that no
    line is built before it is written."""
    widths = [len(c) for c in _FLEET_HEADER]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, _fleet_cells(row), strict=True)]
    for cells in itertools.chain((_FLEET_HEADER,), map(_fleet_cells, rows)):
        yield "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip() + "\n"
    for row in rows:
        path = cell(row.path)
        if row.error:
            yield _wrapped(f"  {path}: {cell(row.error)}")
        for violation in row.violations:
            fix = f" (fix: {cell(violation.fix)})" if violation.fix else ""
            yield _wrapped(f"  {path}: {violation.code}: {cell(violation.message)}{fix}")
    head, _, tail = summary.partition("; ")
    yield f"{head};\n{tail}\n" if tail and len(summary) > 80 else summary + "\n"


_CONTINUATION: Final = "    "


def _wrapped(line: str, width: int = 80) -> str:
    """A finding's line, wrapped at spaces to `width` (continuations indented four): never
    inside a word, so a key path or a file name stays whole however long it is.

    The lines `textwrap.wrap` makes of it (`_textwrapped`) for an indent of up to two spaces
    (a finding's), found by looking back for a space from each line's last column instead of
    fitting the line word by word: the fleet's parent wraps a finding or two per config, and
    textwrap's loop was most of its work. With a deeper indent (a path that starts with a
    space) textwrap would drop the indent from its count when the first word does not fit
    beside it and fill that line past the width; this keeps it within. A line with other
    whitespace (a tab, a no-break space) goes to textwrap itself."""
    if len(line) <= width:
        return line + "\n"
    if re.search(r"[^\S ]", line) is not None:  # whitespace other than a space
        return _textwrapped(line, width)
    indent = line[: len(line) - len(line.lstrip(" "))]
    # `room`: the columns a line has for its words (at least one, so every line takes a word)
    lines, start, room = [], len(indent), max(1, width - len(indent))
    while len(line) - start > room:
        cut = line.rfind(" ", start, start + room + 1)  # a space at the last column ends it
        if cut <= start:  # a word longer than the line: alone on its line, whole
            cut = line.find(" ", start + room)
            if cut < 0:
                break
        lines.append(line[start:cut].rstrip(" "))
        start = len(line) - len(line[cut:].lstrip(" "))
        room = max(1, width - len(_CONTINUATION))
    if start < len(line):
        lines.append(line[start:].rstrip(" "))
    return indent + f"\n{_CONTINUATION}".join(lines) + "\n"


def _textwrapped(line: str, width: int) -> str:
    import textwrap  # only for a line with other whitespace than spaces

    parts = textwrap.wrap(
        line,
        width=width,
        initial_indent="",
        subsequent_indent="    ",
        break_long_words=False,
        break_on_hyphens=False,
        drop_whitespace=True,
    )
    indent = line[: len(line) - len(line.lstrip())]
    return "\n".join([indent + parts[0].lstrip(), *parts[1:]]) + "\n"


def fleet_json(rows: Sequence[FleetRow], head: dict[str, object]) -> Iterator[str]:
    """The fleet's JSON report (`to_json` of `head` with `rows` last), one row at a time: the
    same text as `to_json(FleetReport.payload())`, without building it whole."""
    opening = to_json({**head, "rows": []})
    if not rows:
        yield opening
        return
    yield opening[: -len("[]\n}\n")] + "["
    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n    " + to_json(row).rstrip("\n").replace("\n", "\n    ")
    yield "\n  ]\n}\n"
