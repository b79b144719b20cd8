"""A TOML file's bytes parsed once per load, though two dialects read them. Pure.

Detection asks NautilusTrader's rule whether a TOML file is a Rust `LiveNodeConfig`
(`dialects.nautilus.detect`), which needs the parsed document; the dialect that then claims
the file decodes the same bytes. Parsing is about a third of auditing a small config, so
within one load (`one_load`, which `dialects.load` opens) the second parse of the same bytes
object returns the first one's document.

The memo has one slot and matches the bytes object itself (`is`, and only `bytes`, which
cannot change), never equal content: two files with the same text are two loads and two
parses (and `audit fleet`'s cost per config is not flattered by a fleet of copies). It is
emptied when the load ends, so no parsed document (a config holds secrets) outlives the load
that read it. A file read on the side (the kill switch beside a config) is parsed without
taking the slot (`remember=False`). The document returned is shared, so callers treat it as
read-only (all do: Peak_Trade's merge copies the tables it changes). A failed parse is not
remembered: each caller turns the error into its own message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_last: tuple[bytes, dict[str, Any]] | None = None
_loads = 0  # how many loads are open (a load may start another)


@contextmanager
def one_load() -> Iterator[None]:
    """While it is open, `parse` keeps the last document for the same bytes object."""
    global _last, _loads
    _loads += 1
    try:
        yield
    finally:
        _loads -= 1
        if not _loads:
            _last = None


def parse(raw: bytes, *, remember: bool = True) -> dict[str, Any]:
    """`tomllib.loads` of UTF-8 `raw`, shared with an earlier call for the same object in the
    same load.

    Raises what decoding and tomllib raise: `UnicodeDecodeError`, `tomllib.TOMLDecodeError`,
    `RecursionError` (too deep) and `ValueError` (an integer past Python's int-str limit).
    """
    global _last
    last = _last  # read once: the slot may be replaced between two reads
    if last is not None and last[0] is raw:
        return last[1]
    import tomllib

    document = tomllib.loads(raw.decode("utf-8"))
    if remember and _loads and type(raw) is bytes:
        _last = (raw, document)
    return document
