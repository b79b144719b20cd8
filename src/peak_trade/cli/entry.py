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
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, TextIO

from peak_trade import __version__
from peak_trade._startup import help_formatter, import_msgspec_without_typing_extensions
from peak_trade.errors import Finding, PeakTradeError, ReadOnlyViolation, UsageError

if TYPE_CHECKING:
    from peak_trade.archive.store import Signing
    from peak_trade.live.assessment import Assessment
    from peak_trade.live.snapshot import LiveAuditSnapshot

EXIT_OK, EXIT_FINDING, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
_ENV_ID = r"^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$"  # compiled on first use

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line (via `UsageError`), not usage + exit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", help_formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())


def _environment_id(value: str) -> str:
    if not re.match(_ENV_ID, value):
        raise argparse.ArgumentTypeError(
            "must be 1-128 characters of letters, digits and ._:@+- starting with a letter or digit"
        )
    return value


def _write_stdout(text: str) -> None:
    """Print a command's output; a closed or full standard output is bad input (exit 2)."""
    from peak_trade.errors import OutputError

    if sys.stdout is None:
        raise OutputError("standard output is closed; nothing written")
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(
            f"cannot write to standard output ({exc.strerror or 'I/O error'})"
        ) from None


# --------------------------------------------------------------------------- audit export


def _cmd_audit_export(args: argparse.Namespace) -> int:
    from peak_trade.core.config import resolve_config_path
    from peak_trade.formats import OutputFormat, render
    from peak_trade.outputs import check_outputs, write_all
    from peak_trade.readonly import ReadOnlyGuard

    files = [
        (path, fmt)
        for path, fmt in (
            (args.output_json, OutputFormat.JSON),
            (args.output_markdown, OutputFormat.MARKDOWN),
        )
        if path
    ]
    paths = [path for path, _ in files]
    configs = args.config or [resolve_config_path(None, os.environ)[0]]
    check_outputs(paths, force=args.force, protected=[c for c in configs if c])
    to_stdout = args.stdout or not files
    _import_before_guard(*_SNAPSHOT, *_RENDERERS)
    with ReadOnlyGuard(outputs=paths):
        snapshot = _snapshot(_assess(args))
        rendered = {path: render(snapshot, fmt).encode() for path, fmt in files}
        stdout_text = render(snapshot, OutputFormat(args.format)) if to_stdout else ""
        write_all(rendered, force=args.force)
    if to_stdout:
        _write_stdout(stdout_text)
    for path in rendered:
        print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK


def _cmd_audit_schema(args: argparse.Namespace) -> int:
    from peak_trade.schema import schema_text

    _write_stdout(schema_text())
    return EXIT_OK


# --------------------------------------------------------------------------- governance


def _import_before_guard(*modules: str) -> None:
    """Import what a guarded run imports, before the guard is armed.

    The guard switches bytecode writing off (a .pyc is a write), so a module first imported
    under it would be compiled again on every run (about 3 ms for a snapshot's modules). Each
    command names what it needs beyond the assessment.
    """
    import peak_trade.live.assessment  # noqa: F401

    for module in modules:
        __import__(f"peak_trade.{module}")


_SNAPSHOT = ("live.snapshot", "versions")
_RENDERERS = ("formats.json", "formats.markdown")


def _assess(args: argparse.Namespace, *, scenario_ids: list[str] | None = None) -> Assessment:
    """Find, load and assess the config the command names (the shared first half of
    export, archive, check, status and drills)."""
    from peak_trade.core.config import DEFAULT_CONFIG_PATH
    from peak_trade.dialects.select import Dialect, load
    from peak_trade.errors import ConfigError
    from peak_trade.live.assessment import assess

    loaded = load(
        args.config or [],
        dialect=Dialect(args.dialect) if args.dialect else None,
        bounded_live=not args.no_bounded_live,
    )
    if loaded.source == "embedded-default" and getattr(args, "allow_default", True) is False:
        raise ConfigError(
            f"no config at {DEFAULT_CONFIG_PATH} (and PEAK_TRADE_CONFIG_PATH is not set);"
            " name one with --config, or pass --allow-default to judge the embedded default"
        )
    return assess(
        loaded, environment_id=getattr(args, "environment_id", None), scenario_ids=scenario_ids
    )


def _snapshot(assessment: Assessment) -> LiveAuditSnapshot:
    from peak_trade.live.snapshot import snapshot_of
    from peak_trade.versions import collect_versions

    path = assessment.loaded.path
    config_dir = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
    return snapshot_of(assessment, timestamp_utc=_utc_now(), versions=collect_versions(config_dir))


def _cmd_audit_archive(args: argparse.Namespace) -> int:
    from peak_trade.archive.store import append_entry, archive_output_predicate
    from peak_trade.errors import ArchiveError
    from peak_trade.formats import OutputFormat, render
    from peak_trade.readonly import ReadOnlyGuard

    signing = None
    if args.sign_key:
        from peak_trade.archive.signing import load_private_key, signing_for

        signing = signing_for(load_private_key(args.sign_key))
    archive_dir = args.archive_dir
    if os.path.lexists(archive_dir) and not os.path.isdir(archive_dir):
        raise ArchiveError(f"{archive_dir}: exists and is not a directory")
    if args.adopt:
        return _adopt(args, signing)
    _import_before_guard(*_SNAPSHOT, *_RENDERERS)
    with ReadOnlyGuard():
        snapshot = _snapshot(_assess(args))
        json_text = render(snapshot, OutputFormat.JSON)
        markdown_text = render(snapshot, OutputFormat.MARKDOWN)
    _make_archive_dir(archive_dir)
    recovered: list[str] = []
    with ReadOnlyGuard(allow=archive_output_predicate(archive_dir)):
        entry = append_entry(
            archive_dir,
            timestamp_utc=snapshot.timestamp_utc,
            environment_id=snapshot.environment_id,
            json_text=json_text,
            markdown_text=markdown_text,
            signing=signing,
            recovered=recovered,
        )
    for line in recovered:
        _write_stdout(f"recovered: {line}\n")
    names = ", ".join(entry.files)
    signed = " (signed)" if entry.signature else ""
    _write_stdout(f"archived seq {entry.seq}{signed}: {names}\nentry_sha256 {entry.entry_sha256}\n")
    return EXIT_OK


def _make_archive_dir(archive_dir: str) -> None:
    from peak_trade.errors import ArchiveError

    try:  # created on first use, once the input is known to be good
        os.makedirs(archive_dir, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(f"{archive_dir}: cannot create ({exc.strerror})") from None


def _adopt(args: argparse.Namespace, signing: Signing | None) -> int:
    """`archive --adopt FILE...`: snapshots exported and moved by hand join the chain."""
    from peak_trade.archive.store import adopt_files, archive_output_predicate, markdown_sibling
    from peak_trade.errors import ArchiveError
    from peak_trade.files import open_regular
    from peak_trade.live.snapshot import live_audit_snapshot_from_json
    from peak_trade.readonly import ReadOnlyGuard

    exports = []
    for path in args.adopt:
        try:
            with open_regular(path) as handle:
                data = handle.read(64 * 1024 * 1024)
            snapshot = live_audit_snapshot_from_json(data)
        except OSError as exc:
            raise ArchiveError(f"{path}: cannot read ({exc.strerror})") from None
        except ValueError:
            raise ArchiveError(f"{path}: not a JSON audit snapshot; nothing adopted") from None
        markdown: bytes | None = None
        sibling = markdown_sibling(path)
        if os.path.isfile(sibling):
            with open_regular(sibling) as handle:
                markdown = handle.read(64 * 1024 * 1024)
        exports.append((path, data, markdown, snapshot.timestamp_utc, snapshot.environment_id))
    originals = [p for path, *_ in exports for p in (path, markdown_sibling(path))]
    _make_archive_dir(args.archive_dir)
    with ReadOnlyGuard(outputs=originals, allow=archive_output_predicate(args.archive_dir)):
        entries = adopt_files(args.archive_dir, exports, signing=signing)
    for entry in entries:
        _write_stdout(f"adopted seq {entry.seq}: {', '.join(entry.files)}\n")
    return EXIT_OK


def _head(value: str) -> tuple[int, str]:
    seq, _, digest = value.partition(":")
    if not (seq.isdigit() and re.fullmatch(r"[0-9a-f]{64}", digest)):
        raise argparse.ArgumentTypeError("expected SEQ:SHA256 (as printed by verify)")
    return int(seq), digest


def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from peak_trade.archive.verify import verify_archive
    from peak_trade.readonly import ReadOnlyGuard
    from peak_trade.views.governance import render_verify, verify_json

    check = None
    if args.public_key:
        from peak_trade.archive.signing import load_public_key, signature_valid

        public_key = load_public_key(args.public_key)

        def check(digest: str, signature: str) -> bool:
            return signature_valid(public_key, digest, signature)

    with ReadOnlyGuard():
        report = verify_archive(args.archive_dir, signature_check=check, expected_head=args.head)
    _write_stdout(verify_json(report) if args.format == "json" else render_verify(report))
    return EXIT_OK if report.ok else EXIT_FINDING


def _cmd_audit_diff(args: argparse.Namespace) -> int:
    from peak_trade.archive.refs import BeforeTheFirstSnapshot, load_snapshot
    from peak_trade.live.diff import diff_snapshots
    from peak_trade.readonly import ReadOnlyGuard
    from peak_trade.views.governance import diff_json, render_diff

    with ReadOnlyGuard():
        try:
            old, old_label = load_snapshot(args.old, args.archive_dir)
        except BeforeTheFirstSnapshot:
            # the weekly `diff latest~1 latest` in week one: not an error, nothing to compare
            new_label = load_snapshot(args.new, args.archive_dir)[1]
            _write_stdout(f"FIRST SNAPSHOT: nothing to compare ({new_label})\n")
            return EXIT_OK
        new, new_label = load_snapshot(args.new, args.archive_dir)
        diff = diff_snapshots(old, new, old_label=old_label, new_label=new_label)
    _write_stdout(diff_json(diff) if args.format == "json" else render_diff(diff))
    return EXIT_FINDING if diff.less_safe else EXIT_OK


def _cmd_audit_history(args: argparse.Namespace) -> int:
    from peak_trade.archive.refs import iter_entries
    from peak_trade.live.history import HistoryRow, iter_history
    from peak_trade.readonly import ReadOnlyGuard
    from peak_trade.views import to_json
    from peak_trade.views.governance import history_lines, history_widths

    damaged: list[int] = []  # seqs of damaged rows, noted while the rows stream past

    def noting_damage(rows: Iterator[HistoryRow]) -> Iterator[HistoryRow]:
        for row in rows:
            if not row.intact:
                damaged.append(row.seq)
            yield row

    with ReadOnlyGuard():
        # streamed: a first pass over the ledger alone sizes the columns, the second prints
        seq_width = environment_width = 0
        for entry in iter_entries(args.archive_dir):
            seq_width = max(seq_width, len(str(entry.seq)))
            environment_width = max(environment_width, len(entry.environment_id))
        rows = noting_damage(iter_history(args.archive_dir))
        if args.format == "json":
            _write_stdout("[")
            for index, row in enumerate(rows):
                item = to_json(row).rstrip("\n").replace("\n", "\n  ")
                _write_stdout(("," if index else "") + "\n  " + item)
            _write_stdout("\n]\n" if seq_width else "]\n")
        else:
            for line in history_lines(rows, history_widths(seq_width, environment_width)):
                _write_stdout(line + "\n")
    return EXIT_FINDING if damaged else EXIT_OK


def _cmd_audit_check(args: argparse.Namespace) -> int:
    from peak_trade.live.policy import Expectation, check_payload, check_snapshot
    from peak_trade.readonly import ReadOnlyGuard
    from peak_trade.views import to_json
    from peak_trade.views.check import render_check

    expect = Expectation(args.expect)
    _import_before_guard(*_SNAPSHOT)
    with ReadOnlyGuard():
        snapshot = _snapshot(_assess(args))
        violations = check_snapshot(snapshot, expect)
    if args.format == "json":
        _write_stdout(to_json(check_payload(snapshot, expect, violations)))
    else:
        _write_stdout(render_check(violations, expect, snapshot.environment_id))
    return EXIT_FINDING if violations else EXIT_OK


def _cmd_audit_fleet(args: argparse.Namespace) -> int:
    from peak_trade.live.fleet import audit_fleet, expand_targets
    from peak_trade.outputs import check_outputs, write_all
    from peak_trade.readonly import ReadOnlyGuard
    from peak_trade.views import to_json
    from peak_trade.views.governance import render_fleet

    outputs = [args.output_json] if args.output_json else []
    paths = expand_targets(args.targets)
    check_outputs(outputs, force=args.force, protected=paths)
    from peak_trade.versions import collect_versions

    with ReadOnlyGuard(outputs=outputs):
        report = audit_fleet(
            paths, timestamp_utc=_utc_now(), versions=collect_versions(os.getcwd())
        )
        payload = report.payload()
        write_all({path: to_json(payload).encode() for path in outputs}, force=args.force)
    _write_stdout(to_json(payload) if args.format == "json" else render_fleet(report))
    return int(report.outcome())


def _cmd_audit_keygen(args: argparse.Namespace) -> int:
    from peak_trade.archive.signing import generate_keypair, public_key_path
    from peak_trade.errors import OutputError
    from peak_trade.readonly import ReadOnlyGuard

    parent = os.path.dirname(os.path.abspath(args.out))
    if not os.path.isdir(parent):  # a new key's directory is private: 0700
        try:
            os.makedirs(parent, mode=0o700)
        except OSError as exc:
            raise OutputError(f"{parent}: cannot create ({exc.strerror})") from None
    with ReadOnlyGuard(outputs=[args.out, public_key_path(args.out)]):
        private, public = generate_keypair(args.out, force=args.force)
    _write_stdout(f"private key {private} (mode 0600, keep it secret)\npublic key {public}\n")
    return EXIT_OK


# --------------------------------------------------------------------------- status and drills


def _use_rich(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _cmd_status(args: argparse.Namespace) -> int:
    from peak_trade.readonly import ReadOnlyGuard
    from peak_trade.views.status import build_status, render_json, render_rich, render_text

    _import_before_guard("views.status")
    with ReadOnlyGuard():
        report = build_status(_assess(args))
    if args.format == "json":
        _write_stdout(render_json(report))
    elif _use_rich(sys.stdout):
        render_rich(report, sys.stdout)
    else:
        _write_stdout(render_text(report))
    return EXIT_OK


def _cmd_drills(args: argparse.Namespace) -> int:
    from peak_trade.live.drills import select_scenarios
    from peak_trade.readonly import ReadOnlyGuard
    from peak_trade.views.drills import render_json, render_text

    wanted = select_scenarios(args.scenario) if args.scenario else None
    _import_before_guard("views.drills")
    with ReadOnlyGuard():
        run = _assess(args, scenario_ids=wanted).drills
    _write_stdout(render_json(run) if args.format == "json" else render_text(run))
    return EXIT_OK if run.failed == 0 else EXIT_FINDING


# --------------------------------------------------------------------------- parser


def _add_config(parser: argparse.ArgumentParser) -> None:
    from peak_trade.dialects.select import DIALECT_NAMES

    parser.add_argument(
        "--config",
        metavar="PATH",
        action="append",
        help="config file (default: $PEAK_TRADE_CONFIG_PATH, else config/config.toml,"
        " else the embedded safe default); repeat for freqtrade files, which merge",
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


def _text_or_json(value: str) -> str:
    if value == "table":  # an older name of the text view, still accepted
        return "text"
    if value not in ("text", "json"):
        raise argparse.ArgumentTypeError(f"invalid choice: {value!r} (choose from text, json)")
    return value


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        type=_text_or_json,
        default="text",
        metavar="{text,json}",
        help="output format (default: text; 'table' is accepted for text)",
    )


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
        default="audit/archive",
        metavar="DIR",
        help="archive directory (default: audit/archive)",
    )


def _args_export(p: argparse.ArgumentParser) -> None:
    _add_config(p)
    _add_environment_id(p)
    p.add_argument("--stdout", action="store_true", help="print the snapshot to stdout")
    p.add_argument(
        "--format",
        choices=["markdown", "json"],
        default="markdown",
        help="format for stdout (default: markdown)",
    )
    p.add_argument("--output-json", metavar="PATH", help="write the snapshot as JSON")
    p.add_argument("--output-markdown", metavar="PATH", help="write the report as Markdown")
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
    _add_format(p)


def _args_diff(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    _add_archive_dir(p)
    _add_format(p)


def _args_history(p: argparse.ArgumentParser) -> None:
    _add_archive_dir(p)
    _add_format(p)


def _args_check(p: argparse.ArgumentParser) -> None:
    _add_config(p)
    _add_allow_default(p)
    p.add_argument(
        "--expect",
        choices=["blocked", "allowed"],
        default="blocked",
        help="blocked (default, the v1.0 guarantee) or allowed (a deliberate live release)",
    )
    _add_format(p)


def _args_fleet(p: argparse.ArgumentParser) -> None:
    p.add_argument("targets", nargs="+", metavar="DIR|GLOB|FILE")
    _add_format(p)
    p.add_argument("--output-json", metavar="PATH", help="also write the report as JSON")
    p.add_argument("--force", action="store_true", help="replace an existing --output-json")


def _args_keygen(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, metavar="KEYFILE", help="private key path")
    p.add_argument("--force", action="store_true", help="replace existing key files")


def _args_none(p: argparse.ArgumentParser) -> None:
    return None


def _args_status(p: argparse.ArgumentParser) -> None:
    _add_config(p)
    _add_format(p)


def _args_drills(p: argparse.ArgumentParser) -> None:
    _add_config(p)
    p.add_argument(
        "--scenario",
        action="append",
        metavar="ID",
        help="run only this drill: A, B, C, D, E, F or G (repeatable)",
    )
    _add_format(p)


class _Command(NamedTuple):
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    handler: Handler
    description: str
    epilog: str


_READS_CONFIG = (
    "Environment: PEAK_TRADE_CONFIG_PATH names the config when --config is not given;"
    " PEAK_TRADE_CONFIRM_TOKEN holds the confirm token (never printed); for a freqtrade config,"
    " every FREQTRADE__SECTION__KEY variable overrides the files, as freqtrade applies it."
)
_ARCHIVE_ONLY = "Environment: none is read."


def _exits(*lines: str) -> str:
    return "Exit codes: " + "; ".join(lines) + "."


AUDIT_COMMANDS: dict[str, _Command] = {
    "export": _Command(
        "export the live audit snapshot (Markdown on stdout by default)",
        _args_export,
        _cmd_audit_export,
        "Export the live-safety snapshot of one config as JSON and/or Markdown (Phase 74)."
        " Read-only: it writes only the files named here, atomically, never replaces one"
        " without --force, and never exports a token, key or secret.",
        _exits(
            "0 exported",
            "2 bad input (invalid config, unusable output): nothing written",
            "3 internal error",
        )
        + " "
        + _READS_CONFIG,
    ),
    "archive": _Command(
        "archive a snapshot (JSON + Markdown) and append it to the hash-chained ledger",
        _args_archive,
        _cmd_audit_archive,
        "Store the snapshot of one config in the archive and append its entry to ledger.jsonl"
        " (hash-chained; Ed25519-signed with --sign-key). A signed chain stays signed. Rolls back"
        " what an interrupted run left behind first, and says so. --adopt brings exports that"
        " were moved into the archive by hand into the chain.",
        _exits(
            "0 archived",
            "2 bad input (no config without --allow-default, invalid config, signing refused)",
            "3 internal error",
        )
        + " "
        + _READS_CONFIG,
    ),
    "verify": _Command(
        "check every archived file, the ledger chain and signatures",
        _args_verify,
        _cmd_audit_verify,
        "Recompute every file hash and the whole chain, check signatures with --public-key and"
        " a recorded head with --head; report every problem with its place.",
        _exits(
            "0 intact",
            "1 tampering found",
            "2 bad input (no archive, nothing archived)",
            "3 internal error",
        )
        + " "
        + _ARCHIVE_ONLY,
    ),
    "diff": _Command(
        "compare two snapshots; exit 1 when the new one is less safe",
        _args_diff,
        _cmd_audit_diff,
        "OLD and NEW are snapshot JSON files or archive references: latest, latest~N, or a"
        " sequence number. Every field is judged less safe, safer or neutral; a field without"
        " a judge counts as less safe.",
        _exits(
            "0 not less safe (or the first snapshot: nothing to compare)",
            "1 less safe",
            "2 bad input",
            "3 internal error",
        )
        + " "
        + _ARCHIVE_ONLY,
    ),
    "history": _Command(
        "one row per archived snapshot",
        _args_history,
        _cmd_audit_history,
        "One row per archived snapshot (time, environment, effective mode, verdict, blockers,"
        " drills, signed) and what changed since the row before; ! marks a less-safe change.",
        _exits(
            "0 every row intact", "1 a damaged row (run verify)", "2 bad input", "3 internal error"
        )
        + " "
        + _ARCHIVE_ONLY,
    ),
    "check": _Command(
        "policy gate for CI/cron/pre-commit: exit 1 when the expectation is violated",
        _args_check,
        _cmd_audit_check,
        "Judge one config by the policy: --expect blocked (default) is violated by a"
        " live-allowed verdict, an armed config (token or not), a failing drill, weakened risk"
        " limits while live or armed, an inline credential, and the dialect's own rules. Each"
        " violation names the config key that fixes it.",
        _exits(
            "0 meets the expectation",
            "1 a violation",
            "2 bad input (no config without --allow-default, invalid config)",
            "3 internal error",
        )
        + " "
        + _READS_CONFIG,
    ),
    "fleet": _Command(
        "audit many configs: one row each; exit 1 if any violates the policy",
        _args_fleet,
        _cmd_audit_fleet,
        "Audit every config named (files, directories of *.toml and *.json, glob patterns),"
        " each judged by the check --expect blocked policy. Every row is printed and the report"
        " written whatever the outcome.",
        _exits(
            "0 every config meets the policy",
            "1 a config violates it (outranks 2)",
            "2 a config is invalid",
            "3 internal error",
        )
        + " "
        + _READS_CONFIG,
    ),
    "schema": _Command(
        "print the JSON Schema of the snapshot",
        _args_none,
        _cmd_audit_schema,
        "Print the JSON Schema (draft 2020-12) of the audit snapshot, as shipped.",
        _exits("0"),
    ),
    "keygen": _Command(
        "create an Ed25519 key pair for signed archives",
        _args_keygen,
        _cmd_audit_keygen,
        "Write a new Ed25519 private key to KEYFILE (mode 0600) and its public key to"
        " KEYFILE.pub; a missing directory is created with mode 0700. Never replaces a key"
        " without --force.",
        _exits("0 written", "2 a key exists or cannot be written", "3 internal error"),
    ),
}
TOP_COMMANDS: dict[str, _Command] = {
    "status": _Command(
        "may this system trade live, and if not, why not (Phase 72)",
        _args_status,
        _cmd_status,
        "Answer at a glance whether this config may trade live: the verdict, each gate open or"
        " closed with its key and value, the binding caps, the venues, and every blocker with"
        " the change that clears it. Reports, never judges.",
        _exits("0 reported (whatever the verdict)", "2 bad input", "3 internal error")
        + " "
        + _READS_CONFIG,
    ),
    "drills": _Command(
        "run the dry-run drills A-G (Phase 73)",
        _args_drills,
        _cmd_drills,
        "Run the seven dry-run drills against the config, in memory: each proves that a gate"
        " or the risk limits block what they should. Nothing is written, nothing is sent.",
        _exits(
            "0 every drill passed (or not applicable)",
            "1 a drill failed",
            "2 bad input (unknown --scenario, invalid config)",
            "3 internal error",
        )
        + " "
        + _READS_CONFIG,
    ),
}


def _selected(argv: Sequence[str]) -> tuple[str | None, str | None]:
    """The command (and audit subcommand) named by argv, when argv names them first.

    The top level and `audit` take no options but -h, so argv[0] and argv[1] are the names.
    """
    words = [a for a in argv[:2] if not a.startswith("-")]
    command = words[0] if words else None
    sub = words[1] if command == "audit" and len(words) > 1 else None
    return command, sub


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser. Given an argv that names a known command, only that command's parser is
    built: the others would cost ~4 ms of argparse set-up per run and change nothing."""
    command, sub = _selected(argv) if argv is not None else (None, None)
    parser = _Parser(
        prog="peak-trade",
        description="Read-only live-safety audit: gates, risk limits, drills, audit snapshots."
        " Every command reads; none changes a config, sends an order or opens a socket.",
        epilog="Exit codes: 0 ok, 1 finding, 2 bad input or usage, 3 internal error."
        " Each command's --help lists its own. Also: python -m peak_trade.",
    )
    parser.add_argument("--version", action="version", version=f"peak-trade {__version__}")
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser, prog="peak-trade"
    )
    commands.required = True
    audit = commands.add_parser(
        "audit",
        help="audit snapshots: " + ", ".join(AUDIT_COMMANDS),
        description="The audit snapshot (Phase 74) and its governance.",
    )
    audit_commands = audit.add_subparsers(
        dest="audit_command", metavar="SUBCOMMAND", prog="peak-trade audit"
    )
    audit_commands.required = True
    known = command in TOP_COMMANDS or (command == "audit" and sub in AUDIT_COMMANDS)
    for group, table, group_name in (
        (audit_commands, AUDIT_COMMANDS, "audit"),
        (commands, TOP_COMMANDS, None),
    ):
        for name, spec in table.items():
            chosen = (group_name, name) in ((command, sub), (None, command))
            if known and not chosen:
                continue  # argparse looks up translations for every parser: ~0.3 ms each
            sub_parser = group.add_parser(
                name, help=spec.help, description=spec.description, epilog=spec.epilog
            )
            spec.arguments(sub_parser)
            sub_parser.set_defaults(handler=spec.handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code. Never raises, never prints a traceback."""
    import_msgspec_without_typing_extensions()
    try:
        arguments = sys.argv[1:] if argv is None else list(argv)
        args = build_parser(arguments).parse_args(arguments)
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
    if sys.stderr is None:  # closed by the caller: the exit code still tells
        return
    try:
        print(f"peak-trade: {first_line}", file=sys.stderr)
    except (OSError, ValueError):
        pass


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
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except (OSError, ValueError):
        _error("cannot write to standard output")
        code = code or EXIT_BAD_INPUT
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code)
