"""Colour for verdict lines on a terminal: by safety, never by open/closed. Pure, no imports.

`--color auto` (the default) colours only a terminal, and honours `NO_COLOR` (off) and
`FORCE_COLOR` (on; https://no-color.org, https://force-color.org); `always` and `never` win over
both. Only the lines that state a verdict are coloured, and only their first word or two: every
other line (keys, remedies, paths from a config) stays plain text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

RED: Final = "\x1b[1;31m"
GREEN: Final = "\x1b[1;32m"
YELLOW: Final = "\x1b[1;33m"
RESET: Final = "\x1b[0m"

#: (line prefix, colour): the verdict words of check, drills, diff, verify, fleet and status
VERDICTS: Final = (
    ("OK:", GREEN),
    ("FAIL:", RED),
    ("TAMPERED:", RED),
    ("LESS SAFE:", RED),
    ("NOT LESS SAFE:", GREEN),
    ("NO CHANGE:", GREEN),
    ("FIRST SNAPSHOT:", GREEN),
    ("PASS ", GREEN),
    ("FAIL ", RED),
    ("Live execution BLOCKED", GREEN),  # blocked is the safe state
    ("LIVE EXECUTION ALLOWED", RED),
    ("REAL ORDERS CAN LEAVE", RED),
)


def enabled(choice: str, is_tty: bool, environ: Mapping[str, str]) -> bool:
    """Whether to colour: `always`, `never`, or (auto) a terminal without NO_COLOR, or any
    stream with FORCE_COLOR set to something other than empty or 0."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if environ.get("NO_COLOR"):
        return False
    force = environ.get("FORCE_COLOR")
    if force is not None and force not in ("", "0"):
        return True
    return is_tty and environ.get("TERM") != "dumb"


def paint(text: str) -> str:
    """`text` with the verdict word of each verdict line coloured."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        for prefix, colour in VERDICTS:
            if line.startswith(prefix):
                word = prefix.rstrip()
                lines[index] = f"{colour}{word}{RESET}{line[len(word) :]}"
                break
    return "\n".join(lines)
