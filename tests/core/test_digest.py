"""The OpenSSL-free digest helpers agree with hashlib and hmac."""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import given
from hypothesis import strategies as st

from peak_trade.core.digest import equal_in_constant_time, sha256_hex


@given(st.binary(max_size=2048))
def test_sha256_matches_hashlib(data: bytes) -> None:
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_sha256_known_answer() -> None:
    assert sha256_hex(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


@given(
    st.text(alphabet="0123456789abcdef", max_size=64),
    st.text(alphabet="0123456789abcdef", max_size=64),
)
def test_comparison_matches_hmac(a: str, b: str) -> None:
    assert equal_in_constant_time(a, b) is hmac.compare_digest(a, b)
    assert equal_in_constant_time(a, a) is True
