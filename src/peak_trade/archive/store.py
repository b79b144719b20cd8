"""Writing the archive: the lock, crash recovery, and appending one entry with its files.

The commit point of an entry is its complete ledger line (ending in a newline) fsynced to disk.
Before it, the snapshot files are written atomically under names numbered for the new entry and
fsynced with their directory. A crash (kill -9, full disk, power loss) can leave only what comes
before the commit point: temporary files, snapshot files numbered above the last committed entry,
a torn last ledger line. The next `archive` rolls these back under the lock, first thing, and says
so in its output; nothing committed is ever touched.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
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
from peak_trade.files import is_regular_or_absent, open_regular
from peak_trade.outputs import write_atomic


class Signing(msgspec.Struct, frozen=True):
    """A signing key as the store needs it: sign a digest, and tell whether a signature on a
    digest is this key's (a signed chain may only be continued with the key that signed it)."""

    sign: Callable[[str], str]
    verifies: Callable[[str, str], bool]


@contextlib.contextmanager
def archive_lock(archive_dir: str) -> Iterator[None]:
    import fcntl

    path = os.path.join(archive_dir, LOCK)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot open the archive lock ({exc.strerror})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ArchiveError(f"{path}: not a regular file; refusing to use it as the lock")
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
        return name in (LEDGER, LOCK) or FILE_NAME.match(name) is not None or _is_temp(name)

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
    with open_regular(path) as handle:
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


def recover(archive_dir: str) -> tuple[list[str], LedgerEntry | None]:
    """Roll back what an interrupted run left before its commit point; return what was done
    and the last committed entry (read once here, for the append that follows).

    Call under the archive lock. Committed entries and their files are never touched; a
    snapshot file numbered at or below the last committed entry that no entry records is left
    for `verify` to report (that is not a crash's leftover).
    """
    done: list[str] = []
    ledger = os.path.join(archive_dir, LEDGER)
    if os.path.lexists(ledger) and is_regular_or_absent(ledger):
        torn = _truncate_torn_tail(ledger)
        if torn:
            done.append(f"rolled back a torn last ledger line ({torn} bytes)")
    previous = last_entry(archive_dir)
    committed = previous.seq if previous else 0
    for name in sorted(os.listdir(archive_dir)):
        path = os.path.join(archive_dir, name)
        match = FILE_NAME.match(name)
        leftover = (match is not None and int(match["seq"]) > committed) or _is_temp(name)
        if leftover and os.path.isfile(path) and not os.path.islink(path):
            os.remove(path)
            done.append(f"removed {name} (left by an interrupted run)")
    return done, previous


def _is_temp(name: str) -> bool:
    stem, sep, _ = name.lstrip(".").partition(".tmp-")
    return name.startswith(".") and bool(sep) and FILE_NAME.match(stem) is not None


def _truncate_torn_tail(ledger: str) -> int:
    """Cut a last line that lacks its newline (never committed); return the bytes removed."""
    fd = os.open(ledger, os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        size = os.fstat(fd).st_size
        if size == 0:
            return 0
        chunk = min(size, 1 << 16)
        os.lseek(fd, size - 1, os.SEEK_SET)
        if os.read(fd, 1) == b"\n":
            return 0
        keep = 0
        position = size
        while position > 0:
            start = max(0, position - chunk)
            os.lseek(fd, start, os.SEEK_SET)
            data = os.read(fd, position - start)
            cut = data.rfind(b"\n")
            if cut != -1:
                keep = start + cut + 1
                break
            position = start
        os.ftruncate(fd, keep)
        os.fsync(fd)
        return size - keep
    finally:
        os.close(fd)


def append_entry(
    archive_dir: str,
    *,
    timestamp_utc: str,
    environment_id: str,
    json_text: str,
    markdown_text: str,
    signing: Signing | None = None,
    recovered: list[str] | None = None,
) -> LedgerEntry:
    """Write one snapshot (JSON and Markdown) and append its ledger entry, under the lock.

    Rolls back a crashed run's leftovers first (`recover`); what it did is added to
    `recovered` when given.
    """
    with archive_lock(archive_dir):
        done, previous = recover(archive_dir)
        if recovered is not None:
            recovered.extend(done)
        return _append(
            archive_dir,
            previous,
            timestamp_utc=timestamp_utc,
            environment_id=environment_id,
            contents=(json_text.encode("utf-8"), markdown_text.encode("utf-8")),
            signing=signing,
            adopted=False,
        )


def adopt_files(
    archive_dir: str,
    exports: list[tuple[str, bytes, bytes | None, str, str]],
    *,
    signing: Signing | None = None,
) -> list[LedgerEntry]:
    """Bring snapshots exported earlier into the chain, one entry each, marked adopted.

    `exports` holds (JSON path, JSON bytes, Markdown bytes or None, timestamp, environment id),
    already validated as snapshots. Each is written under its archive name and recorded; then
    an original inside the archive directory is removed (it is now recorded under its new name).
    """
    entries = []
    with archive_lock(archive_dir):
        previous = recover(archive_dir)[1]
        for path, json_bytes, md_bytes, timestamp_utc, environment_id in exports:
            contents = (json_bytes, md_bytes) if md_bytes is not None else (json_bytes,)
            previous = _append(
                archive_dir,
                previous,
                timestamp_utc=timestamp_utc,
                environment_id=environment_id,
                contents=contents,
                signing=signing,
                adopted=True,
            )
            entries.append(previous)
            for original in (path, markdown_sibling(path)):
                if os.path.dirname(os.path.abspath(original)) == os.path.abspath(archive_dir):
                    with contextlib.suppress(FileNotFoundError):
                        os.remove(original)
    return entries


def markdown_sibling(json_path: str) -> str:
    return json_path[: -len(".json")] + ".md" if json_path.endswith(".json") else json_path + ".md"


def _check_signing(archive_dir: str, previous: LedgerEntry | None, signing: Signing | None) -> None:
    """A signed chain stays signed, by the same key."""
    if previous is None or previous.signature is None:
        return
    if signing is None:
        raise ArchiveError(
            f"{archive_dir}: the chain is signed (entry {previous.seq}); refusing an unsigned"
            " entry: pass --sign-key with the key that signed it"
        )
    if not signing.verifies(previous.entry_sha256, previous.signature):
        raise ArchiveError(
            f"{archive_dir}: entry {previous.seq} is signed by another key; refusing to"
            " continue the chain with this one (use the key that signed it, or a new archive)"
        )


def _append(
    archive_dir: str,
    previous: LedgerEntry | None,
    *,
    timestamp_utc: str,
    environment_id: str,
    contents: tuple[bytes, ...],
    signing: Signing | None,
    adopted: bool,
) -> LedgerEntry:
    _check_signing(archive_dir, previous, signing)
    ledger = os.path.join(archive_dir, LEDGER)
    if not is_regular_or_absent(ledger):  # checked before any file is written
        raise ArchiveError(f"{ledger}: not a regular file (a link?); refusing to write the archive")
    seq = previous.seq + 1 if previous else 1
    names = planned_names(seq, timestamp_utc)[: len(contents)]
    files: dict[str, str] = {}
    try:
        for name, data in zip(names, contents, strict=True):
            write_atomic(os.path.join(archive_dir, name), data, force=False)
            files[name] = hashlib.sha256(data).hexdigest()
        entry = _signed_entry(seq, timestamp_utc, environment_id, files, previous, signing, adopted)
        _append_line(ledger, entry.line())
    except Exception:
        # not committed (a full disk, say): take back this run's files now, not next run
        for name in files:
            with contextlib.suppress(OSError):
                os.remove(os.path.join(archive_dir, name))
        raise
    return entry


def _signed_entry(
    seq: int,
    timestamp_utc: str,
    environment_id: str,
    files: dict[str, str],
    previous: LedgerEntry | None,
    signing: Signing | None,
    adopted: bool,
) -> LedgerEntry:
    unsigned = LedgerEntry(
        seq=seq,
        timestamp_utc=timestamp_utc,
        environment_id=environment_id,
        files=files,
        prev_entry_sha256=previous.entry_sha256 if previous else None,
        entry_sha256="",
        adopted=True if adopted else None,
    )
    digest = unsigned.computed_sha256()
    return msgspec.structs.replace(
        unsigned, entry_sha256=digest, signature=signing.sign(digest) if signing else None
    )


def _append_line(path: str, line: bytes) -> None:
    try:
        # never through a symbolic link, never into anything but a regular file
        fd = os.open(
            path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644
        )
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ArchiveError(f"{path}: not a regular file; refusing to append to it")
            size = os.fstat(fd).st_size
            try:
                written = os.write(fd, line)
                if written != len(line):
                    raise OSError(28, "short write (disk full?)")
                os.fsync(fd)
            except OSError:
                with contextlib.suppress(OSError):  # never leave a torn line behind
                    os.ftruncate(fd, size)
                raise
        finally:
            os.close(fd)
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot append ({exc.strerror})") from None
