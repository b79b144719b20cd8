"""JSON with comments and trailing commas, as freqtrade reads its configs (rapidjson's
PM_COMMENTS | PM_TRAILING_COMMAS), parsed strictly by msgspec.

`strip` removes `//` line comments, `/* */` block comments and commas before `}` or `]`, outside
strings, and keeps every other character (comments become spaces, newlines stay, so character
offsets and line numbers stay true). A comma is trailing only after a value: `[,]` and `[1,,]`
stay invalid. Chosen over a dependency: the grammar is small, this is fully tested, and it is
imported only for freqtrade configs.

One compiled pattern, possessive throughout (nothing backtracks), matches a run of text that
needs no change (strings included) and then one token that does: a run of comments, a comma that
may be trailing, or the start of an unterminated string or comment. The regex engine copies the
runs; Python code runs once per run of comments or comma before a closer, never once per
character, string or comment, so the cost is linear with a small constant. Plain JSON, the common
case, is decoded without stripping at all (it has no comment and no trailing comma: stripping
would change nothing).

`loads` also bounds the nesting (`peak_trade.files.MAX_NESTING`): msgspec's recursion limit and
every recursive walk downstream (merges, redaction) are never reached.
"""

from __future__ import annotations

import re
from typing import Any, Final

import msgspec

from peak_trade.files import MAX_NESTING, nesting_depth


class JsoncError(ValueError):
    """Not valid JSON-with-comments; the message names the byte offset, never a value."""


class JsoncTooDeep(JsoncError):
    """Valid JSON, perhaps, but nested beyond any config's shape."""


_STRING: Final = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
_LINE_COMMENT: Final = r"//[^\n]*+"
_BLOCK_COMMENT: Final = r"/\*[^*]*+\*++(?:[^/*][^*]*+\*++)*+/"
_GAP: Final = rf"(?:\s++|{_LINE_COMMENT}|{_BLOCK_COMMENT})*+"  # whitespace and comments
_CLOSER_NEXT: Final = rf"{_GAP}[\]}}]"
# what is kept as it is: anything but `"`, `/` and `,`; whole strings; a `/` that starts no
# comment; a comma that no `}` or `]` follows
_KEEP: Final = rf'(?:[^"/,]++|{_STRING}|/(?![/*])|,(?!{_CLOSER_NEXT}))*+'
_COMMENT: Final = rf"(?:{_LINE_COMMENT}|{_BLOCK_COMMENT})"
# comments with only spaces and newlines between them: blanked in one go (both stay as they are)
_COMMENTS: Final = rf"{_COMMENT}(?:[ \n]*+{_COMMENT})*+"
_TOKENS: Final = re.compile(
    rf'(?P<keep>{_KEEP})(?:(?P<comments>{_COMMENTS})|(?P<comma>,)|"|/\*|\Z)', re.DOTALL
)
_NOT_NEWLINE: Final = re.compile(r"[^\n]")
_NO_VALUE_BEFORE: Final = ("", "[", "{", ",")  # a comma after these is not a trailing comma


def strip(text: str) -> str:
    """Comments and trailing commas -> spaces; every other character kept, at its offset."""
    last = ""  # the last significant character before the current match

    def replace(match: re.Match[str]) -> str:
        nonlocal last
        keep = match["keep"]
        kept = keep.rstrip()  # str.isspace(): what the grammar skips between tokens
        if kept:
            last = kept[-1]
        comments = match["comments"]
        if comments is not None:
            if "\n" in comments:
                return keep + _NOT_NEWLINE.sub(" ", comments)
            return keep + " " * len(comments)
        if match["comma"] is not None:
            trailing = last not in _NO_VALUE_BEFORE
            last = ","
            return keep + (" " if trailing else ",")
        offset = match.end("keep")
        if offset == len(text):
            return keep
        if text[offset] == '"':
            raise JsoncError(f"unterminated string starting at offset {offset}")
        raise JsoncError(f"unterminated /* comment at offset {offset}")

    return _TOKENS.sub(replace, text)


def loads(raw: bytes) -> Any:
    """Bytes of JSON-with-comments -> Python data. Raises `JsoncError` (a `ValueError`)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsoncError(f"not valid UTF-8 (offset {exc.start})") from None
    too_deep = JsoncTooDeep(f"nested deeper than {MAX_NESTING} levels")
    try:
        try:  # plain JSON: stripping would change nothing
            data = msgspec.json.decode(raw)
        except msgspec.DecodeError:
            data = msgspec.json.decode(strip(text).encode("utf-8"))
    except msgspec.DecodeError as exc:
        # msgspec's message names the position ("... at byte 17"), not the input
        raise JsoncError(f"invalid JSON: {exc}") from None
    except RecursionError:  # msgspec counts its depth against the interpreter's limit
        raise too_deep from None
    if nesting_depth(data) > MAX_NESTING:
        raise too_deep
    return data
