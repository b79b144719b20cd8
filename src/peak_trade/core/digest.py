"""SHA-256 and constant-time comparison without loading OpenSSL.

`hashlib` loads OpenSSL (`_hashlib`), about 3.5 ms of every `peak-trade` process on a small
machine, for two SHA-256 digests. CPython ships its own SHA-256 (`_sha2` from 3.12, `_sha256`
before; HACL*-verified from 3.12) and the constant-time comparison that `hmac.compare_digest`
itself falls back to (`_operator._compare_digest`). Where an interpreter lacks them, the public
modules are used. `tests/core/test_digest.py` checks both against `hashlib` and `hmac`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _builtin_sha256() -> Callable[[bytes], Any]:
    for name in ("_sha2", "_sha256"):  # CPython 3.12+, 3.11
        try:
            sha256: Callable[[bytes], Any] = __import__(name).sha256
        except (ImportError, AttributeError):
            continue
        return sha256
    import hashlib  # pragma: no cover - an interpreter without CPython's builtins

    return hashlib.sha256


def _builtin_compare() -> Callable[[bytes, bytes], bool]:
    try:
        compare: Callable[[bytes, bytes], bool] = __import__("_operator")._compare_digest
    except (ImportError, AttributeError):  # pragma: no cover
        import hmac

        return hmac.compare_digest
    return compare


_sha256 = _builtin_sha256()
_equal = _builtin_compare()


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of `data`, as 64 lower-case hex digits."""
    digest: str = _sha256(data).hexdigest()
    return digest


def equal_in_constant_time(a: str, b: str) -> bool:
    """`a == b` in time independent of where they differ (ASCII strings, as digests are)."""
    result: bool = _equal(a.encode("ascii", "replace"), b.encode("ascii", "replace"))
    return result
