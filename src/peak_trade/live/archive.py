"""Tamper-evident audit archive: snapshot files plus a hash-chained, optionally signed ledger.

Layout of an archive directory:
- `live_audit_<seq>_<YYYYmmddTHHMMSSZ>.json` and `.md`: the snapshot in both forms;
- `ledger.jsonl`: one entry per archived snapshot, each line the exact RFC 8785 form of
  `{seq, timestamp_utc, environment_id, files {name: sha256}, prev_entry_sha256,
  entry_sha256[, signature]}`; `entry_sha256` hashes the entry without itself and the signature;
  the signature (Ed25519) signs the 32 bytes of `entry_sha256`;
- `.lock`: taken (flock) while an entry is appended, so concurrent runs cannot interleave.

`verify` recomputes every file hash and the whole chain and reports each problem with its place.
Truncating the newest entries together with their files leaves a valid shorter chain; only a
head recorded elsewhere (`verify --head SEQ:SHA256`) can reveal that.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from typing import Any, Final

import msgspec

from peak_trade.errors import ArchiveError, TamperError, UsageError
from peak_trade.live.audit import LiveAuditSnapshot, live_audit_snapshot_from_json
from peak_trade.outputs import write_atomic

LEDGER: Final = "ledger.jsonl"
LOCK: Final = ".lock"
FILE_NAME: Final = re.compile(r"^live_audit_(?P<seq>\d{6,})_(?P<stamp>\d{8}T\d{6}Z)\.(?:json|md)$")
_HEX64: Final = re.compile(r"^[0-9a-f]{64}$")
_REF: Final = re.compile(r"^(?:latest(?:~(?P<back>\d+))?|(?P<seq>\d+))$")

# msgspec reports invalid UTF-8 as UnicodeDecodeError, not as a DecodeError
DECODE_ERRORS: Final = (msgspec.DecodeError, UnicodeDecodeError)

Signer = Callable[[str], str]
SignatureCheck = Callable[[str, str], bool]


class LedgerEntry(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    seq: int
    timestamp_utc: str
    environment_id: str
    files: dict[str, str]
    prev_entry_sha256: str | None
    entry_sha256: str
    signature: str | None = None

    def body(self) -> dict[str, object]:
        """The hashed part: everything but `entry_sha256` and `signature`."""
        return {
            "seq": self.seq,
            "timestamp_utc": self.timestamp_utc,
            "environment_id": self.environment_id,
            "files": dict(self.files),
            "prev_entry_sha256": self.prev_entry_sha256,
        }

    def computed_sha256(self) -> str:
        return hashlib.sha256(_canonical(self.body())).hexdigest()

    def line(self) -> bytes:
        """The ledger line: the RFC 8785 form of the whole entry, then a newline."""
        full = {**self.body(), "entry_sha256": self.entry_sha256}
        if self.signature is not None:
            full["signature"] = self.signature
        return _canonical(full) + b"\n"


class Problem(msgspec.Struct, frozen=True):
    where: str
    message: str


class VerifyReport(msgspec.Struct, frozen=True, kw_only=True):
    archive_dir: str
    entries: int
    head_seq: int | None
    head_entry_sha256: str | None
    signatures_checked: bool
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _canonical(value: Any) -> bytes:
    import rfc8785

    return rfc8785.dumps(value)


def sha256_file(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def compact_stamp(timestamp_utc: str) -> str:
    """`2025-12-07T12:00:00+00:00` -> `20251207T120000Z` (for file names)."""
    digits = re.sub(r"[^0-9]", "", timestamp_utc)
    if len(digits) < 14:
        raise ArchiveError(f"timestamp {timestamp_utc!r} is not an ISO date and time")
    return f"{digits[:8]}T{digits[8:14]}Z"


# --------------------------------------------------------------------------- writing


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
        return msgspec.json.decode(last, type=LedgerEntry, strict=True)
    except DECODE_ERRORS:
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


def planned_names(seq: int, timestamp_utc: str) -> tuple[str, str]:
    stem = f"live_audit_{seq:06d}_{compact_stamp(timestamp_utc)}"
    return f"{stem}.json", f"{stem}.md"


def append_entry(
    archive_dir: str,
    *,
    timestamp_utc: str,
    environment_id: str,
    json_text: str,
    markdown_text: str,
    signer: Signer | None = None,
) -> LedgerEntry:
    """Write one snapshot (JSON and Markdown) and append its ledger entry, under the lock.

    Files are written first (atomically,
    never replacing anything); the entry is appended last with one write and an fsync. A crash
    in between leaves files that no entry records, which `verify` reports.
    """
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


# --------------------------------------------------------------------------- reading


def read_ledger(archive_dir: str) -> list[LedgerEntry]:
    """Every entry, for commands that trust the archive (history, diff). Damage is an error."""
    if not os.path.isdir(archive_dir):
        raise ArchiveError(f"{archive_dir}: archive directory does not exist")
    path = os.path.join(archive_dir, LEDGER)
    try:
        with open(path, "rb") as handle:
            lines = split_lines(handle.read())
    except FileNotFoundError:
        raise ArchiveError(f"{path}: no ledger (nothing archived yet?)") from None
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot read ({exc.strerror})") from None
    entries = []
    for number, line in enumerate(lines, 1):
        try:
            entries.append(msgspec.json.decode(line, type=LedgerEntry, strict=True))
        except DECODE_ERRORS:
            raise ArchiveError(
                f"{path}:{number}: not a ledger entry; run 'peak-trade audit verify'"
            ) from None
    return entries


def load_snapshot(ref: str, archive_dir: str) -> tuple[LiveAuditSnapshot, str]:
    """A snapshot from a JSON file, or from the archive by reference; and a label for it."""
    path, label = ref, ref
    if not os.path.isfile(ref):
        resolved = resolve_ref(ref, archive_dir)
        if resolved is None:
            raise UsageError(f"{ref}: no such snapshot file or archive reference")
        path, entry = resolved
        label = f"{ref} = {path} (seq {entry.seq}, {entry.timestamp_utc})"
    try:
        with open(path, "rb") as handle:
            return live_audit_snapshot_from_json(handle.read(64 * 1024 * 1024)), label
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot read ({exc.strerror})") from None
    except ValueError:  # msgspec's DecodeError and UnicodeDecodeError are ValueErrors
        raise ArchiveError(f"{path}: not a JSON audit snapshot of this schema") from None


def resolve_ref(ref: str, archive_dir: str) -> tuple[str, LedgerEntry] | None:
    """`latest`, `latest~N` or a sequence number -> (JSON path, entry); None if not a ref.

    The file is checked against its ledger hash: a changed snapshot is not compared silently.
    """
    match = _REF.match(ref)
    if match is None:
        return None
    entries = read_ledger(archive_dir)
    if not entries:
        raise ArchiveError(f"{archive_dir}: the ledger has no entries")
    if match["seq"] is not None:
        found = [e for e in entries if e.seq == int(match["seq"])]
        if not found:
            raise ArchiveError(f"{ref}: no archived snapshot with that sequence number")
        entry = found[0]
    else:
        back = int(match["back"] or 0)
        if back >= len(entries):
            raise ArchiveError(f"{ref}: the archive holds only {len(entries)} snapshot(s)")
        entry = entries[-1 - back]
    json_names = [name for name in entry.files if name.endswith(".json")]
    if len(json_names) != 1 or not FILE_NAME.match(json_names[0]):
        raise ArchiveError(f"{ref}: ledger entry {entry.seq} records no JSON snapshot")
    path = os.path.join(archive_dir, json_names[0])
    try:
        actual = sha256_file(path)
    except OSError:
        raise TamperError(f"{ref}: {path} is missing") from None
    if actual != entry.files[json_names[0]]:
        raise TamperError(f"{ref}: {path} differs from its ledger hash (run verify)")
    return path, entry


# --------------------------------------------------------------------------- verifying


def verify_archive(
    archive_dir: str,
    *,
    signature_check: SignatureCheck | None = None,
    expected_head: tuple[int, str] | None = None,
) -> VerifyReport:
    """Check every file hash, the hash chain, the canonical form and (given a key) signatures."""
    if not os.path.isdir(archive_dir):
        raise ArchiveError(f"{archive_dir}: archive directory does not exist")
    problems: list[Problem] = []
    ledger_path = os.path.join(archive_dir, LEDGER)
    try:
        with open(ledger_path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        data = None
        problems.append(Problem(LEDGER, "ledger is missing"))
    except OSError as exc:
        raise ArchiveError(f"{ledger_path}: cannot read ({exc.strerror})") from None

    recorded: dict[str, int] = {}
    previous: LedgerEntry | None = None
    count = 0
    head_found = False
    if data is not None:
        if not data:
            problems.append(Problem(LEDGER, "ledger has no entries"))
        elif not data.endswith(b"\n"):
            last_line = data.count(b"\n") + 1
            problems.append(Problem(f"{LEDGER}:{last_line}", "last line is incomplete"))
        for number, line in enumerate(split_lines(data), 1):
            count = number
            where = f"{LEDGER}:{number}"
            entry = _decode_line(line, where, problems)
            if entry is None:
                previous = None
                continue
            head_found = head_found or (entry.seq, entry.entry_sha256) == expected_head
            _check_entry(
                entry,
                number,
                line,
                previous,
                archive_dir,
                recorded,
                where,
                problems,
                signature_check,
            )
            previous = entry

    try:
        names = sorted(os.listdir(archive_dir))
    except OSError as exc:
        raise ArchiveError(f"{archive_dir}: cannot list ({exc.strerror})") from None
    for name in names:
        if name in (LEDGER, LOCK) or name in recorded:
            continue
        kind = "directory" if os.path.isdir(os.path.join(archive_dir, name)) else "file"
        problems.append(Problem(name, f"{kind} not recorded in the ledger"))

    head = previous
    if expected_head is not None and not head_found:
        seq, digest = expected_head
        problems.append(
            Problem(LEDGER, f"expected head {seq}:{digest} is not in the chain (truncated?)")
        )
    return VerifyReport(
        archive_dir=archive_dir,
        entries=count,
        head_seq=head.seq if head else None,
        head_entry_sha256=head.entry_sha256 if head else None,
        signatures_checked=signature_check is not None,
        problems=tuple(problems),
    )


def split_lines(data: bytes) -> list[bytes]:
    """Lines ending in b"\\n" (kept); the last may lack it. Only b"\\n" ends a ledger line."""
    lines = [line + b"\n" for line in data.split(b"\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def _decode_line(line: bytes, where: str, problems: list[Problem]) -> LedgerEntry | None:
    try:
        return msgspec.json.decode(line, type=LedgerEntry, strict=True)
    except msgspec.ValidationError as exc:
        problems.append(Problem(where, f"not a ledger entry ({_short(exc)})"))
    except DECODE_ERRORS:
        problems.append(Problem(where, "not valid JSON (changed or torn line)"))
    return None


def _short(exc: Exception) -> str:
    return str(exc).replace("`", "").replace("$.", "")


def _check_entry(
    entry: LedgerEntry,
    number: int,
    line: bytes,
    previous: LedgerEntry | None,
    archive_dir: str,
    recorded: dict[str, int],
    where: str,
    problems: list[Problem],
    signature_check: SignatureCheck | None,
) -> None:
    if entry.line() != line:
        problems.append(Problem(where, "line is not in canonical form (edited?)"))
    if not _HEX64.match(entry.entry_sha256) or entry.computed_sha256() != entry.entry_sha256:
        problems.append(Problem(where, "entry_sha256 does not match the entry (entry changed)"))
    if entry.seq != number:
        problems.append(
            Problem(where, f"seq {entry.seq} where {number} belongs (deleted, inserted or moved)")
        )
    if number == 1:
        if entry.prev_entry_sha256 is not None:
            problems.append(Problem(where, "first entry names a previous entry"))
    elif previous is not None and entry.prev_entry_sha256 != previous.entry_sha256:
        problems.append(
            Problem(where, f"prev_entry_sha256 does not match line {number - 1} (chain broken)")
        )
    if signature_check is not None:
        if entry.signature is None:
            problems.append(Problem(where, "entry is not signed"))
        elif not signature_check(entry.entry_sha256, entry.signature):
            problems.append(Problem(where, "signature does not verify with the public key"))
    for name, digest in entry.files.items():
        if not FILE_NAME.match(name):
            problems.append(Problem(where, f"records {name!r}, which is not an archive file name"))
            continue
        if name in recorded:
            problems.append(Problem(where, f"{name} is already recorded by line {recorded[name]}"))
            continue
        recorded[name] = number
        try:
            actual = sha256_file(os.path.join(archive_dir, name))
        except FileNotFoundError:
            problems.append(Problem(name, f"missing (recorded by {where})"))
            continue
        except OSError as exc:
            problems.append(Problem(name, f"unreadable ({exc.strerror})"))
            continue
        if actual != digest:
            problems.append(Problem(name, f"content differs from the hash recorded by {where}"))
