"""Output formats behind one mapping, which the command line reads.

Snapshot formats (`SNAPSHOT_FORMATS`): one module each under `formats/`, every one a pure
`render(snapshot) -> str`. The CLI derives from this tuple `audit export`'s `--format` choices
(the formats that can go to stdout), one `--output-<name>` flag per format, and which modules to
import before the read-only guard is armed. Adding a format: write `formats/<name>.py` with
`render` and add one `SnapshotFormat` entry below; no CLI edit.

Findings formats (`FINDINGS_FORMATS`): what `--format` of check, fleet, history, verify, diff,
status and drills accepts; each command's view (`views/`) renders it.

Importing this module is cheap (no msgspec): the parser reads it on every run.
"""

from __future__ import annotations

import importlib
from enum import StrEnum
from typing import TYPE_CHECKING, Final, NamedTuple

if TYPE_CHECKING:
    from peak_trade.live.snapshot import LiveAuditSnapshot


class SnapshotFormat(NamedTuple):
    """One snapshot format: its name (`--format NAME`, `--output-NAME`) and where it lives."""

    name: str
    module: str  #: under `peak_trade.`, exposing `render(snapshot) -> str`
    suffix: str  #: of a file in this format
    output_help: str  #: the help of `--output-NAME`
    stdout: bool = True  #: whether `audit export --stdout --format NAME` may print it

    @property
    def flag(self) -> str:
        return f"--output-{self.name}"

    def render(self, snapshot: LiveAuditSnapshot) -> str:
        renderer = importlib.import_module(f"peak_trade.{self.module}")
        text: str = renderer.render(snapshot)
        return text


#: every snapshot format; the `--output-NAME` flags appear in this order
SNAPSHOT_FORMATS: Final = (
    SnapshotFormat("json", "formats.json", ".json", "write the snapshot as JSON"),
    SnapshotFormat("markdown", "formats.markdown", ".md", "write the report as Markdown"),
)
#: what `audit export` prints on stdout when no `--format` is given (DESIGN §6)
DEFAULT_SNAPSHOT_FORMAT: Final = "markdown"


class FindingsFormat(NamedTuple):
    name: str
    aliases: tuple[str, ...] = ()  #: older names still accepted


#: every `--format` of the commands that report findings; the first is the default
FINDINGS_FORMATS: Final = (FindingsFormat("text", aliases=("table",)), FindingsFormat("json"))


class OutputFormat(StrEnum):
    """The built-in snapshot formats, by name, for code that picks one (the archive stores both).

    `render` takes any name in `SNAPSHOT_FORMATS`, so a new format needs no member here.
    """

    MARKDOWN = "markdown"
    JSON = "json"


def snapshot_format(name: str) -> SnapshotFormat:
    for fmt in SNAPSHOT_FORMATS:
        if fmt.name == name:
            return fmt
    raise ValueError(f"unknown snapshot format: {name!r}")


def stdout_formats() -> list[str]:
    """`audit export --format` choices: the default first, then the registry's order."""
    names = [f.name for f in SNAPSHOT_FORMATS if f.stdout]
    return sorted(names, key=lambda name: name != DEFAULT_SNAPSHOT_FORMAT)


def render(snapshot: LiveAuditSnapshot, fmt: str) -> str:
    """The snapshot in the format named `fmt` (an `OutputFormat` or any registered name)."""
    return snapshot_format(fmt).render(snapshot)
