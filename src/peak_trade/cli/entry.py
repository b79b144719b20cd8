"""Command line: argument parsing, dispatch, the one exit-code map, error printing. No logic.

Exit codes everywhere: 0 ok, 1 a finding, 2 bad input or usage, 3 internal error.
Every error is one line on stderr; no traceback reaches a user. The help prose is in `help.py`,
the handlers in `commands.py`, the services they call in `peak_trade.app`.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, Final, NoReturn

import peak_trade.cli.commands as commands
import peak_trade.cli.help as texts
from peak_trade import __version__
from peak_trade._startup import help_formatter, import_msgspec_without_typing_extensions
from peak_trade.cli.commands import Outcome
from peak_trade.cli.usage import did_you_mean, misplaced_option
from peak_trade.core.words import DEFAULT_ARCHIVE_DIR
from peak_trade.errors import Finding, PeakTradeError, ReadOnlyViolation, UsageError

EXIT_OK, EXIT_FINDING, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # the shell's code for SIGINT
_ENV_ID = r"^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$"  # compiled on first use

Handler = Callable[[argparse.Namespace], Outcome]
#: what a command found, as its exit code (`main` maps the errors); a test covers every outcome
EXIT_CODES: Final = {
    Outcome.OK: EXIT_OK,
    Outcome.FINDING: EXIT_FINDING,
    Outcome.INVALID: EXIT_BAD_INPUT,  # fleet: a config is invalid (every row still reported)
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line (via `UsageError`), not usage + exit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", help_formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{did_you_mean(message)} (see '{self.prog} --help')")


def _environment_id(value: str) -> str:
    if not re.match(_ENV_ID, value):
        raise argparse.ArgumentTypeError(
            "must be 1-128 characters of letters, digits and ._:@+- starting with a letter or digit"
        )
    return value


def _jobs(value: str) -> int:
    if not (value.isdigit() and 1 <= int(value) <= 1024):
        raise argparse.ArgumentTypeError("must be a whole number from 1 to 1024")
    return int(value)


def _head(value: str) -> tuple[int, str]:
    seq, _, digest = value.partition(":")
    if not (seq.isdigit() and re.fullmatch(r"[0-9a-f]{64}", digest)):
        raise argparse.ArgumentTypeError("expected SEQ:SHA256 (as printed by verify)")
    return int(seq), digest


def _add_config(parser: argparse.ArgumentParser) -> None:
    from peak_trade.dialects import DIALECT_NAMES, DIALECTS, default_locations

    several = ", ".join(d.title for d in DIALECTS if d.several_files)

    parser.add_argument(
        "-c",
        "--config",
        metavar="PATH",
        action="append",
        help="config file (default: the first found of "
        + default_locations()
        + "; else the embedded safe default); repeat for "
        + several
        + " files, which merge",
    )
    parser.add_argument(
        "--dialect",
        choices=DIALECT_NAMES,
        help="which system the config belongs to (default: detected from its content)",
    )
    parser.add_argument(
        "--no-bounded-live",
        action="store_true",
        help="do not merge the bounded_live.toml beside the config",
    )


def _add_format(parser: argparse.ArgumentParser, report: str) -> None:
    from peak_trade.formats import format_argument

    parser.add_argument("--format", **format_argument(report))  # type: ignore[arg-type]


def _add_output(parser: argparse.ArgumentParser, *, force: bool = True) -> None:
    """`--output P` (the report into a file instead of stdout) and `--force`, as export's."""
    parser.add_argument(
        "--output",
        metavar="PATH",
        help="write the report to PATH instead of stdout (atomically; an existing file is"
        " replaced only with --force; never a file the command reads)",
    )
    if force:
        parser.add_argument("--force", action="store_true", help="replace an existing --output")


def _add_allow_default(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-default",
        action="store_true",
        help="judge the embedded default when no config is found (refused otherwise)",
    )


def _add_environment_id(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--environment-id", type=_environment_id, help="identifier (default: config file stem)"
    )


def _add_archive_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--archive-dir",
        default=DEFAULT_ARCHIVE_DIR,
        metavar="DIR",
        help=f"archive directory (default: {DEFAULT_ARCHIVE_DIR})",
    )


def _args_export(p: argparse.ArgumentParser) -> None:
    from peak_trade.formats import DEFAULT_SNAPSHOT_FORMAT, SNAPSHOT_FORMATS, stdout_formats

    _add_config(p)
    _add_environment_id(p)
    p.add_argument("--stdout", action="store_true", help="print the snapshot to stdout")
    p.add_argument(
        "--format",
        choices=stdout_formats(),
        default=None,
        help=f"format for stdout (default: {DEFAULT_SNAPSHOT_FORMAT}); with an --output-* flag"
        " it needs --stdout (each file's format is its flag's)",
    )
    for fmt in SNAPSHOT_FORMATS:
        p.add_argument(
            fmt.flag, dest=commands.output_dest(fmt), metavar="PATH", help=fmt.output_help
        )
    p.add_argument("--force", action="store_true", help="replace existing output files")


def _args_archive(p: argparse.ArgumentParser) -> None:
    _add_config(p)
    _add_allow_default(p)
    _add_archive_dir(p)
    _add_environment_id(p)
    p.add_argument("--sign-key", metavar="KEYFILE", help="Ed25519 private key (PEM)")
    p.add_argument(
        "--adopt",
        nargs="+",
        metavar="FILE",
        help="bring snapshot JSON files exported earlier (and their .md) into the chain",
    )


def _args_verify(p: argparse.ArgumentParser) -> None:
    _add_archive_dir(p)
    p.add_argument("--public-key", metavar="KEYFILE", help="Ed25519 public key (PEM)")
    p.add_argument(
        "--head",
        type=_head,
        metavar="SEQ:SHA256",
        help="fail unless this entry (recorded elsewhere) is still in the chain",
    )
    _add_format(p, "verify")
    _add_output(p)


def _args_diff(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    _add_archive_dir(p)
    _add_format(p, "diff")
    _add_output(p)


def _args_history(p: argparse.ArgumentParser) -> None:
    _add_archive_dir(p)
    p.add_argument(
        "--public-key",
        metavar="KEYFILE",
        help="Ed25519 public key (PEM): check each entry's signature (without: 'unchecked')",
    )
    _add_format(p, "history")
    _add_output(p)
    p.set_defaults(own_output=True)  # streams into --output itself


def _args_check(p: argparse.ArgumentParser) -> None:
    from peak_trade.live.controls import PROFILE_NAMES

    _add_config(p)
    _add_allow_default(p)
    p.add_argument(
        "--expect",
        choices=["blocked", "allowed"],
        default="blocked",
        help="blocked (default, the v1.0 guarantee) or allowed (a deliberate live release)",
    )
    p.add_argument(
        "--profile",
        choices=PROFILE_NAMES,
        help="also hold the config against a regulator's pre-trade controls; an absent control"
        " is a finding (docs/controls.md)",
    )
    _add_format(p, "check")
    _add_output(p)


def _args_fleet(p: argparse.ArgumentParser) -> None:
    p.add_argument("targets", nargs="+", metavar="DIR|GLOB|FILE")
    _add_format(p, "fleet")
    p.add_argument("--output-json", metavar="PATH", help="also write the report as JSON")
    p.add_argument(
        "--force", action="store_true", help="replace an existing --output-json or --output"
    )
    _add_output(p, force=False)
    p.add_argument(
        "--jobs",
        type=_jobs,
        metavar="N",
        help="worker processes (default: one per usable CPU from 64 configs on, else none;"
        " 1: every config in this process)",
    )


def _args_keygen(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, metavar="KEYFILE", help="private key path")
    p.add_argument("--force", action="store_true", help="replace existing key files")


def _args_status(p: argparse.ArgumentParser) -> None:
    _add_config(p)
    _add_format(p, "status")
    _add_output(p)


def _args_drills(p: argparse.ArgumentParser) -> None:
    _add_config(p)
    p.add_argument(
        "--scenario",
        action="append",
        metavar="ID",
        help="run only this drill: A, B, C, D, E, F or G (repeatable)",
    )
    _add_format(p, "drills")
    _add_output(p)


class _Command:
    """One command: its help, what adds its arguments, its handler. A plain class with slots,
    not a NamedTuple: a NamedTuple compiles source when it is created (its fields' annotations
    and its `__new__`), and the first compile of a process is `--help`'s dearest 2 ms."""

    __slots__ = ("arguments", "handler", "help")

    def __init__(
        self,
        help: texts.CommandHelp,
        arguments: Callable[[argparse.ArgumentParser], None],
        handler: Handler,
    ) -> None:
        self.help, self.arguments, self.handler = help, arguments, handler


AUDIT_COMMANDS: dict[str, _Command] = {
    "export": _Command(texts.AUDIT["export"], _args_export, commands.audit_export),
    "archive": _Command(texts.AUDIT["archive"], _args_archive, commands.audit_archive),
    "verify": _Command(texts.AUDIT["verify"], _args_verify, commands.audit_verify),
    "diff": _Command(texts.AUDIT["diff"], _args_diff, commands.audit_diff),
    "history": _Command(texts.AUDIT["history"], _args_history, commands.audit_history),
    "check": _Command(texts.AUDIT["check"], _args_check, commands.audit_check),
    "fleet": _Command(texts.AUDIT["fleet"], _args_fleet, commands.audit_fleet),
    "schema": _Command(texts.AUDIT["schema"], lambda _: None, commands.audit_schema),
    "keygen": _Command(texts.AUDIT["keygen"], _args_keygen, commands.audit_keygen),
}
TOP_COMMANDS: dict[str, _Command] = {
    "status": _Command(texts.TOP["status"], _args_status, commands.status),
    "drills": _Command(texts.TOP["drills"], _args_drills, commands.drills),
}


def _selected(argv: Sequence[str]) -> tuple[str | None, str | None]:
    """The command (and audit subcommand) argv names first: the top level and `audit` take no
    options but -h and --version, so argv[0] and argv[1] are the names."""
    words = [a for a in argv[:2] if not a.startswith("-")]
    command = words[0] if words else None
    sub = words[1] if command == "audit" and len(words) > 1 else None
    return command, sub


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser. Given an argv naming a known command, only that command's parser is built
    (the others cost ~4 ms of argparse set-up); given one naming none (`--help`, `--version`),
    the commands are listed without their options, so nothing heavy is imported."""
    command, sub = _selected(argv) if argv is not None else (None, None)
    parser = _Parser(
        prog="peak-trade", description=texts.PROG_DESCRIPTION, epilog=texts.PROG_EPILOG
    )
    parser.add_argument("-V", "--version", action="version", version=f"peak-trade {__version__}")
    top = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser, prog="peak-trade"
    )
    top.required = True
    audit = top.add_parser(
        "audit",
        help=texts.AUDIT_SUMMARY + ", ".join(AUDIT_COMMANDS),
        description=texts.AUDIT_DESCRIPTION,
    )
    audit_commands = audit.add_subparsers(
        dest="audit_command", metavar="SUBCOMMAND", prog="peak-trade audit"
    )
    audit_commands.required = True
    known = command in TOP_COMMANDS or (command == "audit" and sub in AUDIT_COMMANDS)
    names_none = argv is not None and not known
    for group, table, group_name in (
        (audit_commands, AUDIT_COMMANDS, "audit"),
        (top, TOP_COMMANDS, None),
    ):
        for name, spec in table.items():
            chosen = (group_name, name) in ((command, sub), (None, command))
            if known and not chosen:
                continue  # argparse looks up translations for every parser: ~0.3 ms each
            summary, description, epilog = spec.help
            sub_parser = group.add_parser(
                name, help=summary, description=description, epilog=epilog
            )
            if names_none:  # listed for --help, without options: `parse` parses again in full
                sub_parser.set_defaults(handler=None)
                continue
            spec.arguments(sub_parser)
            _add_common(sub_parser)
            sub_parser.set_defaults(handler=spec.handler)
    return parser


def _add_common(parser: argparse.ArgumentParser) -> None:
    """The options every command takes, as its neighbours (ruff, pip-audit) spell them."""
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the verdict: auto (a terminal, honouring NO_COLOR and FORCE_COLOR),"
        " always or never",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print nothing when the outcome is OK (the exit code says it), and no notes;"
        " a finding still prints in full",
    )


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """The lazily built parser answers --help, --version and every argv naming its command; the
    whole parser parses anything else again, so the laziness never changes a result."""
    try:
        args = build_parser(argv).parse_args(argv)
        if args.handler is not None:
            return args
    except UsageError:
        pass
    return build_parser().parse_args(argv)


def main(argv: Sequence[str] | None = None, *, name: str = "peak-trade") -> int:
    """Run one command; return its exit code. Never raises, never prints a traceback.
    `name` starts each error line (the seed's wrapper scripts name themselves)."""
    try:
        arguments = sys.argv[1:] if argv is None else list(argv)
        if not arguments:  # a bare `peak-trade`: the help, as a usage error
            build_parser([]).print_help()
            return EXIT_BAD_INPUT
        if (misplaced := misplaced_option(arguments, [*TOP_COMMANDS, "audit"])) is not None:
            raise UsageError(misplaced)
        handler: Handler = (args := parse(arguments)).handler
        import_msgspec_without_typing_extensions()  # before a command imports it
        # --quiet silences what a person reads; a machine format (json, sarif) always prints
        quiet = args.quiet and getattr(args, "format", None) in (None, "text", "table")
        own = getattr(args, "own_output", False)
        output = None if own else getattr(args, "output", None)
        with commands.output_options(
            color=args.color,
            quiet=quiet,
            output=output,
            force=getattr(args, "force", False),
            archive_dir=getattr(args, "archive_dir", None),
        ):
            return EXIT_CODES[commands.release(handler(args))]
    except SystemExit as exit_:  # --help and --version
        return exit_.code if isinstance(exit_.code, int) else EXIT_OK
    except Finding as finding:
        _error(str(finding), name)
        return EXIT_FINDING
    except ReadOnlyViolation as violation:
        _error(f"read-only violation: {violation}", name)
        return EXIT_INTERNAL
    except PeakTradeError as error:
        _error(str(error), name)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        _error("interrupted", name)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        commands.silence_stdout()
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into exit 3
        _error(f"internal error: {_where(exc)} (please report)", name)
        return EXIT_INTERNAL


def _error(message: str, name: str = "peak-trade") -> None:
    first_line = message.splitlines()[0] if message else "error"
    if sys.stderr is None:  # closed by the caller: the exit code still tells
        return
    try:
        print(f"{name}: {first_line}", file=sys.stderr)
    except (OSError, ValueError):
        pass


def _where(exc: BaseException) -> str:
    """Exception type and innermost location; the message is left out (it could quote input)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    place = f" at {os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}" if tb else ""
    return f"{type(exc).__name__}{place}"


def console_main() -> NoReturn:
    """Entry point of the `peak-trade` script: run, flush, and end the process.

    Ending with `os._exit` skips the interpreter's teardown of every module (about 4 ms, a
    quarter of a bare interpreter start on a small machine). Nothing is left to finalise:
    outputs were written, fsynced and closed by then, and the standard streams are flushed here.
    """
    code = main()
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        commands.silence_stdout()
    except (OSError, ValueError):
        _error("cannot write to standard output")
        code = code or EXIT_BAD_INPUT
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code)
