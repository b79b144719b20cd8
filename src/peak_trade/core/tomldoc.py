"""A TOML file's bytes parsed once per load, though two dialects read them. Pure.

Detection asks NautilusTrader's rule whether a TOML file is a Rust `LiveNodeConfig`
(`dialects.nautilus.detect`), which needs the parsed document; the dialect that then claims
the file decodes the same bytes. Parsing is about a third of auditing a small config, so
the second parse of the same bytes object returns the first one's document.

The memo has one slot and matches the bytes object itself (`is`), never equal content: two
files with the same text are two loads and two parses (and `audit fleet`'s cost per config
is not flattered by a fleet of copies). The document returned is shared, so callers treat
it as read-only (both do: Peak_Trade's merge copies the tables it changes). A failed parse
is not remembered: each caller turns the error into its own message.
"""

from __future__ import annotations

from typing import Any

_last: tuple[bytes, dict[str, Any]] | None = None


def parse(raw: bytes) -> dict[str, Any]:
    """`tomllib.loads` of UTF-8 `raw`, shared with the previous call for the same object.

    Raises what decoding and tomllib raise: `UnicodeDecodeError`, `tomllib.TOMLDecodeError`,
    `RecursionError` (too deep) and `ValueError` (an integer past Python's int-str limit).
    """
    global _last
    if _last is not None and _last[0] is raw:
        return _last[1]
    import tomllib

    document = tomllib.loads(raw.decode("utf-8"))
    _last = (raw, document)
    return document
