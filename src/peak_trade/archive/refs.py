"""Reading archived snapshots: the trusted entry stream and references (`latest~N`, `SEQ`)."""

from __future__ import annotations

import collections
import os
import re
from collections.abc import Iterator
from typing import Final

import msgspec

from peak_trade.archive.ledger import (
    DECODE_ERRORS,
    FILE_NAME,
    LEDGER,
    LedgerEntry,
    decode_entry,
    iter_lines,
)
from peak_trade.archive.verify import sha256_file
from peak_trade.errors import ArchiveError, TamperError
from peak_trade.files import open_regular
from peak_trade.live.snapshot import AnySnapshot, live_audit_snapshot_from_json


class BeforeTheFirstSnapshot(ArchiveError):
    """`latest~N` points just before the oldest snapshot: there is nothing older to compare."""


# ASCII digits only (`\d` would take other scripts' digits too); any length: see `_number`
_REF: Final = re.compile(r"(?:latest(?:~(?P<back>[0-9]+))?|(?P<seq>[0-9]+))")
#: beyond every sequence number (at most 2**53 - 1) and every count an archive can reach
_BEYOND: Final = 2**63
#: `latest~N` keeps the last N + 1 entries while it streams up to this N; beyond, it counts first
_WINDOW: Final = 64


def _number(digits: str) -> int:
    """The value of a digit string, or `_BEYOND` for one too long to be any seq or count (int()
    of thousands of digits is an error, and no archive is that long)."""
    significant = digits.lstrip("0") or "0"
    return int(significant) if len(significant) <= 18 else _BEYOND


def iter_entries(archive_dir: str) -> Iterator[LedgerEntry]:
    """Every entry, streamed, for commands that trust the archive (history, diff).

    Damage is an `ArchiveError` naming the line (run `verify` for the whole picture).
    """
    if not os.path.isdir(archive_dir):
        raise ArchiveError(f"{archive_dir}: archive directory does not exist")
    path = os.path.join(archive_dir, LEDGER)
    try:
        handle = open_regular(path)
    except FileNotFoundError:
        raise ArchiveError(f"{path}: no ledger (nothing archived yet?)") from None
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot read ({exc.strerror})") from None
    with handle:
        for number, line in enumerate(iter_lines(handle), 1):
            try:
                yield decode_entry(line)
            except (msgspec.ValidationError, *DECODE_ERRORS):
                raise ArchiveError(
                    f"{path}:{number}: not a ledger entry; run 'peak-trade audit verify'"
                ) from None


def read_ledger(archive_dir: str) -> list[LedgerEntry]:
    """Every entry as a list (small archives, tests)."""
    return list(iter_entries(archive_dir))


def load_snapshot(ref: str, archive_dir: str) -> tuple[AnySnapshot, str]:
    """A snapshot from a JSON file, or from the archive by reference; and a label for it."""
    path, label = ref, ref
    if not os.path.isfile(ref):
        resolved = resolve_ref(ref, archive_dir)
        if resolved is None:
            raise ArchiveError(f"{ref}: no such snapshot file or archive reference")
        path, entry = resolved
        label = f"{ref} = {path} (seq {entry.seq}, {entry.timestamp_utc})"
    try:
        with open_regular(path) as handle:
            return live_audit_snapshot_from_json(handle.read(64 * 1024 * 1024)), label
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot read ({exc.strerror})") from None
    except ValueError:  # msgspec's DecodeError and UnicodeDecodeError are ValueErrors
        raise ArchiveError(f"{path}: not a JSON audit snapshot of a known schema") from None


def resolve_ref(ref: str, archive_dir: str) -> tuple[str, LedgerEntry] | None:
    """`latest`, `latest~N` or a sequence number -> (JSON path, entry); None if not a ref.

    The file is checked against its ledger hash: a changed snapshot is not compared silently.
    """
    match = _REF.fullmatch(ref)
    if match is None:
        return None
    entry = _find(ref, match, archive_dir)
    json_names = [name for name in entry.files if name.endswith(".json")]
    if len(json_names) != 1 or not FILE_NAME.match(json_names[0]):
        raise ArchiveError(f"{ref}: ledger entry {entry.seq} records no JSON snapshot")
    path = os.path.join(archive_dir, json_names[0])
    try:
        actual = sha256_file(path)
    except FileNotFoundError:
        raise TamperError(f"{ref}: {path} is missing") from None
    except OSError as exc:  # a permission, or a directory in its place: there, not readable
        raise TamperError(
            f"{ref}: {path} is unreadable ({exc.strerror or 'I/O error'}); run verify"
        ) from None
    if actual != entry.files[json_names[0]]:
        raise TamperError(f"{ref}: {path} differs from its ledger hash (run verify)")
    return path, entry


def _find(ref: str, match: re.Match[str], archive_dir: str) -> LedgerEntry:
    if match["seq"] is not None:
        wanted = _number(match["seq"])
        for entry in iter_entries(archive_dir):
            if entry.seq == wanted:
                return entry
        raise ArchiveError(f"{ref}: no archived snapshot with that sequence number")
    back = _number(match["back"] or "0")
    if back <= _WINDOW:
        window: collections.deque[LedgerEntry] = collections.deque(maxlen=back + 1)
        count = 0
        for entry in iter_entries(archive_dir):
            window.append(entry)
            count += 1
        _check_back(ref, archive_dir, back, count)
        return window[0]
    # far back: count first, then take that one entry (memory stays flat)
    count = sum(1 for _ in iter_entries(archive_dir))
    _check_back(ref, archive_dir, back, count)
    for index, entry in enumerate(iter_entries(archive_dir)):
        if index == count - 1 - back:
            return entry
    raise ArchiveError(f"{ref}: the archive changed while it was read")


def _check_back(ref: str, archive_dir: str, back: int, count: int) -> None:
    if count == 0:
        raise ArchiveError(f"{archive_dir}: the ledger has no entries")
    if back == count:
        raise BeforeTheFirstSnapshot(f"{ref}: the archive holds only {count} snapshot(s)")
    if back > count:
        raise ArchiveError(f"{ref}: the archive holds only {count} snapshot(s)")


class _ConfigHead(msgspec.Struct):
    path: str | None
    dialect: str = "peak_trade"  # schema 1 had no dialect: it audited Peak_Trade alone


class _SnapshotHead(msgspec.Struct):
    config: _ConfigHead


def last_config(archive_dir: str) -> tuple[int, str | None, str] | None:
    """(seq, config path, dialect) of the newest entry, read from the end of the ledger and its
    snapshot alone (appending stays cheap); None for a new archive or whenever either cannot
    be read: this only feeds a note, and the archive run itself recovers or refuses a damaged
    tail."""
    from peak_trade.archive.store import last_entry

    try:
        entry = last_entry(archive_dir)
        if entry is None:
            return None
        name = next(n for n in entry.files if n.endswith(".json"))
        with open_regular(os.path.join(archive_dir, name)) as handle:
            head = msgspec.json.decode(handle.read(64 * 1024 * 1024), type=_SnapshotHead)
    except (ArchiveError, OSError, StopIteration, ValueError):
        return None
    return entry.seq, head.config.path, head.config.dialect
