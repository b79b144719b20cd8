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
FILE_NAME: Final = re.compile(r"^live_audit_(?P<seq>\d{6,})_(?P<stamp>\d{8}T\d{6}Z)\.(?:json|md)$")
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
        return hashlib.sha256(canonical(self.body())).hexdigest()

    def line(self) -> bytes:
        """The ledger line: the RFC 8785 form of the whole entry, then a newline."""
        full = {**self.body(), "entry_sha256": self.entry_sha256}
        if self.signature is not None:
            full["signature"] = self.signature
        return canonical(full) + b"\n"


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
