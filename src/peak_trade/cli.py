"""Command line: argument parsing, dispatch, exit codes. No decision logic lives here.

Exit codes everywhere: 0 ok, 1 a finding, 2 bad input or usage, 3 internal error.
Every error is one line on stderr; no traceback reaches a user.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

from peak_trade import __version__
from peak_trade.errors import Finding, PeakTradeError, ReadOnlyViolation, UsageError

EXIT_OK, EXIT_FINDING, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
_ENV_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$")

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line (via `UsageError`), not usage + exit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _help_formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _help_formatter(prog: str) -> argparse.HelpFormatter:
    # argparse builds a formatter for every add_argument; given a width it does not import
    # shutil (and bz2, lzma, fnmatch with it) to ask the terminal. ~3 ms per run.
    try:
        width = os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        width = 80
    return argparse.HelpFormatter(prog, width=max(width - 2, 40))


def _import_msgspec_without_typing_extensions() -> None:
    """Import msgspec for this CLI process without it importing typing_extensions (~10 ms).

    msgspec only uses typing_extensions to understand annotations written with it; this package
    writes none. The block lasts for msgspec's own import only: anything imported later gets
    the real typing_extensions. A process that imported either already is left as it is.
    """
    if "msgspec" in sys.modules or "typing_extensions" in sys.modules:
        return
    sys.modules["typing_extensions"] = None  # type: ignore[assignment]
    try:
        import msgspec  # noqa: F401
    finally:
        del sys.modules["typing_extensions"]


def _utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())


def _environment_id(value: str) -> str:
    if not _ENV_ID.match(value):
        raise argparse.ArgumentTypeError(
            "must be 1-128 characters of letters, digits and ._:@+- starting with a letter or digit"
        )
    return value


def _write_stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


# --------------------------------------------------------------------------- audit export


def _cmd_audit_export(args: argparse.Namespace) -> int:
    from peak_trade.core.config import DEFAULT_CONFIG_PATH, load_config
    from peak_trade.formats import OutputFormat, render
    from peak_trade.live.audit import audit_loaded_config
    from peak_trade.outputs import check_outputs, write_atomic
    from peak_trade.readonly import ReadOnlyGuard
    from peak_trade.versions import collect_versions

    files = [
        (path, fmt)
        for path, fmt in (
            (args.output_json, OutputFormat.JSON),
            (args.output_markdown, OutputFormat.MARKDOWN),
        )
        if path
    ]
    paths = [path for path, _ in files]
    config_path = args.config or DEFAULT_CONFIG_PATH
    check_outputs(paths, force=args.force, protected=[config_path])
    to_stdout = args.stdout or not files
    created: list[str] = []
    with ReadOnlyGuard(outputs=paths):
        loaded = load_config(args.config)
        snapshot = audit_loaded_config(
            loaded,
            timestamp_utc=_utc_now(),
            versions=collect_versions(os.path.dirname(os.path.abspath(config_path))),
            environment_id=args.environment_id,
        )
        rendered = {path: render(snapshot, fmt) for path, fmt in files}
        stdout_text = render(snapshot, OutputFormat(args.format)) if to_stdout else ""
        try:
            for path, text in rendered.items():
                existed = os.path.lexists(path)
                write_atomic(path, text.encode("utf-8"), force=args.force)
                if not existed:
                    created.append(path)
        except PeakTradeError:
            for path in created:  # nothing half-written: undo this run's new files
                os.remove(path)
            raise
    if to_stdout:
        _write_stdout(stdout_text)
    for path in rendered:
        print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK


def _cmd_audit_schema(args: argparse.Namespace) -> int:
    from peak_trade.schema import schema_text

    _write_stdout(schema_text())
    return EXIT_OK


# --------------------------------------------------------------------------- status and drills


def _use_rich(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _cmd_status(args: argparse.Namespace) -> int:
    from peak_trade.core.config import load_config
    from peak_trade.views.status import build_status, render_json, render_rich, render_text

    report = build_status(load_config(args.config))
    if args.format == "json":
        _write_stdout(render_json(report))
    elif _use_rich(sys.stdout):
        render_rich(report, sys.stdout)
    else:
        _write_stdout(render_text(report))
    return EXIT_OK


def _cmd_drills(args: argparse.Namespace) -> int:
    from peak_trade.core.config import load_config
    from peak_trade.live.drills import SCENARIO_IDS, run_drills
    from peak_trade.views.drills import render_json, render_text

    wanted = None
    if args.scenario:
        wanted = [s.upper() for s in args.scenario]
        unknown = sorted(set(wanted) - set(SCENARIO_IDS))
        if unknown:
            raise UsageError(
                f"unknown drill scenario {', '.join(unknown)}; valid: {', '.join(SCENARIO_IDS)}"
            )
    run = run_drills(load_config(args.config), scenario_ids=wanted)
    _write_stdout(render_json(run) if args.format == "json" else render_text(run))
    return EXIT_OK if run.failed == 0 else EXIT_FINDING


# --------------------------------------------------------------------------- parser


def _add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: config/config.toml, else the embedded safe default)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="peak-trade",
        description="Read-only live-safety audit: gates, risk limits, drills, audit snapshots.",
        epilog="Exit codes: 0 ok, 1 finding, 2 bad input or usage, 3 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"peak-trade {__version__}")
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser, prog="peak-trade"
    )
    commands.required = True

    audit = commands.add_parser("audit", help="audit snapshots: export, schema")
    audit_commands = audit.add_subparsers(
        dest="audit_command", metavar="SUBCOMMAND", prog="peak-trade audit"
    )
    audit_commands.required = True

    export = audit_commands.add_parser(
        "export",
        help="export the live audit snapshot (Markdown on stdout by default)",
        description="Export the live-safety snapshot as JSON and/or Markdown. Read-only: it "
        "writes only the files named here, atomically, and never exports a token or key.",
    )
    _add_config(export)
    export.add_argument(
        "--environment-id", type=_environment_id, help="identifier (default: config file stem)"
    )
    export.add_argument("--stdout", action="store_true", help="print the snapshot to stdout")
    export.add_argument(
        "--format",
        choices=["markdown", "json"],
        default="markdown",
        help="format for stdout (default: markdown)",
    )
    export.add_argument("--output-json", metavar="PATH", help="write the snapshot as JSON")
    export.add_argument("--output-markdown", metavar="PATH", help="write the report as Markdown")
    export.add_argument("--force", action="store_true", help="replace existing output files")
    export.set_defaults(handler=_cmd_audit_export)

    schema = audit_commands.add_parser("schema", help="print the JSON Schema of the snapshot")
    schema.set_defaults(handler=_cmd_audit_schema)

    status = commands.add_parser(
        "status", help="may this system trade live, and if not, why not (Phase 72)"
    )
    _add_config(status)
    status.add_argument("--format", choices=["text", "json"], default="text")
    status.set_defaults(handler=_cmd_status)

    drills = commands.add_parser("drills", help="run the dry-run drills A-G (Phase 73)")
    _add_config(drills)
    drills.add_argument(
        "--scenario", action="append", metavar="ID", help="run only this drill (repeatable)"
    )
    drills.add_argument("--format", choices=["text", "json"], default="text")
    drills.set_defaults(handler=_cmd_drills)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code. Never raises, never prints a traceback."""
    _import_msgspec_without_typing_extensions()
    try:
        args = build_parser().parse_args(argv)
        handler: Handler = args.handler
        return handler(args)
    except SystemExit as exit_:  # --help and --version
        return exit_.code if isinstance(exit_.code, int) else EXIT_OK
    except Finding as finding:
        _error(str(finding))
        return EXIT_FINDING
    except ReadOnlyViolation as violation:
        _error(f"read-only violation: {violation}")
        return EXIT_INTERNAL
    except PeakTradeError as error:
        _error(str(error))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into exit 3
        _error(f"internal error: {_where(exc)} (please report)")
        return EXIT_INTERNAL


def _error(message: str) -> None:
    first_line = message.splitlines()[0] if message else "error"
    print(f"peak-trade: {first_line}", file=sys.stderr)


def _where(exc: BaseException) -> str:
    """Exception type and innermost location; the message is left out (it could quote input)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    place = f" at {os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}" if tb else ""
    return f"{type(exc).__name__}{place}"


def _silence_stdout() -> None:
    # stdout's reader went away (`| head`); make the interpreter's final flush quiet too
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def console_main() -> NoReturn:
    """Entry point of the `peak-trade` script: run, flush, and end the process.

    Ending with `os._exit` skips the interpreter's teardown of every module (about 4 ms, a
    quarter of a bare interpreter start on a small machine). Nothing is left to finalise:
    outputs were written, fsynced and closed by then, and the standard streams are flushed here.
    """
    code = main()
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        _silence_stdout()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
