"""The ledger format (pure): an entry, its canonical line, its hash, and the line parser.

This module is the only place that turns ledger bytes into entries and entries into bytes.
`tests/test_known_answers.py` pins the line and the hash with literal bytes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import IO, Annotated, Any, Final

import msgspec

from peak_trade.errors import ArchiveError

LEDGER: Final = "ledger.jsonl"
LOCK: Final = ".lock"
#: the recovery marker: the names an append is about to write, present only until it commits
PENDING: Final = ".pending"
FILE_NAME: Final = re.compile(r"^live_audit_(?P<seq>\d{6,})_(?P<stamp>\d{8}T\d{6}Z)\.(?:json|md)$")
_NAME_IN_TEXT: Final = re.compile(rb"live_audit_\d{6,}_\d{8}T\d{6}Z\.(?:json|md)")
#: the one temporary name an append writes a snapshot file under (it holds the lock)
TEMP_SUFFIX: Final = ".tmp-pending"
HEX64: Final = re.compile(r"^[0-9a-f]{64}$")
#: an Ed25519 signature as the ledger stores it: 64 bytes, lower-case hex only
SIGNATURE_HEX: Final = re.compile(r"[0-9a-f]{128}")

# msgspec reports invalid UTF-8 as UnicodeDecodeError, not as a DecodeError
DECODE_ERRORS: Final = (msgspec.DecodeError, UnicodeDecodeError)


#: sequence numbers stay exact in every JSON reader and in RFC 8785: 1 .. 2**53 - 1
Seq = Annotated[int, msgspec.Meta(ge=1, le=2**53 - 1)]


class LedgerEntry(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    seq: Seq
    timestamp_utc: str
    environment_id: str
    files: dict[str, str]
    prev_entry_sha256: str | None
    entry_sha256: str
    signature: str | None = None
    adopted: bool | None = None  # true: exported earlier and brought in by `archive --adopt`

    def body(self) -> dict[str, object]:
        """The hashed part: everything but `entry_sha256` and `signature`. `adopted` is in it
        only when true, so entries written before it existed hash as they always did."""
        body: dict[str, object] = {
            "seq": self.seq,
            "timestamp_utc": self.timestamp_utc,
            "environment_id": self.environment_id,
            "files": dict(self.files),
            "prev_entry_sha256": self.prev_entry_sha256,
        }
        if self.adopted is True:
            body["adopted"] = True
        return body

    def computed_sha256(self) -> str:
        return hashlib.sha256(canonical_entry(self.body())).hexdigest()

    def line(self, *, decoded: bool = False) -> bytes:
        """The ledger line: the RFC 8785 form of the whole entry, then a newline.

        `decoded`: the entry came from `decode_entry`, whose strict typed decode guarantees
        the types `canonical_entry` would otherwise check (verify calls this once per line).
        """
        full = {**self.body(), "entry_sha256": self.entry_sha256}
        if self.signature is not None:
            full["signature"] = self.signature
        return canonical_entry(full, plain=decoded) + b"\n"


def body_bytes_of_canonical_line(line: bytes, entry: LedgerEntry) -> bytes:
    """The canonical bytes of `entry.body()`, cut from `line`, which must already be known to be
    `entry.line()`: RFC 8785 sorts keys and adds no whitespace, so removing the
    `entry_sha256` and `signature` members leaves the canonical form of the rest. One RFC 8785
    pass per entry instead of two (`verify`)."""
    text = line.rstrip(b"\n")
    text = text.replace(b'"entry_sha256":"' + entry.entry_sha256.encode() + b'",', b"", 1)
    if entry.signature is not None:
        text = text.replace(b',"signature":"' + entry.signature.encode() + b'"', b"", 1)
    return text


def canonical(value: Any) -> bytes:
    import rfc8785  # lazy: only archive commands need it

    return rfc8785.dumps(value)


_EXACT_INT: Final = 2**53 - 1  # RFC 8785 (I-JSON) refuses integers beyond this


def canonical_entry(full: dict[str, object], *, plain: bool = False) -> bytes:
    """`canonical(full)` for an entry's dict (`body()`, or the whole line's members), fast.

    msgspec's sorted compact encoding is byte-identical to RFC 8785 when its output is ASCII
    without a backslash and every value is a string, a bool, None, an exact integer or a dict
    of strings: no string then needs an escape (both escape `"`, `\\` and control characters
    with a backslash), ASCII keys sort the same by code point as by UTF-16 unit, and such
    integers print alike. Anything else (non-ASCII, an escape, another type) takes RFC 8785.
    `tests/archive/test_ledger_speed.py` checks the two agree; the known answers pin the bytes.
    """
    if plain or _plain(full):
        out = msgspec.json.encode(full, order="sorted")
        if out.isascii() and b"\\" not in out:
            return out
    return canonical(full)


def _plain(full: dict[str, object]) -> bool:
    for value in full.values():
        if value is None or isinstance(value, str | bool):
            continue
        if isinstance(value, int):
            if type(value) is not int or not -_EXACT_INT <= value <= _EXACT_INT:
                return False
            continue
        if isinstance(value, dict):
            if not all(type(k) is str and type(v) is str for k, v in value.items()):
                return False
            continue
        return False
    return True


def decode_entry(line: bytes) -> LedgerEntry:
    """One ledger line -> entry. Raises msgspec.ValidationError or one of `DECODE_ERRORS`."""
    return msgspec.json.decode(line, type=LedgerEntry, strict=True)


def iter_lines(handle: IO[bytes]) -> Iterator[bytes]:
    """The ledger's lines, one at a time (memory does not grow with the ledger).

    Each line keeps its b"\\n"; the last may lack it (a torn line). Only b"\\n" ends a line.
    """
    yield from handle


def split_lines(data: bytes) -> list[bytes]:
    """Lines of an in-memory ledger, as `iter_lines` yields them."""
    lines = [line + b"\n" for line in data.split(b"\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def planned_names(seq: int, timestamp_utc: str) -> tuple[str, str]:
    stem = f"live_audit_{seq:06d}_{compact_stamp(timestamp_utc)}"
    return f"{stem}.json", f"{stem}.md"


def compact_stamp(timestamp_utc: str) -> str:
    """`2025-12-07T12:00:00+00:00` -> `20251207T120000Z` (for file names)."""
    digits = re.sub(r"[^0-9]", "", timestamp_utc)
    if len(digits) < 14:
        raise ArchiveError(f"timestamp {timestamp_utc!r} is not an ISO date and time")
    return f"{digits[:8]}T{digits[8:14]}Z"


class Pending(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The recovery marker's content: the entry's seq and the snapshot files it writes."""

    seq: Seq
    files: tuple[str, ...]


def encode_pending(seq: int, names: tuple[str, ...]) -> bytes:
    return msgspec.json.encode(Pending(seq=seq, files=names)) + b"\n"


def decode_pending(data: bytes) -> Pending | None:
    """The marker's content, or None when it is torn or not a marker (then no file was written
    yet: the marker is made durable before the first snapshot file is created)."""
    try:
        pending = msgspec.json.decode(data, type=Pending, strict=True)
    except (msgspec.ValidationError, *DECODE_ERRORS):
        return None
    return pending


def seq_of(name: str) -> int | None:
    """The sequence number in an archive file name, or None for any other name."""
    match = FILE_NAME.fullmatch(name)
    return int(match["seq"]) if match else None


def names_in_torn_line(line: bytes) -> set[str]:
    """Archive file names that appear whole in the text of a torn (unparsable) ledger line."""
    return {m.decode() for m in _NAME_IN_TEXT.findall(line)}


def temp_name(name: str) -> str:
    """The temporary name an append writes `name` under (`.NAME.tmp-pending`)."""
    return f".{name}{TEMP_SUFFIX}"
