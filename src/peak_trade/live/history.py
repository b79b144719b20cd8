"""One row per archived snapshot, with what changed since the one before."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any, Final

import msgspec

from peak_trade.archive.ledger import DECODE_ERRORS, FILE_NAME, LedgerEntry
from peak_trade.archive.refs import iter_entries
from peak_trade.archive.verify import ArchiveFiles, SignatureCheck, open_archive_files
from peak_trade.core.words import UNLIMITED
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
    #: the changed fields that made this row less safe, as `section.key` (as `diff` names
    #: them): empty exactly when `less_safe` is false
    less_safe_keys: tuple[str, ...] = ()
    #: the binding cap of each kind the snapshot reports (`risk.effective`): a number, null when
    #: none binds, or "unlimited" where the binding cap is the system's own "no limit"; None
    #: when the snapshot cannot say (damaged, or schema 1, which has no binding caps)
    binding_caps: dict[str, float | int | str | None] | None = None
    base_currency: str | None = None  # the unit of the money caps; None as binding_caps


def _fmt(value: object) -> str:
    if isinstance(value, str) and len(value) == 64:  # a digest: its first 12 digits will do
        return value[:12]
    if isinstance(value, list):
        return "[" + ",".join(map(str, value)) + "]"
    return msgspec.json.encode(value).decode()


def change_lines(old: AnySnapshot, new: AnySnapshot) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(one line per change shown, `!` marking a less-safe one; every less-safe field as
    `section.key`, those left out of the lines included)."""
    diff = diff_snapshots(old, new)
    lines = []
    for change in diff.changes:
        if change.section == "versions" or (change.section, change.key) in _UNTRACKED:
            continue
        mark = "!" if change.risk is Risk.LESS_SAFE else ""
        lines.append(f"{mark}{change.key} {_fmt(change.old)}->{_fmt(change.new)}")
    return tuple(lines), tuple(f"{c.section}.{c.key}" for c in diff.less_safe)


def binding_caps(snapshot: AnySnapshot) -> dict[str, float | int | str | None] | None:
    """The binding cap of each kind a snapshot reports, "unlimited" where that is the binding
    cap; None for schema 1, which reports none (unknown, never "not set")."""
    if snapshot.schema_version < 2:
        return None
    risk: Any = snapshot.risk
    caps: dict[str, float | int | str | None] = msgspec.structs.asdict(risk.effective)
    # a cap binds when enforced (schema 3); schema 2 counted every cap
    counted = {c.kind.value for c in risk.limits if getattr(c, "enforced", True) is True}
    for kind, value in caps.items():
        if value is None and kind in counted:  # every counted cap of the kind is unlimited
            caps[kind] = UNLIMITED
    return caps


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
    entries = iter_entries(archive_dir)  # first: a missing archive is its error, not ours
    first = next(entries, None)
    if first is None:
        return
    with open_archive_files(archive_dir) as files:
        yield from _rows(first, entries, files, signature_check)


def _rows(
    first: LedgerEntry,
    rest: Iterator[LedgerEntry],
    files: ArchiveFiles,
    signature_check: SignatureCheck | None,
) -> Iterator[HistoryRow]:
    seen: _Seen | None = None  # the newest intact snapshot so far
    damaged: int | None = None  # the seq of the newest damaged entry since it (or ever)
    for entry in itertools.chain((first,), rest):
        snapshot, intact, same = _read_snapshot(files, entry, seen)
        changes: tuple[str, ...] = ()
        worse: tuple[str, ...] = ()
        if snapshot is not None and seen is not None and not same:
            # the usual week: equal apart from the timestamp, which diff never compares
            if _without_timestamp(snapshot.value) != seen.plain():
                changes, worse = change_lines(seen.snapshot.value, snapshot.value)
        row = snapshot.value if snapshot is not None else None
        caps = binding_caps(row) if row is not None else None
        currency = getattr(row.risk, "base_currency", None) if row is not None else None
        yield HistoryRow(
            seq=entry.seq,
            timestamp_utc=entry.timestamp_utc,
            environment_id=entry.environment_id,
            effective_mode=row.gating.effective_mode.value if row else None,
            live_allowed=row.safety.is_live_execution_allowed if row else None,
            blockers=len(row.safety.blockers) if row else None,
            drills_passed=sum(r.passed for r in row.drills.results) if row else None,
            drills_total=len(row.drills.results) if row else None,
            intact=intact and row is not None,
            less_safe=bool(worse),
            changes=_what_changed(changes, seen is not None, snapshot is not None, damaged),
            signed=entry.signature is not None,
            signature=_signature(entry, signature_check),
            less_safe_keys=worse,
            binding_caps=caps,
            base_currency=currency if caps is not None else None,
        )
        if snapshot is not None:
            seen = _Seen(snapshot, seen.plain() if same and seen is not None else None)
            damaged = None
        else:
            damaged = entry.seq


def _what_changed(
    changes: tuple[str, ...], compared: bool, readable: bool, damaged: int | None
) -> tuple[str, ...]:
    """A row's change lines, or why there are none: never "first snapshot" for a row whose
    predecessor could not be read."""
    if not readable:
        return ()  # the row is flagged DAMAGED: there is nothing to compare
    if compared:
        return changes if damaged is None else (f"compared past damaged seq {damaged}", *changes)
    if damaged is not None:
        return (f"cannot compare: seq {damaged} damaged",)
    return ("first snapshot",)


class _Decoded(msgspec.Struct, frozen=True):
    """A snapshot and what its JSON text is apart from the timestamp (`_split_head`)."""

    value: AnySnapshot
    head: tuple[bytes, bytes] | None


class _Seen:
    """The newest intact snapshot, with its plain form computed once, when first needed."""

    def __init__(self, snapshot: _Decoded, plain: dict[str, Any] | None) -> None:
        self.snapshot = snapshot
        self._plain = plain

    def plain(self) -> dict[str, Any]:
        if self._plain is None:
            self._plain = _without_timestamp(self.snapshot.value)
        return self._plain


_WS = rb"[ \t\n\r]*"  # JSON's whitespace, nothing else
#: how every snapshot file begins: schema_version, then timestamp_utc, both at the top level
_HEAD: Final = re.compile(
    rb"\{"
    + _WS
    + rb'"schema_version"'
    + _WS
    + rb":"
    + _WS
    + rb"(0|[1-9][0-9]{0,8})"
    + _WS
    + rb","
    + _WS
    + rb'"timestamp_utc"'
    + _WS
    + rb":"
    + _WS
    + rb'"([0-9A-Za-z:.+\-]{0,64})"'
    + _WS
    + rb","
)


def _split_head(data: bytes) -> tuple[tuple[bytes, bytes], str] | None:
    """((schema_version, the text after the timestamp), the timestamp) of a snapshot's JSON."""
    match = _HEAD.match(data)
    return ((match[1], data[match.end() :]), match[2].decode("ascii")) if match else None


def _read_snapshot(
    files: ArchiveFiles, entry: LedgerEntry, seen: _Seen | None
) -> tuple[_Decoded | None, bool, bool]:
    """The entry's snapshot, if its JSON file is intact; whether every file is; and whether
    the snapshot is the one before but for its timestamp (then it is not decoded again)."""
    snapshot: _Decoded | None = None
    intact = True
    same = False
    for name, digest in entry.files.items():
        if not FILE_NAME.match(name):
            intact = False
            continue
        is_json = name.endswith(".json")
        try:
            actual, data = files.read_with_sha256(name) if is_json else (files.sha256(name), b"")
        except OSError:  # missing, unreadable (permissions), not a regular file
            intact = False
            continue
        if actual != digest:
            intact = False
            continue
        if is_json:
            snapshot, same = _decode(data, seen)
            intact = intact and snapshot is not None
    return snapshot, intact, same


def _decode(data: bytes, seen: _Seen | None) -> tuple[_Decoded | None, bool]:
    split = _split_head(data)
    head = split[0] if split else None
    if seen is not None and split is not None and head == seen.snapshot.head:
        # The same bytes as the snapshot before, but for the timestamp's characters (no quote,
        # no escape) and JSON whitespace around the first two members: it decodes as that
        # snapshot does, with this timestamp. The text is compared, not trusted: equal text.
        value = msgspec.structs.replace(seen.snapshot.value, timestamp_utc=split[1])
        return _Decoded(value, head), True
    try:
        return _Decoded(live_audit_snapshot_from_json(data), head), False
    except (*DECODE_ERRORS, msgspec.ValidationError):
        return None, False


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
