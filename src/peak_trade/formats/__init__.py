"""Output formats behind one mapping, which the command line reads.

Snapshot formats (`SNAPSHOT_FORMATS`): one module each under `formats/`, every one a pure
`render(snapshot) -> str`. The CLI derives from this tuple `audit export`'s `--format` choices
(the formats that can go to stdout), one `--output-<name>` flag per format, and which modules to
import before the read-only guard is armed. Adding a format: write `formats/<name>.py` with
`render` and add one `SnapshotFormat` entry below; no CLI edit.

Findings formats (`FINDINGS_FORMATS`): what `--format` of check, fleet, history, verify, diff,
status and drills accepts. The built-in `text` and `json` are rendered by each command's view
(`views/`); any other is a module under `formats/` exposing `render_<report>(...)` for the reports
it names (`check`: a `live.findings.CheckReport`, the violations and absent controls placed
in their files; `fleet`: the report; `history`: the rows). Adding one: write the module and add
one `FindingsFormat` entry; no CLI edit.

Importing this module is cheap (no msgspec, no enum or named-tuple class to create): the parser
reads it on every run that takes --format.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from peak_trade.formats.names import OutputFormat
    from peak_trade.live.snapshot import LiveAuditSnapshot

__all__ = [
    "FINDINGS_FORMATS",
    "SNAPSHOT_FORMATS",
    "FindingsFormat",
    "OutputFormat",
    "SnapshotFormat",
    "render",
]


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


class FindingsFormat:
    """One `--format` of the commands that report findings: its name, the older names still
    accepted for it, and (for a format that is not built in) its module and the reports it
    renders. A plain class with slots: created on every run."""

    __slots__ = ("aliases", "module", "name", "reports")

    def __init__(
        self,
        name: str,
        aliases: tuple[str, ...] = (),
        *,
        module: str | None = None,
        reports: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.aliases = aliases
        self.module = module  #: under `peak_trade.`, exposing `render_<report>`; None: built in
        self.reports = reports  #: what it renders; a built-in format renders every report

    def serves(self, report: str) -> bool:
        return self.module is None or report in self.reports


#: every findings format; the first is the default
FINDINGS_FORMATS: Final = (
    FindingsFormat("text", ("table",)),
    FindingsFormat("json"),
    FindingsFormat("sarif", module="formats.sarif", reports=("check", "fleet")),
)


def findings_formats(report: str) -> tuple[FindingsFormat, ...]:
    """The findings formats one report (a command's output) can be written in."""
    return tuple(f for f in FINDINGS_FORMATS if f.serves(report))


def findings_format(value: str, report: str = "") -> str | None:
    """The findings format `value` names for that report (an alias resolved), or None."""
    for fmt in FINDINGS_FORMATS if not report else findings_formats(report):
        if value == fmt.name or value in fmt.aliases:
            return fmt.name
    return None


def plugged_findings(name: str) -> FindingsFormat | None:
    """The findings format of that name when a module of its own renders it (not built in)."""
    return next((f for f in FINDINGS_FORMATS if f.name == name and f.module), None)


def render_findings(name: str, report: str, *values: object) -> str:
    """A report in a findings format that a module of its own renders."""
    fmt = plugged_findings(name)
    if fmt is None or fmt.module is None or report not in fmt.reports:
        raise ValueError(f"format {name!r} does not render {report}")
    module = f"peak_trade.{fmt.module}"
    __import__(module)
    text: str = getattr(sys.modules[module], f"render_{report}")(*values)
    return text


def format_argument(report: str) -> dict[str, object]:
    """`add_argument("--format", ...)` keywords for one report: its choices, aliases and help."""
    formats = findings_formats(report)
    default = formats[0].name
    aliases = "".join(f"; {a!r} is accepted for {f.name}" for f in formats for a in f.aliases)

    def parse(value: str) -> str:
        import argparse

        if (name := findings_format(value, report)) is None:
            choices = ", ".join(f.name for f in formats)
            raise argparse.ArgumentTypeError(f"invalid choice: {value!r} (choose from {choices})")
        return name

    return {
        "type": parse,
        "default": default,
        "metavar": "{" + ",".join(f.name for f in formats) + "}",
        "help": f"output format (default: {default}{aliases})",
    }


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
