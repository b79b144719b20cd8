"""JSON with comments and trailing commas, as freqtrade reads its configs (rapidjson's
PM_COMMENTS | PM_TRAILING_COMMAS), parsed strictly by msgspec.

`strip` removes `//` line comments, `/* */` block comments and commas before `}` or `]`, outside
strings, and keeps every other byte (comments become spaces, so error offsets stay true). Chosen
over a dependency: the grammar is small, this is fully tested, and it is imported only for
freqtrade configs.

`loads` also bounds the nesting (`peak_trade.files.MAX_NESTING`): msgspec's recursion limit and
every recursive walk downstream (merges, redaction) are never reached.
"""

from __future__ import annotations

from typing import Any

import msgspec

from peak_trade.files import MAX_NESTING, nesting_depth


class JsoncError(ValueError):
    """Not valid JSON-with-comments; the message names the byte offset, never a value."""


def strip(text: str) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    pending_comma: int | None = None  # index in `out` of a comma that may be trailing
    last = ""  # the last significant character kept
    while i < n:
        ch = text[i]
        if ch == '"':
            end = _string_end(text, i)
            out.append(text[i:end])
            pending_comma = None
            last = '"'
            i = end
        elif ch == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end == -1 else end
            out.append(" " * (end - i))
            i = end
        elif ch == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end == -1:
                raise JsoncError(f"unterminated /* comment at offset {i}")
            out.append("".join(c if c == "\n" else " " for c in text[i : end + 2]))
            i = end + 2
        elif ch == ",":
            # only a comma after a value can be trailing; "[,]" stays invalid
            pending_comma = len(out) if last not in ("", "[", "{", ",") else None
            out.append(ch)
            last = ch
            i += 1
        elif ch in "}]":
            if pending_comma is not None:
                out[pending_comma] = " "  # a trailing comma
            pending_comma = None
            out.append(ch)
            last = ch
            i += 1
        else:
            if not ch.isspace():
                pending_comma = None
                last = ch
            out.append(ch)
            i += 1
    return "".join(out)


def _string_end(text: str, start: int) -> int:
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return i + 1
        i += 1
    raise JsoncError(f"unterminated string starting at offset {start}")


def loads(raw: bytes) -> Any:
    """Bytes of JSON-with-comments -> Python data. Raises `JsoncError` (a `ValueError`)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsoncError(f"not valid UTF-8 (offset {exc.start})") from None
    too_deep = JsoncError(f"nested deeper than {MAX_NESTING} levels")
    try:
        data = msgspec.json.decode(strip(text).encode("utf-8"))
    except msgspec.DecodeError as exc:
        # msgspec's message names the position ("... at byte 17"), not the input
        raise JsoncError(f"invalid JSON: {exc}") from None
    except RecursionError:  # msgspec counts its depth against the interpreter's limit
        raise too_deep from None
    if nesting_depth(data) > MAX_NESTING:
        raise too_deep
    return data
