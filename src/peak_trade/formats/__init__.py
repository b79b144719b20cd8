"""Output formats behind one mapping, which the command line reads.

Snapshot formats (`SNAPSHOT_FORMATS`): one module each under `formats/`, every one a pure
`render(snapshot) -> str`. The CLI derives from this tuple `audit export`'s `--format` choices
(the formats that can go to stdout), one `--output-<name>` flag per format, and which modules to
import before the read-only guard is armed. Adding a format: write `formats/<name>.py` with
`render` and add one `SnapshotFormat` entry below; no CLI edit.

Findings formats (`FINDINGS_FORMATS`): what `--format` of check, fleet, history, verify, diff,
status and drills accepts; each command's view (`views/`) renders it.

Importing this module is cheap (no msgspec, no enum or named-tuple class to create): the parser
reads it on every run that takes --format.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from peak_trade.formats.names import OutputFormat
    from peak_trade.live.snapshot import LiveAuditSnapshot

__all__ = ["FINDINGS_FORMATS", "SNAPSHOT_FORMATS", "OutputFormat", "SnapshotFormat", "render"]


class SnapshotFormat:
    """One snapshot format: its name (`--format NAME`, `--output-NAME`) and where it lives.

    A plain class with slots, not a NamedTuple or dataclass: it is created on every run.
    """

    __slots__ = ("module", "name", "output_help", "stdout", "suffix")

    def __init__(
        self, name: str, module: str, suffix: str, output_help: str, *, stdout: bool = True
    ) -> None:
        self.name = name
        self.module = module  #: under `peak_trade.`, exposing `render(snapshot) -> str`
        self.suffix = suffix  #: of a file in this format
        self.output_help = output_help  #: the help of `--output-NAME`
        self.stdout = stdout  #: whether `audit export --stdout --format NAME` may print it

    def __repr__(self) -> str:
        return f"SnapshotFormat({self.name!r}, {self.module!r}, {self.suffix!r}, ...)"

    @property
    def flag(self) -> str:
        return f"--output-{self.name}"

    def render(self, snapshot: LiveAuditSnapshot) -> str:
        __import__(f"peak_trade.{self.module}")
        text: str = sys.modules[f"peak_trade.{self.module}"].render(snapshot)
        return text


#: every snapshot format; the `--output-NAME` flags appear in this order
SNAPSHOT_FORMATS: Final = (
    SnapshotFormat("json", "formats.json", ".json", "write the snapshot as JSON"),
    SnapshotFormat("markdown", "formats.markdown", ".md", "write the report as Markdown"),
)
#: what `audit export` prints on stdout when no `--format` is given (DESIGN §6)
DEFAULT_SNAPSHOT_FORMAT: Final = "markdown"


#: every `--format` of the commands that report findings, each with the older names still
#: accepted for it; the first is the default
FINDINGS_FORMATS: Final[dict[str, tuple[str, ...]]] = {"text": ("table",), "json": ()}


def findings_format(value: str) -> str | None:
    """The findings format `value` names (an alias resolved), or None."""
    for name, aliases in FINDINGS_FORMATS.items():
        if value == name or value in aliases:
            return name
    return None


def __getattr__(name: str) -> type[OutputFormat]:
    """`OutputFormat` (the built-in names, `formats/names.py`), created on first use."""
    if name == "OutputFormat":
        from peak_trade.formats.names import OutputFormat

        return OutputFormat
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    """The snapshot in the format named `fmt` (an `OutputFormat` or any registered name); a new
    format needs no `OutputFormat` member."""
    return snapshot_format(fmt).render(snapshot)
