"""`Secret`: a value that never shows itself in repr, str, format, pickling or equality."""

from __future__ import annotations

from typing import NoReturn

from peak_trade.core.digest import equal_in_constant_time, sha256_hex


class Secret:
    """Holds a secret string. Its value is only reachable through `reveal()`.

    There is no `__eq__` beyond identity: compare with `matches_sha256` (constant time).
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("Secret holds a str")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def sha256_hex(self) -> str:
        return sha256_hex(self._value.encode("utf-8"))

    def matches_sha256(self, digest: Secret) -> bool:
        """Constant-time comparison of this value's SHA-256 with an expected hex digest."""
        return equal_in_constant_time(self.sha256_hex(), digest.reveal().lower())

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __format__(self, format_spec: str) -> str:
        return repr(self)

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret cannot be pickled")

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other
