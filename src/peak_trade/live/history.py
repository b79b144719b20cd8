"""One row per archived snapshot, with what changed since the one before."""

from __future__ import annotations

import os
from collections.abc import Iterator

import msgspec

from peak_trade.archive.ledger import DECODE_ERRORS, FILE_NAME
from peak_trade.archive.refs import iter_entries
from peak_trade.archive.verify import sha256_file
from peak_trade.files import open_regular
from peak_trade.live.diff import Risk, diff_snapshots
from peak_trade.live.snapshot import AnySnapshot, live_audit_snapshot_from_json

# shown by diff, left out of history's one-line summaries: derived from other changes
_UNTRACKED = {
    ("config", "path"),
    ("config", "files"),
    ("config", "sha256_redacted"),
    ("safety", "reasons"),
}


class HistoryRow(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    timestamp_utc: str
    environment_id: str
    effective_mode: str | None
    live_allowed: bool | None
    blockers: int | None
    drills_passed: int | None
    drills_total: int | None
    intact: bool
    less_safe: bool
    changes: tuple[str, ...]
    signed: bool


def _fmt(value: object) -> str:
    if isinstance(value, str) and len(value) == 64:  # a digest: its first 12 digits will do
        return value[:12]
    if isinstance(value, list):
        return "[" + ",".join(map(str, value)) + "]"
    return msgspec.json.encode(value).decode()


def change_lines(old: AnySnapshot, new: AnySnapshot) -> tuple[tuple[str, ...], bool]:
    diff = diff_snapshots(old, new)
    lines = []
    for change in diff.changes:
        if change.section == "versions" or (change.section, change.key) in _UNTRACKED:
            continue
        mark = "!" if change.risk is Risk.LESS_SAFE else ""
        lines.append(f"{mark}{change.key} {_fmt(change.old)}->{_fmt(change.new)}")
    return tuple(lines), bool(diff.less_safe)


def load_history(archive_dir: str) -> list[HistoryRow]:
    """Every row as a list (small archives, tests); `iter_history` streams."""
    return list(iter_history(archive_dir))


def iter_history(archive_dir: str) -> Iterator[HistoryRow]:
    """One row per entry, streamed: memory does not grow with the number of entries."""
    previous: AnySnapshot | None = None
    for entry in iter_entries(archive_dir):
        snapshot: AnySnapshot | None = None
        intact = True
        for name, digest in entry.files.items():
            path = os.path.join(archive_dir, name)
            if not FILE_NAME.match(name) or not os.path.isfile(path):
                intact = False
                continue
            if sha256_file(path) != digest:
                intact = False
                continue
            if name.endswith(".json"):
                try:
                    with open_regular(path) as handle:
                        snapshot = live_audit_snapshot_from_json(handle.read())
                except (*DECODE_ERRORS, msgspec.ValidationError, OSError):
                    intact = False
        changes: tuple[str, ...] = ()
        less_safe = False
        if snapshot is not None and previous is not None:
            changes, less_safe = change_lines(previous, snapshot)
        yield HistoryRow(
            seq=entry.seq,
            timestamp_utc=entry.timestamp_utc,
            environment_id=entry.environment_id,
            effective_mode=snapshot.gating.effective_mode.value if snapshot else None,
            live_allowed=snapshot.safety.is_live_execution_allowed if snapshot else None,
            blockers=len(snapshot.safety.blockers) if snapshot else None,
            drills_passed=sum(r.passed for r in snapshot.drills.results) if snapshot else None,
            drills_total=len(snapshot.drills.results) if snapshot else None,
            intact=intact and snapshot is not None,
            less_safe=less_safe,
            changes=changes if previous is not None else ("first snapshot",),
            signed=entry.signature is not None,
        )
        if snapshot is not None:
            previous = snapshot
