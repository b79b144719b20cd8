"""Writing the archive: the lock, and appending one entry with its snapshot files.

Files are written first (atomically, never replacing anything); the entry is appended last with
one write and an fsync. A crash in between leaves files that no entry records, which `verify`
reports.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterator

import msgspec

from peak_trade.archive.ledger import (
    DECODE_ERRORS,
    FILE_NAME,
    LEDGER,
    LOCK,
    LedgerEntry,
    decode_entry,
    planned_names,
)
from peak_trade.errors import ArchiveError
from peak_trade.outputs import write_atomic

Signer = Callable[[str], str]


@contextlib.contextmanager
def archive_lock(archive_dir: str) -> Iterator[None]:
    import fcntl

    path = os.path.join(archive_dir, LOCK)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot open the archive lock ({exc.strerror})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def archive_output_predicate(archive_dir: str) -> Callable[[str], bool]:
    """What an archive run may write (for the read-only guard): in `archive_dir` only, the
    ledger, the lock, snapshot files and their temporary files."""
    root = os.path.abspath(archive_dir)

    def allowed(path: str) -> bool:
        directory, name = os.path.split(path)
        if directory != root:
            return False
        if name in (LEDGER, LOCK) or FILE_NAME.match(name):
            return True
        stem, sep, _ = name.lstrip(".").partition(".tmp-")
        return name.startswith(".") and bool(sep) and FILE_NAME.match(stem) is not None

    return allowed


def last_entry(archive_dir: str) -> LedgerEntry | None:
    """The newest ledger entry, or None for a new archive. A damaged tail is an error.

    Reads only the end of the ledger, so appending stays cheap however long it grows.
    """
    path = os.path.join(archive_dir, LEDGER)
    try:
        tail = _read_tail(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot read ({exc.strerror})") from None
    if not tail:
        return None
    if not tail.endswith(b"\n"):
        raise ArchiveError(
            f"{path}: last line is incomplete (an interrupted run?); run 'peak-trade audit verify'"
        )
    last = tail.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    try:
        return decode_entry(last)
    except (msgspec.ValidationError, *DECODE_ERRORS):
        raise ArchiveError(
            f"{path}: last line is not a ledger entry; run 'peak-trade audit verify'"
        ) from None


def _read_tail(path: str) -> bytes:
    """The last complete line of a file and what follows it (the whole file if it is short)."""
    with open(path, "rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        chunk = 1 << 14
        while True:
            start = max(0, size - chunk)
            handle.seek(start)
            data = handle.read(size - start)
            body = data.rstrip(b"\n")
            if start == 0 or b"\n" in body:
                return data
            chunk *= 4


def append_entry(
    archive_dir: str,
    *,
    timestamp_utc: str,
    environment_id: str,
    json_text: str,
    markdown_text: str,
    signer: Signer | None = None,
) -> LedgerEntry:
    """Write one snapshot (JSON and Markdown) and append its ledger entry, under the lock."""
    with archive_lock(archive_dir):
        previous = last_entry(archive_dir)
        seq = previous.seq + 1 if previous else 1
        json_name, md_name = planned_names(seq, timestamp_utc)
        files: dict[str, str] = {}
        for name, text in ((json_name, json_text), (md_name, markdown_text)):
            data = text.encode("utf-8")
            write_atomic(os.path.join(archive_dir, name), data, force=False)
            files[name] = hashlib.sha256(data).hexdigest()
        unsigned = LedgerEntry(
            seq=seq,
            timestamp_utc=timestamp_utc,
            environment_id=environment_id,
            files=files,
            prev_entry_sha256=previous.entry_sha256 if previous else None,
            entry_sha256="",
        )
        digest = unsigned.computed_sha256()
        entry = msgspec.structs.replace(
            unsigned, entry_sha256=digest, signature=signer(digest) if signer else None
        )
        _append_line(os.path.join(archive_dir, LEDGER), entry.line())
        return entry


def _append_line(path: str, line: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            written = os.write(fd, line)
            if written != len(line):
                raise ArchiveError(f"{path}: short write while appending the ledger entry")
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot append ({exc.strerror})") from None
