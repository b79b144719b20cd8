"""Writing the archive: the lock, crash recovery, and appending one entry with its files.

The commit point of an entry is its complete ledger line (ending in a newline) fsynced to disk.
Before it, a recovery marker (`.pending`) names the snapshot files the entry will record, and is
fsynced; then each file is written under its one temporary name and linked into place. A crash
(kill -9, full disk, power loss) can leave only what comes before the commit point: the marker,
the files and temporary files it names, a last ledger line without its newline. The next
`archive` settles these under the lock, first thing, and says so in its output; it finds them
from the marker and the ledger's tail alone, never by listing the directory. Nothing committed
is ever touched: a last line that is a whole, verifying entry only gets its newline back.
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
    HEX64,
    LEDGER,
    LOCK,
    PENDING,
    LedgerEntry,
    Pending,
    decode_entry,
    decode_pending,
    encode_pending,
    names_in_torn_line,
    planned_names,
    seq_of,
    split_lines,
    temp_name,
)
from peak_trade.errors import ArchiveError
from peak_trade.files import is_regular_or_absent, open_regular
from peak_trade.outputs import fsync_directory, write_through


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
        return (
            name in (LEDGER, LOCK, PENDING) or FILE_NAME.match(name) is not None or _is_temp(name)
        )

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


def _read_back(path: str, enough: Callable[[bytes], bool]) -> tuple[bytes, bool]:
    """The end of a file, read backwards in growing chunks until `enough` says it holds what
    the caller needs, or the whole file; and whether it is the whole file. Costs what the end
    of the ledger holds, however long the ledger is."""
    with open_regular(path) as handle:
        size = handle.seek(0, os.SEEK_END)
        chunk = 1 << 14
        while True:
            start = max(0, size - chunk)
            handle.seek(start)
            data = handle.read(size - start)
            if start == 0 or enough(data):
                return data, start == 0
            chunk *= 4


def _read_tail(path: str) -> bytes:
    """The last complete line of a file and what follows it (the whole file if it is short)."""
    return _read_back(path, lambda data: b"\n" in data.rstrip(b"\n"))[0]


def recover(
    archive_dir: str, signing: Signing | None = None
) -> tuple[list[str], LedgerEntry | None]:
    """Roll back what an interrupted run left before its commit point; return what was done
    and the last committed entry (read once here, for the append that follows).

    Call under the archive lock. Never lists the directory: an append writes only names that
    its recovery marker (`.pending`) lists, made durable before the first of them, and the
    ledger's last line names the rest; so the cost does not grow with the archive.

    A last line without its newline is settled first (`_settle_tail`): a line that is a
    complete entry and verifies is committed, and gets its newline back; a line that does not
    parse is rolled back; a line that parses but does not verify stops the run (ArchiveError).
    Then every file the marker or the rolled-back line names is removed, with its temporary
    file, if its number is above the last committed entry. Nothing committed is touched; a
    file no entry records that neither names is left for `verify` to report.
    """
    done: list[str] = []
    ledger = os.path.join(archive_dir, LEDGER)
    torn_names: set[str] = set()
    previous: LedgerEntry | None = None
    if os.path.lexists(ledger) and is_regular_or_absent(ledger):
        previous, torn_names = _settle_tail(ledger, signing, done)
    else:
        previous = last_entry(archive_dir)
    committed = previous.seq if previous else 0
    marker = os.path.join(archive_dir, PENDING)
    if not is_regular_or_absent(marker):  # a link, a directory, a FIFO: not ours to follow
        raise ArchiveError(
            f"{marker}: not a regular file; refusing to use it as the recovery marker"
        )
    pending = _read_pending(marker)
    names = set(pending.files) if pending else set()
    names |= {n for n in torn_names if seq_of(n) == committed + 1}
    for name in sorted(names):
        seq = seq_of(name)
        if seq is None or seq <= committed:
            continue  # recorded by a committed entry, or not an archive name: never removed
        for candidate in (name, temp_name(name)):
            path = os.path.join(archive_dir, candidate)
            if os.path.isfile(path) and not os.path.islink(path):
                os.remove(path)
                done.append(f"removed {candidate} (left by an interrupted run)")
    if pending is not None or os.path.lexists(marker):
        with contextlib.suppress(FileNotFoundError):
            os.remove(marker)
    return done, previous


def _read_pending(marker: str) -> Pending | None:
    try:
        with open_regular(marker) as handle:
            return decode_pending(handle.read(1 << 20))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ArchiveError(f"{marker}: cannot read ({exc.strerror})") from None


def _is_temp(name: str) -> bool:
    stem, sep, _ = name.lstrip(".").partition(".tmp-")
    return name.startswith(".") and bool(sep) and FILE_NAME.match(stem) is not None


def _last_two_lines(path: str) -> tuple[bytes | None, bytes]:
    """The ledger's last line (with its newline, if it has one) and the complete line before
    it (None when there is none), read from the end of the file."""
    # two line breaks before the last line's own one: the line before is whole
    data, whole = _read_back(path, lambda data: data.count(b"\n", 0, len(data) - 1) >= 2)
    lines = split_lines(data if whole else data[data.index(b"\n") + 1 :])
    if not lines:
        return None, b""
    return (lines[-2] if len(lines) > 1 else None), lines[-1]


def _settle_tail(
    ledger: str, signing: Signing | None, done: list[str]
) -> tuple[LedgerEntry | None, set[str]]:
    """Settle a last line that lacks its newline; return the last committed entry and the
    archive file names in a rolled-back line."""
    try:
        before, last = _last_two_lines(ledger)
    except OSError as exc:
        raise ArchiveError(f"{ledger}: cannot read ({exc.strerror})") from None
    if last.endswith(b"\n") or not last:
        return last_entry(os.path.dirname(ledger)), set()
    previous = _decode_committed(ledger, before) if before is not None else None
    try:
        entry = decode_entry(last)
    except (msgspec.ValidationError, *DECODE_ERRORS):
        entry = None
    if entry is None:  # never a whole entry: not committed, rolled back with its files
        removed = _truncate_torn_tail(ledger)
        done.append(f"rolled back a torn last ledger line ({removed} bytes)")
        return previous, names_in_torn_line(last)
    why = _why_not_committed(entry, last, previous, signing)
    if why is not None:
        raise ArchiveError(
            f"{ledger}: the last line lacks its newline and is an entry (seq {entry.seq}) that"
            f" does not verify ({why}); refusing to roll it back or to complete it: run"
            " 'peak-trade audit verify'"
        )
    _append_line(ledger, b"\n")
    done.append(
        f"restored the newline of the last ledger line (seq {entry.seq}): the entry is whole"
        " and verifies, so it was committed"
    )
    return entry, set()


def _decode_committed(ledger: str, line: bytes) -> LedgerEntry:
    try:
        return decode_entry(line)
    except (msgspec.ValidationError, *DECODE_ERRORS):
        raise ArchiveError(
            f"{ledger}: the line before the last is not a ledger entry; run 'peak-trade audit"
            " verify'"
        ) from None


def _why_not_committed(
    entry: LedgerEntry, line: bytes, previous: LedgerEntry | None, signing: Signing | None
) -> str | None:
    """None when `line` (without its newline) is a whole entry that verifies as `verify`
    checks it: canonical, its hash, linked to `previous`, and signed by this key if signed."""
    if entry.line() != line + b"\n":
        return "not in canonical form"
    if not HEX64.match(entry.entry_sha256) or entry.computed_sha256() != entry.entry_sha256:
        return "entry_sha256 does not match"
    expected = (previous.seq + 1, previous.entry_sha256) if previous else (1, None)
    if (entry.seq, entry.prev_entry_sha256) != expected:
        return "not linked to the entry before it"
    if entry.signature is not None:
        if signing is None:
            return "signed, and no --sign-key to check the signature with"
        if not signing.verifies(entry.entry_sha256, entry.signature):
            return "its signature does not verify with this key"
    return None


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
        done, previous = recover(archive_dir, signing)
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
        previous = recover(archive_dir, signing)[1]
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
    marker = os.path.join(archive_dir, PENDING)
    files: dict[str, str] = {}
    try:
        # durable before the first file: a crash from here on leaves only what it names
        _write_synced(marker, encode_pending(seq, names), archive_dir)
        for name, data in zip(names, contents, strict=True):
            _write_new(archive_dir, name, data)
            files[name] = hashlib.sha256(data).hexdigest()
        entry = _signed_entry(seq, timestamp_utc, environment_id, files, previous, signing, adopted)
        _append_line(ledger, entry.line())
    except Exception:
        # not committed (a full disk, say): take back this run's files now, not next run
        for name in (*files, *(temp_name(n) for n in names), PENDING):
            with contextlib.suppress(OSError):
                os.remove(os.path.join(archive_dir, name))
        raise
    with contextlib.suppress(FileNotFoundError):  # committed; a marker left is harmless
        os.remove(marker)
    return entry


def _write_synced(path: str, data: bytes, directory: str) -> None:
    """Write a small file in place (never through a link), fsync it and its directory."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ArchiveError(f"{path}: not a regular file; refusing to write it")
            if os.write(fd, data) != len(data):
                raise OSError(28, "short write (disk full?)")
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot write ({exc.strerror or 'I/O error'})") from None
    fsync_directory(directory)


def _write_new(archive_dir: str, name: str, data: bytes) -> None:
    """Write a new snapshot file atomically under its one known temporary name (we hold the
    lock, so no other run uses it), then link it in place: never replaces a file."""
    path = os.path.join(archive_dir, name)
    temp = os.path.join(archive_dir, temp_name(name))
    with contextlib.suppress(FileNotFoundError):
        os.remove(temp)  # a crashed run's, should recovery not have seen it
    try:
        write_through(path, data, temp=temp, replace=False)
    except FileExistsError:
        raise ArchiveError(f"{path}: exists; refusing to overwrite it") from None
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot write ({exc.strerror or 'I/O error'})") from None


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
