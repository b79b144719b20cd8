"""Verifying an archive: every file hash, the whole chain, the canonical form, signatures.

Every problem is reported with its place (`file` or `ledger.jsonl:N`), never only the first.
The ledger is streamed: memory does not grow with the number of entries.
"""

from __future__ import annotations

import array
import hashlib
import heapq
import os
import stat
from collections.abc import Callable, Iterator
from typing import Final

import msgspec

from peak_trade.archive.ledger import (
    DECODE_ERRORS,
    FILE_NAME,
    HEX64,
    LEDGER,
    LOCK,
    PENDING,
    SIGNATURE_HEX,
    LedgerEntry,
    body_bytes_of_canonical_line,
    decode_entry,
    decode_pending,
    iter_lines,
    names_in_torn_line,
    seq_of,
    temp_name,
)
from peak_trade.archive.ledger import canonical as canonical_bytes
from peak_trade.core.words import DEFAULT_ARCHIVE_DIR
from peak_trade.errors import ArchiveError
from peak_trade.files import NotARegularFile, is_regular_or_absent, open_regular

SignatureCheck = Callable[[str, str], bool]


class Problem(msgspec.Struct, frozen=True):
    where: str
    message: str


class VerifyReport(msgspec.Struct, frozen=True, kw_only=True):
    archive_dir: str
    entries: int
    head_seq: int | None
    head_entry_sha256: str | None
    signatures_checked: bool
    signed_entries: int
    #: the seq of the first signed entry: signing started there (the entries before it are
    #: covered by its signature through the chain: it signs a hash that commits to them)
    signing_started_seq: int | None = None
    problems: tuple[Problem, ...]
    #: problems found beyond the first `MAX_PROBLEMS`, counted but not kept (memory stays flat)
    problems_not_shown: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.problems_not_shown


#: a hostile ledger (millions of junk lines) must not make verify keep millions of problems
MAX_PROBLEMS: Final = 100


class _Problems:
    """The first `limit` problems, in order, and a count of the rest."""

    def __init__(self, limit: int = MAX_PROBLEMS) -> None:
        self.shown: list[Problem] = []
        self.more = 0
        self.limit = limit

    def append(self, problem: Problem) -> None:
        if len(self.shown) < self.limit:
            self.shown.append(problem)
        else:
            self.more += 1

    def __len__(self) -> int:
        return len(self.shown) + self.more


_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
_CHUNK = 1 << 20


def sha256_file(path: str) -> str:
    """SHA-256 of a regular file; anything else is an OSError, as `open_regular` refuses it."""
    return _read(path, keep=False)[0]


def read_with_sha256(path: str) -> tuple[str, bytes]:
    """(SHA-256, content) of a regular file, read once."""
    return _read(path, keep=True)


class ArchiveFiles:
    """An archive directory, opened once, whose files are read by name relative to it: one
    path component to look up per file instead of the whole path (verify and history read
    two files per entry). Names must be archive file names (`FILE_NAME`): no separators."""

    def __init__(self, archive_dir: str) -> None:
        self._fd = os.open(archive_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))

    def __enter__(self) -> ArchiveFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self._fd)

    def sha256(self, name: str) -> str:
        return _read(name, keep=False, dir_fd=self._fd)[0]

    def read_with_sha256(self, name: str) -> tuple[str, bytes]:
        return _read(name, keep=True, dir_fd=self._fd)


def open_archive_files(archive_dir: str) -> ArchiveFiles:
    try:
        return ArchiveFiles(archive_dir)
    except OSError as exc:
        raise ArchiveError(f"{archive_dir}: cannot open ({exc.strerror})") from None


def _read(path: str, *, keep: bool, dir_fd: int | None = None) -> tuple[str, bytes]:
    # straight from the descriptor, in bounded chunks: no buffered file object per file
    fd = os.open(path, _READ_FLAGS, dir_fd=dir_fd)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotARegularFile(path, mode)
        digest = hashlib.sha256()
        parts: list[bytes] = []
        while chunk := os.read(fd, _CHUNK):
            digest.update(chunk)
            if keep:
                parts.append(chunk)
    finally:
        os.close(fd)
    return digest.hexdigest(), b"".join(parts)


class _Recorded:
    """Every file name the ledger records, and the line that records it, in 16 bytes per entry.

    Names are kept as Python's per-process SipHash of the name (64 bits, unpredictable, so no
    name can be made to collide with a recorded one). A name as `archive` writes it, numbered
    for the line that records it (`live_audit_<line>_…`, one `.json` and one `.md`), goes into
    that line's two slots of a flat array; any other name (only a tampered ledger has them)
    into a dict. A name is recorded iff it is in the dict or in the slot its number and
    extension point to, so memory grows by two machine words per entry, not by a dict item
    per file.
    """

    def __init__(self) -> None:
        self._slots = array.array("q")  # line N's .json at 2(N-1), its .md at 2(N-1)+1
        self._other: dict[int, int] = {}  # name hash -> line, for every other name

    def _slot(self, name: str, seq: int | None) -> int | None:
        if seq is None or not 1 <= seq <= len(self._slots) // 2:
            return None
        return 2 * (seq - 1) + (0 if name.endswith(".json") else 1)

    def add(self, name: str, seq: int | None, line: int) -> int | None:
        """Record `name` (numbered `seq`) for `line`; or return the line that recorded it."""
        key = hash(name)
        earlier = self._other.get(key)
        if earlier is not None:
            return earlier
        slot = self._slot(name, seq)
        if slot is not None and key != 0 and self._slots[slot] == key:
            return slot // 2 + 1
        if seq == line and key != 0:
            if len(self._slots) == 2 * (line - 1):  # slots only for lines in a row: a junk
                self._slots.extend((0, 0))  # run before a line cannot make them grow
                slot = self._slot(name, seq)
            if slot is not None and slot // 2 + 1 == line and self._slots[slot] == 0:
                self._slots[slot] = key
                return None
        self._other[key] = line
        return None

    def __contains__(self, name: str) -> bool:
        key = hash(name)
        if key in self._other:
            return True
        slot = self._slot(name, seq_of(name))
        return slot is not None and key != 0 and self._slots[slot] == key


class _Chain:
    """State carried from one ledger line to the next."""

    def __init__(self) -> None:
        self.recorded = _Recorded()
        self.previous: LedgerEntry | None = None
        self.count = 0
        self.head_found = False
        self.last_line_complete = True
        self.signed = 0
        self.first_signed: int | None = None  # seq of the first signed entry
        #: line numbers of unsigned entries before any signed one (first, last): judged when
        #: a signed entry arrives (it covers them) or at the end (nothing covers them)
        self.unsigned_before: tuple[int, int] | None = None
        self.committed_seq = 0  # seq of the newest entry whose line is complete
        self.torn: bytes | None = None  # the last line, when it lacks its newline
        self.torn_decoded = False
        self.torn_verifies = False


def verify_archive(
    archive_dir: str,
    *,
    signature_check: SignatureCheck | None = None,
    expected_head: tuple[int, str] | None = None,
) -> VerifyReport:
    """Check every file hash, the hash chain, the canonical form and (given a key) signatures."""
    if not os.path.isdir(archive_dir):
        raise ArchiveError(f"{archive_dir}: archive directory does not exist")
    problems = _Problems()
    chain = _Chain()
    ledger_path = os.path.join(archive_dir, LEDGER)
    try:
        with open_regular(ledger_path) as handle, open_archive_files(archive_dir) as files:
            for line in iter_lines(handle):
                chain.count += 1
                chain.last_line_complete = line.endswith(b"\n")
                _check_line(line, chain, files, problems, signature_check, expected_head)
    except FileNotFoundError:
        if not any(n not in (LOCK, PENDING) for n in _names(archive_dir)):
            # the same answer as history and diff give: nothing to verify is not tampering
            raise ArchiveError(f"{ledger_path}: no ledger (nothing archived yet?)") from None
        problems.append(Problem(LEDGER, "ledger is missing"))
    except OSError as exc:
        raise ArchiveError(f"{ledger_path}: cannot read ({exc.strerror})") from None
    else:
        if signature_check is not None and chain.unsigned_before is not None:
            first, last = chain.unsigned_before
            lines = f"{first}" if first == last else f"{first}-{last}"
            problems.append(
                Problem(
                    f"{LEDGER}:{lines}",
                    "entry is not signed, and no signed entry follows to cover it"
                    " (sign the next archive run: --sign-key)",
                )
            )
        if chain.count == 0:
            problems.append(Problem(LEDGER, "ledger has no entries"))
        elif not chain.last_line_complete:
            problems.append(Problem(f"{LEDGER}:{chain.count}", _torn_message(chain)))

    rollback = _rolled_back_by_next_archive(archive_dir, chain)
    count = 0

    def unrecorded_names() -> Iterator[str]:
        nonlocal count
        for name in _names(archive_dir):
            if name in (LEDGER, LOCK) or name in chain.recorded:
                continue
            if name == PENDING and is_regular_or_absent(os.path.join(archive_dir, name)):
                continue  # the recovery marker: what it names is reported, not the marker
            count += 1
            yield name

    names = unrecorded_names()
    # the alphabetically first ones, as many as may still be shown; the rest only counted
    kept = heapq.nsmallest(max(problems.limit - len(problems.shown), 0), names)
    for _ in names:
        pass
    for name in kept:
        problems.shown.append(
            _unrecorded(archive_dir, name, chain.committed_seq, rollback, signed=chain.signed > 0)
        )
    problems.more += count - len(kept)

    head = chain.previous
    if expected_head is not None and not chain.head_found:
        seq, digest = expected_head
        problems.append(
            Problem(LEDGER, f"expected head {seq}:{digest} is not in the chain (truncated?)")
        )
    return VerifyReport(
        archive_dir=archive_dir,
        entries=chain.count,
        head_seq=head.seq if head else None,
        head_entry_sha256=head.entry_sha256 if head else None,
        signatures_checked=signature_check is not None,
        signed_entries=chain.signed,
        signing_started_seq=chain.first_signed,
        problems=tuple(problems.shown),
        problems_not_shown=problems.more,
    )


def _torn_message(chain: _Chain) -> str:
    """What the next archive does with a last line that lacks its newline (store.recover)."""
    if not chain.torn_decoded:
        return "last line is incomplete (an interrupted run? the next archive rolls it back)"
    if chain.torn_verifies:
        return (
            "last line is incomplete: only its newline is missing, the entry verifies (the"
            " next archive restores the newline, or refuses if a signature does not verify)"
        )
    return (
        "last line is incomplete and its entry does not verify (the next archive refuses to"
        " continue the chain until it is repaired)"
    )


def _rolled_back_by_next_archive(archive_dir: str, chain: _Chain) -> set[str]:
    """The names the next archive's recovery removes (`store.recover`): those its recovery
    marker lists and those a torn, unparsable last line names, numbered above the newest
    committed entry; with their temporary names."""
    names: set[str] = set()
    try:
        with open_regular(os.path.join(archive_dir, PENDING)) as handle:
            pending = decode_pending(handle.read(1 << 20))
        if pending is not None:
            names |= set(pending.files)
    except OSError:
        pass
    if chain.torn is not None and not chain.torn_decoded:
        names |= {n for n in names_in_torn_line(chain.torn) if seq_of(n) == chain.committed_seq + 1}
    names = {n for n in names if (seq_of(n) or 0) > chain.committed_seq}
    return names | {temp_name(n) for n in names}


def _names(archive_dir: str) -> Iterator[str]:
    """The directory's entries, one at a time (no list of every name)."""
    try:
        with os.scandir(archive_dir) as entries:
            for entry in entries:
                yield entry.name
    except OSError as exc:
        raise ArchiveError(f"{archive_dir}: cannot list ({exc.strerror})") from None


def adopt_command(archive_dir: str, name: str, *, signed: bool) -> str:
    """The command that brings a hand-moved export into the chain, runnable as printed from
    the working directory: the file's path from here, the archive if not the default, and the
    signing key a signed chain needs."""
    import shlex

    where = (
        "" if archive_dir == DEFAULT_ARCHIVE_DIR else f" --archive-dir {shlex.quote(archive_dir)}"
    )
    key = " --sign-key KEYFILE" if signed else ""
    path = shlex.quote(os.path.join(archive_dir, name))
    return f"peak-trade audit archive{where} --adopt {path}{key}"


def _unrecorded(
    archive_dir: str, name: str, committed: int, rollback: set[str], *, signed: bool
) -> Problem:
    if name == PENDING:
        return Problem(
            name,
            "the recovery marker is not a regular file (a link?): archive refuses to run until"
            " it is removed",
        )
    if os.path.isdir(os.path.join(archive_dir, name)):
        return Problem(name, "directory not recorded in the ledger")
    if name in rollback:
        return Problem(
            name,
            "file not recorded in the ledger (left by an interrupted archive run? the next"
            " archive rolls it back)",
        )
    if name.endswith(".json") and not FILE_NAME.match(name):
        return Problem(
            name,
            "file not recorded in the ledger (an export moved here by hand? bring it into the"
            f" chain: {adopt_command(archive_dir, name, signed=signed)})",
        )
    if (seq_of(name) or 0) > committed:
        return Problem(
            name,
            "file not recorded in the ledger (numbered after the newest entry, and no"
            " interrupted archive run names it: the next archive leaves it alone)",
        )
    return Problem(name, "file not recorded in the ledger")


def _check_line(
    line: bytes,
    chain: _Chain,
    files: ArchiveFiles,
    problems: _Problems,
    signature_check: SignatureCheck | None,
    expected_head: tuple[int, str] | None,
) -> None:
    number = chain.count
    where = f"{LEDGER}:{number}"
    complete = line.endswith(b"\n")
    if not complete:
        chain.torn = line
    try:
        entry = decode_entry(line)
    except msgspec.ValidationError as exc:
        problems.append(Problem(where, f"not a ledger entry ({_short(exc)})"))
        chain.previous = None
        return
    except DECODE_ERRORS:
        problems.append(Problem(where, "not valid JSON (changed or torn line)"))
        chain.previous = None
        return
    found_before = len(problems)
    if complete:
        chain.committed_seq = entry.seq
    else:
        chain.torn_decoded = True
        line += b"\n"  # judged as the whole line it would be (store.recover does the same)
    chain.head_found = chain.head_found or (entry.seq, entry.entry_sha256) == expected_head
    canonical = entry.line(decoded=True) == line
    if not canonical:
        problems.append(Problem(where, "line is not in canonical form (edited?)"))
    body = (
        body_bytes_of_canonical_line(line, entry)
        if canonical and HEX64.match(entry.entry_sha256)
        else canonical_bytes(entry.body())
    )
    if not HEX64.match(entry.entry_sha256) or hashlib.sha256(body).hexdigest() != (
        entry.entry_sha256
    ):
        problems.append(Problem(where, "entry_sha256 does not match the entry (entry changed)"))
    if entry.seq != number:
        problems.append(
            Problem(where, f"seq {entry.seq} where {number} belongs (deleted, inserted or moved)")
        )
    previous = chain.previous
    if number == 1:
        if entry.prev_entry_sha256 is not None:
            problems.append(Problem(where, "first entry names a previous entry"))
    elif previous is not None and entry.prev_entry_sha256 != previous.entry_sha256:
        problems.append(
            Problem(where, f"prev_entry_sha256 does not match line {number - 1} (chain broken)")
        )
    if entry.signature is not None:
        chain.signed += 1
        if chain.first_signed is None:
            chain.first_signed = entry.seq
            chain.unsigned_before = None  # covered: this signature commits to them all
        if not SIGNATURE_HEX.fullmatch(entry.signature):
            problems.append(
                Problem(where, "signature is not canonical (128 lower-case hex digits)")
            )
    if signature_check is not None:
        if entry.signature is None and chain.first_signed is None:
            # before signing started: covered by the first signature, if one follows
            first = chain.unsigned_before[0] if chain.unsigned_before else number
            chain.unsigned_before = (first, number)
        elif entry.signature is None:
            problems.append(
                Problem(
                    where,
                    f"entry is not signed, though signing started at seq {chain.first_signed}"
                    " (archive never appends an unsigned entry to a signed chain)",
                )
            )
        elif not signature_check(entry.entry_sha256, entry.signature):
            problems.append(Problem(where, "signature does not verify with the public key"))
    if not complete:
        chain.torn_verifies = len(problems) == found_before
    _check_files(entry, where, files, chain.recorded, problems)
    chain.previous = entry


def _check_files(
    entry: LedgerEntry,
    where: str,
    files: ArchiveFiles,
    recorded: _Recorded,
    problems: _Problems,
) -> None:
    number = int(where.rsplit(":", 1)[1])
    for name, digest in entry.files.items():
        match = FILE_NAME.match(name)
        if match is None:
            problems.append(Problem(where, f"records {name!r}, which is not an archive file name"))
            continue
        earlier = recorded.add(name, int(match["seq"]), number)
        if earlier is not None:
            problems.append(Problem(where, f"{name} is already recorded by line {earlier}"))
            continue
        try:
            actual = files.sha256(name)
        except FileNotFoundError:
            problems.append(Problem(name, f"missing (recorded by {where})"))
            continue
        except OSError as exc:
            problems.append(Problem(name, f"unreadable ({exc.strerror})"))
            continue
        if actual != digest:
            problems.append(Problem(name, f"content differs from the hash recorded by {where}"))


def _short(exc: Exception) -> str:
    return str(exc).replace("`", "").replace("$.", "")
