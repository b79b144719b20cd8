"""One small handler per command: read the parsed arguments, call the services, print.

A handler turns the argparse namespace into plain values for `app` (and the decision code), arms
the read-only guard around the work, and returns an `Outcome`; `entry.py` maps outcomes and
errors to exit codes. Every import is lazy: a command imports only what it runs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from typing import TYPE_CHECKING, Any, TextIO

from peak_trade.formats import plugged_findings, render_findings, stream_findings

if TYPE_CHECKING:
    from peak_trade.archive.verify import SignatureCheck
    from peak_trade.formats import SnapshotFormat
    from peak_trade.live.assessment import Assessment


class Outcome(Enum):
    """What a command found, as `entry.exit_code` maps it (0, 1, 2)."""

    OK = "ok"
    FINDING = "finding"  #: a check violated, tampering, a less-safe change, a failed drill
    INVALID = "invalid"  #: fleet only: a config is invalid, yet every row was reported


class _Output:
    """How this run prints: `--color` (decided once, for stdout), `--quiet` (what a command
    prints is held back, and printed only when its outcome is not OK), and `--output P` (the
    report goes into P instead: `sink`; `inputs`, the files the command read, are never P)."""

    color = False
    quiet = False
    held: list[str] | None = None
    sink: Callable[[str], None] | None = None
    inputs: list[str] = []


@contextlib.contextmanager
def output_options(
    *,
    color: str,
    quiet: bool,
    output: str | None = None,
    force: bool = False,
    archive_dir: str | None = None,
) -> Iterator[None]:
    """Apply `--color`, `--quiet` and a generic `--output P` around one command (the outcome
    decides what `--quiet` lets through: see `release`). With `--output`, the report is written
    to a temporary file beside P and put in place when the command has reported (OK or a
    finding); bad input or an error leaves no file, and P is never a file the command read."""
    from peak_trade.errors import Finding
    from peak_trade.views.colour import enabled

    stream = sys.stdout
    is_tty = bool(stream is not None and stream.isatty())
    _Output.color = enabled(color, is_tty, os.environ) and output is None
    _Output.quiet = quiet and output is None
    _Output.held = [] if _Output.quiet else None
    _Output.inputs = []
    sink: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
    if output is not None:
        from peak_trade.outputs import AtomicOutput, check_outputs, refuse_inside

        check_outputs([output], force=force)
        if archive_dir is not None:  # verify would flag it, history and diff read there
            refuse_inside([output], archive_dir, "the archive directory")
        sink = AtomicOutput(output, force=force)
    try:
        with sink as opened:
            _Output.sink = opened.write if opened is not None else None
            try:
                yield
            except Finding:
                release(Outcome.FINDING)  # a finding prints in full, --quiet or not
                _refuse_read(output)
                raise
            _refuse_read(output)
        if output is not None:
            from peak_trade.core.text import printable

            print(f"wrote {printable(output)}", file=sys.stderr)
    finally:
        _Output.held = _Output.sink = None
        _Output.color = _Output.quiet = False
        _Output.inputs = []


def _refuse_read(output: str | None) -> None:
    """Never put a report over a file the command read (its config, an include, ...)."""
    if output is not None and _Output.inputs:
        from peak_trade.outputs import refuse_inputs

        refuse_inputs([output], _Output.inputs)


def note_inputs(paths: Iterable[str]) -> None:
    """The files a command read: a generic `--output` refuses them."""
    _Output.inputs.extend(paths)


def release(outcome: Outcome) -> Outcome:
    """Under `--quiet`: print what was held back when the outcome is not OK; drop it when OK."""
    held, _Output.held = _Output.held, None
    if held and outcome is not Outcome.OK:
        write_stdout("".join(held))
    return outcome


def write_stdout(text: str) -> None:
    """Print a command's output; a closed or full standard output is bad input (exit 2).

    A reader that went away (`| head`) is not an error, but it never decides the exit code:
    the rest of the output goes nowhere and the command still exits with its own outcome, so
    `peak-trade audit check ... | head -0` stays 1 for a finding."""
    from peak_trade.errors import OutputError

    if _Output.held is not None:
        _Output.held.append(text)
        return
    if _Output.sink is not None:
        _Output.sink(text)
        return
    if sys.stdout is None:
        raise OutputError("standard output is closed; nothing written")
    if _Output.color:
        from peak_trade.views.colour import paint

        text = paint(text)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    except OSError as exc:
        raise OutputError(
            f"cannot write to standard output ({exc.strerror or 'I/O error'})"
        ) from None


@contextlib.contextmanager
def report_output(args: argparse.Namespace) -> Iterator[Callable[[str], None]]:
    """Where a command's report goes, as a function that writes one piece: stdout, or with
    `--output P` that file, streamed into a temporary file beside it and moved into place
    once the report is complete (a run that fails first leaves no file). Enter it inside the
    read-only guard, which must name `output_paths(args)`."""
    path = getattr(args, "output", None)
    if not path:
        yield write_stdout
        return
    from peak_trade.core.text import printable
    from peak_trade.outputs import AtomicOutput

    with AtomicOutput(path, force=args.force) as output:
        yield output.write
    print(f"wrote {printable(path)}", file=sys.stderr)


def output_paths(args: argparse.Namespace) -> list[str]:
    """The `--output` file a command was given (none: it prints), checked before any work."""
    from peak_trade.outputs import check_outputs

    paths = [args.output] if getattr(args, "output", None) else []
    check_outputs(paths, force=args.force)
    return paths


def silence_stdout() -> None:
    """Point standard output at the null device: its reader went away (`| head`), and the
    interpreter's final flush must stay quiet too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _assess(args: argparse.Namespace, *, scenario_ids: list[str] | None = None) -> Assessment:
    """The config the command names, assessed (`app.assess_config` with the parsed options)."""
    from peak_trade import app
    from peak_trade.dialects import is_overlay

    for path in args.config or []:
        if is_overlay(path):
            _note(f"{path} is read with the config beside it, never alone; audited alone here")
    assessment = app.assess_config(
        args.config or [],
        dialect=args.dialect,
        bounded_live=not args.no_bounded_live,
        allow_default=getattr(args, "allow_default", True),
        environment_id=getattr(args, "environment_id", None),
        scenario_ids=scenario_ids,
    )
    from peak_trade.core.loaded import read_paths

    note_inputs(read_paths(assessment.loaded))
    if assessment.loaded.source == "embedded-default":
        _note(
            "no config file found: this audits the embedded safe default, not a deployed"
            " system (name one with --config)"
        )
    return assessment


def _note(message: str) -> None:
    """A one-line note on stderr: what the audit did that the user may not expect."""
    from peak_trade.core.text import printable

    if _Output.quiet:
        return
    print(f"peak-trade: note: {printable(message)}", file=sys.stderr)


# --------------------------------------------------------------------------- the snapshot


def audit_export(args: argparse.Namespace) -> Outcome:
    from peak_trade import app
    from peak_trade.core.loaded import read_paths
    from peak_trade.errors import UsageError
    from peak_trade.formats import DEFAULT_SNAPSHOT_FORMAT, SNAPSHOT_FORMATS, snapshot_format
    from peak_trade.outputs import check_outputs, refuse_inputs, write_all
    from peak_trade.readonly import ReadOnlyGuard

    files = [(path, fmt) for fmt in SNAPSHOT_FORMATS if (path := getattr(args, output_dest(fmt)))]
    paths = [path for path, _ in files]
    check_outputs(paths, force=args.force, protected=app.configs_read(args.config or []))
    to_stdout = args.stdout or not files
    if args.format is not None and files and not args.stdout:
        # an --output-* flag names its own format: a --format beside it would be ignored
        raise UsageError(
            f"--format {args.format} chooses what --stdout prints; each --output-* file has"
            " its flag's format: add --stdout, or drop --format"
        )
    stdout_format = snapshot_format(args.format or DEFAULT_SNAPSHOT_FORMAT)
    used = [fmt for _, fmt in files] + ([stdout_format] if to_stdout else [])
    app.import_before_guard(*app.SNAPSHOT_MODULES, *dict.fromkeys(f.module for f in used))
    with ReadOnlyGuard(outputs=paths):
        assessment = _assess(args)
        refuse_inputs(paths, read_paths(assessment.loaded))
        snapshot = app.snapshot_now(assessment)
        rendered = {path: fmt.render(snapshot, assessment).encode() for path, fmt in files}
        stdout_text = stdout_format.render(snapshot, assessment) if to_stdout else ""
        write_all(rendered, force=args.force)
    if to_stdout:
        write_stdout(stdout_text)
    for path in rendered:
        from peak_trade.core.text import printable

        print(f"wrote {printable(path)}", file=sys.stderr)
    return Outcome.OK


def output_dest(fmt: SnapshotFormat) -> str:
    """The namespace attribute of a snapshot format's `--output-NAME` flag."""
    return f"output_{fmt.name}"


def audit_schema(args: argparse.Namespace) -> Outcome:
    from peak_trade.schema import schema_text

    write_stdout(schema_text())
    return Outcome.OK


# --------------------------------------------------------------------------- governance


def audit_archive(args: argparse.Namespace) -> Outcome:
    from peak_trade import app
    from peak_trade.archive.store import append_entry, archive_output_predicate
    from peak_trade.formats import snapshot_format
    from peak_trade.readonly import ReadOnlyGuard

    signing = None
    if args.sign_key:
        from peak_trade.archive.signing import load_private_key, signing_for

        signing = signing_for(load_private_key(args.sign_key))
    archive_dir = args.archive_dir
    app.check_archive_dir(archive_dir)
    if args.adopt:
        for entry in app.adopt_exports(archive_dir, args.adopt, signing=signing):
            write_stdout(f"adopted seq {entry.seq}: {', '.join(entry.files)}\n")
        return Outcome.OK
    as_json, as_markdown = snapshot_format("json"), snapshot_format("markdown")  # as archived
    app.import_before_guard(*app.SNAPSHOT_MODULES, as_json.module, as_markdown.module)
    with ReadOnlyGuard():
        snapshot = app.snapshot_now(_assess(args))
        json_text, markdown_text = as_json.render(snapshot), as_markdown.render(snapshot)
    app.make_archive_dir(archive_dir)
    previous = app.previous_config(archive_dir)
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
        write_stdout(f"recovered: {line}\n")
    names = ", ".join(entry.files)
    signed = " (signed)" if entry.signature else ""
    write_stdout(f"archived seq {entry.seq}{signed}: {names}\nentry_sha256 {entry.entry_sha256}\n")
    now = (snapshot.config.path, snapshot.config.dialect)
    if previous is not None and previous[1:] != now:
        seq, path, dialect = previous
        _note(
            f"seq {seq} of this archive audited {path or 'the embedded default'} ({dialect});"
            f" this entry audits {now[0] or 'the embedded default'} ({now[1]}): history and"
            " diff will compare the two as one system (one archive per config: --archive-dir)"
        )
    return Outcome.OK


def audit_verify(args: argparse.Namespace) -> Outcome:
    from peak_trade.archive.verify import verify_archive
    from peak_trade.readonly import ReadOnlyGuard
    from peak_trade.views.governance import render_verify, verify_json

    check = _signature_check(args.public_key)
    with ReadOnlyGuard():
        report = verify_archive(args.archive_dir, signature_check=check, expected_head=args.head)
    write_stdout(verify_json(report) if args.format == "json" else render_verify(report))
    return Outcome.OK if report.ok else Outcome.FINDING


def _signature_check(public_key_file: str | None) -> SignatureCheck | None:
    """The check of one entry's signature against the public key in that file (None: no key,
    signatures stay unchecked)."""
    if not public_key_file:
        return None
    from peak_trade.archive.signing import load_public_key, signature_valid

    public_key = load_public_key(public_key_file)

    def check(digest: str, signature: str) -> bool:
        return signature_valid(public_key, digest, signature)

    return check


def audit_diff(args: argparse.Namespace) -> Outcome:
    from peak_trade.archive.refs import BeforeTheFirstSnapshot, load_snapshot
    from peak_trade.live.diff import diff_snapshots
    from peak_trade.readonly import ReadOnlyGuard
    from peak_trade.views.governance import diff_json, render_diff

    note_inputs(p for p in (args.old, args.new) if os.path.isfile(p))
    with ReadOnlyGuard():
        try:
            old, old_label = load_snapshot(args.old, args.archive_dir)
        except BeforeTheFirstSnapshot:
            # the weekly `diff latest~1 latest` in week one: not an error, nothing to compare
            new_label = load_snapshot(args.new, args.archive_dir)[1]
            write_stdout(f"FIRST SNAPSHOT: nothing to compare ({new_label})\n")
            return Outcome.OK
        new, new_label = load_snapshot(args.new, args.archive_dir)
        diff = diff_snapshots(old, new, old_label=old_label, new_label=new_label)
    write_stdout(diff_json(diff) if args.format == "json" else render_diff(diff))
    return Outcome.FINDING if diff.less_safe else Outcome.OK


def audit_history(args: argparse.Namespace) -> Outcome:
    from peak_trade.archive.refs import iter_entries
    from peak_trade.live.history import SIGNATURE_INVALID, HistoryRow, iter_history
    from peak_trade.outputs import refuse_inside
    from peak_trade.readonly import ReadOnlyGuard
    from peak_trade.views import cell, to_json
    from peak_trade.views.governance import history_lines, history_widths

    damaged: list[int] = []  # seqs of damaged or badly signed rows, noted as they stream past

    def noting_damage(rows: Iterator[HistoryRow]) -> Iterator[HistoryRow]:
        for row in rows:
            if not row.intact or row.signature == SIGNATURE_INVALID:
                damaged.append(row.seq)
            yield row

    outputs = output_paths(args)
    refuse_inside(outputs, args.archive_dir, "the archive directory")  # verify would flag it
    check = _signature_check(args.public_key)

    if (plugged := plugged_findings(args.format)) is not None and plugged.module:
        __import__(f"peak_trade.{plugged.module}")  # before the guard, as every renderer
    with ReadOnlyGuard(outputs=outputs):
        # streamed: a first pass over the ledger alone sizes the columns, the second prints
        seq_width = environment_width = 0
        for entry in iter_entries(args.archive_dir):
            seq_width = max(seq_width, len(str(entry.seq)))
            environment_width = max(environment_width, len(cell(entry.environment_id)))
        rows = noting_damage(iter_history(args.archive_dir, signature_check=check))
        with report_output(args) as write:
            if plugged_findings(args.format):
                for piece in stream_findings(args.format, "history", rows):
                    write(piece)
            elif args.format == "json":
                write("[")
                for index, row in enumerate(rows):
                    item = to_json(row).rstrip("\n").replace("\n", "\n  ")
                    write(("," if index else "") + "\n  " + item)
                write("\n]\n" if seq_width else "]\n")
            else:
                for line in history_lines(rows, history_widths(seq_width, environment_width)):
                    write(line + "\n")
    return Outcome.FINDING if damaged else Outcome.OK


def audit_check(args: argparse.Namespace) -> Outcome:
    from peak_trade import app
    from peak_trade.live.policy import Expectation, check_payload, check_snapshot
    from peak_trade.readonly import ReadOnlyGuard
    from peak_trade.views import to_json
    from peak_trade.views.check import render_check

    expect = Expectation(args.expect)
    plugged = plugged_findings(args.format)
    extra = ["live.evidence"] if args.profile else []
    if plugged is not None and plugged.module:
        extra += ["live.findings", plugged.module]
    app.import_before_guard(*app.SNAPSHOT_MODULES, *extra)
    with ReadOnlyGuard():
        assessment = _assess(args)
        snapshot = app.snapshot_now(assessment)
        violations = check_snapshot(snapshot, expect)
        controls = app.controls_of(args.profile, assessment.loaded) if args.profile else None
        # for a format of its own: placed in their files, each key's line read from its file
        report = (
            app.check_report(snapshot, expect, violations, assessment.loaded, controls)
            if plugged is not None
            else None
        )
    if report is not None:
        write_stdout(render_findings(args.format, "check", report))
    elif args.format == "json":
        write_stdout(to_json(check_payload(snapshot, expect, violations, controls)))
    else:
        write_stdout(render_check(violations, expect, snapshot.environment_id, controls))
    absent = controls is not None and bool(controls.absent)
    return Outcome.FINDING if violations or absent else Outcome.OK


def audit_fleet(args: argparse.Namespace) -> Outcome:
    from peak_trade import app
    from peak_trade.live.fleet import FleetOutcome, FleetReport, FleetTally, expand_targets
    from peak_trade.outputs import AtomicOutput, check_outputs, refuse_inputs
    from peak_trade.readonly import ReadOnlyGuard
    from peak_trade.views.governance import fleet_json, fleet_lines

    outputs = [args.output_json] if args.output_json else []
    paths = expand_targets(args.targets)
    if outputs:  # it resolves every config's real path: a second per 50k configs
        check_outputs(outputs, force=args.force, protected=paths)
    plugged = plugged_findings(args.format)
    app.import_before_guard("versions", "live.fleet", "views.governance", "workers")
    if plugged is not None and plugged.module:
        __import__(f"peak_trade.{plugged.module}")
    rows = []  # the small row structs only: the report's totals and widths need them all
    inputs: list[str] = []  # kept for a plugged format only (FleetReport.inputs)
    tally = FleetTally()
    noting = bool(getattr(args, "output", None))  # a generic --output refuses what was read
    # the workers fork on entering fleet_now, before this process arms its guard
    with app.fleet_now(paths, jobs=args.jobs) as results, ReadOnlyGuard(outputs=outputs):
        for row, read in results:
            if outputs:  # before anything is written: no output is a file the fleet read
                refuse_inputs(outputs, read)
            if noting:
                note_inputs(read)
            rows.append(row)
            tally.add(row)
            if plugged is not None:
                inputs.extend(read)
        head = tally.payload_head()
        for path in outputs:  # streamed into a temporary file, moved into place when whole
            with AtomicOutput(path, force=args.force) as output:
                for part in fleet_json(rows, head):
                    output.write(part)
    if plugged is not None:
        report = FleetReport(rows=tuple(rows), inputs=tuple(dict.fromkeys(inputs)))
        write_stdout(render_findings(args.format, "fleet", report))
    elif args.format == "json":
        _write_parts(fleet_json(rows, head))
    else:
        _write_parts(fleet_lines(rows, tally.summary()))
    outcome = tally.outcome()
    if outcome is FleetOutcome.FINDING:
        return Outcome.FINDING
    return Outcome.INVALID if outcome is FleetOutcome.INVALID else Outcome.OK


def _write_parts(parts: Iterable[str], size: int = 1 << 16) -> None:
    """Write a report given in parts, about `size` characters per write."""
    batch: list[str] = []
    length = 0
    for part in parts:
        batch.append(part)
        length += len(part)
        if length >= size:
            write_stdout("".join(batch))
            batch, length = [], 0
    if batch:
        write_stdout("".join(batch))


def audit_keygen(args: argparse.Namespace) -> Outcome:
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
    write_stdout(f"private key {private} (mode 0600, keep it secret)\npublic key {public}\n")
    return Outcome.OK


# --------------------------------------------------------------------------- status and drills


def _use_rich(stream: TextIO) -> bool:
    """The coloured terminal view of status: a terminal (or --color always), never with
    --color never, NO_COLOR or under --quiet."""
    if _Output.quiet or _Output.sink is not None:
        return False
    return _Output.color or (
        stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
    )


def status(args: argparse.Namespace) -> Outcome:
    from peak_trade import app
    from peak_trade.readonly import ReadOnlyGuard
    from peak_trade.views.status import build_status, render_json, render_rich, render_text

    app.import_before_guard("views.status")
    with ReadOnlyGuard():
        report = build_status(_assess(args))
    if args.format == "json":
        write_stdout(render_json(report))
    elif _use_rich(sys.stdout):
        render_rich(report, sys.stdout, force=_Output.color)
    else:
        write_stdout(render_text(report))
    return Outcome.OK


def drills(args: argparse.Namespace) -> Outcome:
    from peak_trade import app
    from peak_trade.live.drills import select_scenarios
    from peak_trade.readonly import ReadOnlyGuard
    from peak_trade.views.drills import render_json, render_text

    wanted = select_scenarios(args.scenario) if args.scenario else None
    app.import_before_guard("views.drills")
    with ReadOnlyGuard():
        run = _assess(args, scenario_ids=wanted).drills
    write_stdout(render_json(run) if args.format == "json" else render_text(run))
    return Outcome.OK if run.failed == 0 else Outcome.FINDING
