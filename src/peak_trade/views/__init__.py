"""Command output views: values in, text out. One module per command family."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from peak_trade.core.text import printable


def to_json(value: object) -> str:
    """Indented JSON with a trailing newline, as every `--format json` prints it."""
    return msgspec.json.format(msgspec.json.encode(value), indent=2).decode() + "\n"


def cell(value: object) -> str:
    """One table cell: `str(value)` with every control character a visible escape, so that a
    config path, key or id cannot move the cursor, forge a row or reorder the line."""
    return printable(str(value))


def aligned(table: Sequence[Sequence[object]]) -> list[str]:
    """Rows as lines, every cell escaped (`cell`) and every column padded to its widest cell."""
    if not table:
        return []
    cells = [[cell(value) for value in row] for row in table]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
