"""Terminal-safe text: input-derived strings (key names, paths, ids) shown as visible escapes.

A config is untrusted input: a key named `"x\\x1b]0;PWNED\\x07"` would retitle the terminal, a
`\\r\\n` in a key would forge an output line and a U+202E would reorder what the reader sees.
`printable` turns every such character into a visible escape and leaves all other text (umlauts,
CJK, emoji) alone. Pure; imports nothing from the package.
"""

from __future__ import annotations

import functools
from typing import Final

#: Unicode characters that are not C0/C1 controls but still move or reorder text: line and
#: paragraph separators, the bidi embeddings, overrides and isolates, and the bidi marks
LAYOUT: Final = (
    0x061C,  # ARABIC LETTER MARK
    0x200E,  # LEFT-TO-RIGHT MARK
    0x200F,  # RIGHT-TO-LEFT MARK
    0x2028,  # LINE SEPARATOR
    0x2029,  # PARAGRAPH SEPARATOR
    *range(0x202A, 0x202F),  # LRE, RLE, PDF, LRO, RLO
    *range(0x2066, 0x206A),  # LRI, RLI, FSI, PDI
    0x0085,  # NEXT LINE (also C1; listed for the reader)
)


def _escape(code: int) -> str:
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


@functools.cache
def _table() -> dict[int, str]:
    """C0 controls, DEL, C1 controls, the layout characters above, and lone surrogates (from a
    JSON `"\\ud800"`: unencodable, so printing one would fail instead of showing it); made on
    first use (2,200 escapes: about a millisecond that a run printing only plain text never
    pays)."""
    return {
        code: _escape(code)
        for code in (*range(0x20), *range(0x7F, 0xA0), *LAYOUT, *range(0xD800, 0xE000))
    }


def printable(text: str) -> str:
    """`text` with every control, DEL, C1, bidi-control and line/paragraph-separator character
    written as a visible escape (`\\x1b`, `\\u202e`), and a lone surrogate as `\\udc80`. Normal
    text, including non-ASCII letters, is returned unchanged. The result is one line."""
    if text.isprintable():
        # fast path: every character in the table is in a category (Cc, Cf, Cs, Zl, Zp) that
        # str.isprintable rejects
        return text
    return text.translate(_table())
