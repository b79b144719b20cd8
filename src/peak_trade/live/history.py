"""One row per archived snapshot, with what changed since the one before."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, Final

import msgspec

from peak_trade.archive.ledger import DECODE_ERRORS, FILE_NAME, LedgerEntry
from peak_trade.archive.refs import iter_entries
from peak_trade.archive.verify import SignatureCheck, read_with_sha256, sha256_file
from peak_trade.live.diff import Risk, diff_snapshots
from peak_trade.live.snapshot import (
    AnySnapshot,
    live_audit_snapshot_from_json,
    live_audit_snapshot_to_dict,
)

# shown by diff, left out of history's one-line summaries: derived from other changes
_UNTRACKED = {
    ("config", "path"),
    ("config", "files"),
    ("config", "sha256_redacted"),
    ("safety", "reasons"),
}


#: what history can say about an entry's signature (`HistoryRow.signature`)
SIGNATURE_NONE: Final = "none"  # not signed
SIGNATURE_UNCHECKED: Final = "unchecked"  # signed; no public key to check it with
SIGNATURE_VALID: Final = "valid"  # verifies with the public key, over the entry's own hash
SIGNATURE_INVALID: Final = "invalid"  # does not verify with the public key (or the entry changed)


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
    signed: bool  # the entry carries a signature: says nothing about whose
    signature: str = SIGNATURE_NONE


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


def load_history(
    archive_dir: str, *, signature_check: SignatureCheck | None = None
) -> list[HistoryRow]:
    """Every row as a list (small archives, tests); `iter_history` streams."""
    return list(iter_history(archive_dir, signature_check=signature_check))


def iter_history(
    archive_dir: str, *, signature_check: SignatureCheck | None = None
) -> Iterator[HistoryRow]:
    """One row per entry, streamed: memory does not grow with the number of entries.

    A row whose files are missing, unreadable, changed or not a snapshot is not intact (and
    its snapshot not trusted). Each file is read once: hashed and decoded from the same bytes.
    With `signature_check` (a public key), each signature is checked; without, a signed entry
    is only "unchecked": anyone can sign with a key of their own.
    """
    previous: AnySnapshot | None = None
    previous_plain: dict[str, Any] | None = None
    for entry in iter_entries(archive_dir):
        snapshot, intact = _read_snapshot(archive_dir, entry)
        plain = _without_timestamp(snapshot) if snapshot is not None else None
        changes: tuple[str, ...] = ()
        less_safe = False
        if snapshot is not None and previous is not None and plain != previous_plain:
            # equal apart from the timestamp (the usual week): diff would find no change
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
            signature=_signature(entry, signature_check),
        )
        if snapshot is not None:
            previous, previous_plain = snapshot, plain


def _read_snapshot(archive_dir: str, entry: LedgerEntry) -> tuple[AnySnapshot | None, bool]:
    """The entry's snapshot, if its JSON file is intact; and whether every file is."""
    snapshot: AnySnapshot | None = None
    intact = True
    for name, digest in entry.files.items():
        if not FILE_NAME.match(name):
            intact = False
            continue
        path = os.path.join(archive_dir, name)
        is_json = name.endswith(".json")
        try:
            actual, data = read_with_sha256(path) if is_json else (sha256_file(path), b"")
        except OSError:  # missing, unreadable (permissions), not a regular file
            intact = False
            continue
        if actual != digest:
            intact = False
            continue
        if is_json:
            try:
                snapshot = live_audit_snapshot_from_json(data)
            except (*DECODE_ERRORS, msgspec.ValidationError):
                intact = False
    return snapshot, intact


def _without_timestamp(snapshot: AnySnapshot) -> dict[str, Any]:
    plain = live_audit_snapshot_to_dict(snapshot)
    plain.pop("timestamp_utc", None)  # the one field diff never compares (NOT_COMPARED)
    return plain


def _signature(entry: LedgerEntry, check: SignatureCheck | None) -> str:
    if entry.signature is None:
        return SIGNATURE_NONE
    if check is None:
        return SIGNATURE_UNCHECKED
    if entry.computed_sha256() == entry.entry_sha256 and check(entry.entry_sha256, entry.signature):
        return SIGNATURE_VALID
    return SIGNATURE_INVALID
