"""Every output format is one mapping entry that the command line reads (DESIGN §1 `formats/`).

For each entry: it renders the example snapshot, `audit export` has its `--output-NAME` flag
(and `--format NAME` when it can go to stdout), and its module is imported before the read-only
guard is armed (checked in a fresh interpreter per format, as the import-set tests are).
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from peak_trade.cli import build_parser
from peak_trade.cli.commands import output_dest
from peak_trade.formats import (
    DEFAULT_SNAPSHOT_FORMAT,
    FINDINGS_FORMATS,
    SNAPSHOT_FORMATS,
    OutputFormat,
    SnapshotFormat,
    render,
    stdout_formats,
)
from peak_trade.live.findings import CheckReport
from tests.conftest import EXAMPLE_CONFIG, CliResult, toml_config, write
from tests.test_phase74_live_audit_export import example_snapshot

Cli = Callable[..., CliResult]
NAMES = [f.name for f in SNAPSHOT_FORMATS]


@pytest.mark.parametrize("fmt", SNAPSHOT_FORMATS, ids=NAMES)
def test_every_snapshot_format_renders_the_example_snapshot(fmt: SnapshotFormat) -> None:
    snapshot = example_snapshot()
    text = importlib.import_module(f"peak_trade.{fmt.module}").render(snapshot)
    assert isinstance(text, str) and text.endswith("\n") and text.strip()
    assert fmt.render(snapshot) == render(snapshot, fmt.name) == text  # pure: same text again


@pytest.mark.parametrize("fmt", SNAPSHOT_FORMATS, ids=NAMES)
def test_every_snapshot_format_has_its_output_flag(cli: Cli, fmt: SnapshotFormat) -> None:
    argv = ["audit", "export", fmt.flag, "out" + fmt.suffix]
    assert getattr(build_parser(argv).parse_args(argv), output_dest(fmt)) == "out" + fmt.suffix
    help_text = " ".join(cli("audit", "export", "--help").out.split())
    assert f"{fmt.flag} PATH {fmt.output_help}" in help_text


def test_the_stdout_formats_are_exports_format_choices() -> None:
    assert sorted(stdout_formats()) == sorted(f.name for f in SNAPSHOT_FORMATS if f.stdout)
    assert stdout_formats()[0] == DEFAULT_SNAPSHOT_FORMAT
    for name in stdout_formats():
        argv = ["audit", "export", "--format", name]
        assert build_parser(argv).parse_args(argv).format == name
    # no --format: None, which export reads as the default (and which an --output-* flag
    # without --stdout requires: a --format there would be ignored)
    assert build_parser(["audit", "export"]).parse_args(["audit", "export"]).format is None
    assert DEFAULT_SNAPSHOT_FORMAT == "markdown"


def test_names_and_flags_are_unique_and_the_built_in_formats_are_registered() -> None:
    assert len(set(NAMES)) == len(NAMES)
    assert {f.value for f in OutputFormat} <= set(NAMES)
    findings = [n for f in FINDINGS_FORMATS for n in (f.name, *f.aliases)]
    assert len(set(findings)) == len(findings)


def test_an_unknown_format_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown snapshot format"):
        render(example_snapshot(), "yaml")


PROBE = """
import contextlib, io, json, sys
import peak_trade.readonly as readonly
from peak_trade.cli import main
seen = []
enter = readonly.ReadOnlyGuard.__enter__
def recording(self):
    if not seen:
        seen.append(sorted(sys.modules))
    return enter(self)
readonly.ReadOnlyGuard.__enter__ = recording
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(json.loads(sys.argv[1]))
print(json.dumps({"code": code, "before_guard": seen[0] if seen else []}))
"""


def _modules_before_the_guard(argv: list[str]) -> list[str]:
    run = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", PROBE, json.dumps(argv)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(run.stdout)
    assert result["code"] == 0
    modules: list[str] = result["before_guard"]
    return modules


@pytest.mark.parametrize("fmt", SNAPSHOT_FORMATS, ids=NAMES)
def test_every_format_module_is_imported_before_the_guard(
    tmp_path: Path, fmt: SnapshotFormat
) -> None:
    target = tmp_path / ("out" + fmt.suffix)
    argv = ["audit", "export", "--config", str(EXAMPLE_CONFIG), fmt.flag, str(target)]
    assert f"peak_trade.{fmt.module}" in _modules_before_the_guard(argv)
    assert target.stat().st_size > 0  # and the run wrote it


@pytest.mark.parametrize("name", stdout_formats())
def test_the_stdout_format_is_imported_before_the_guard(name: str) -> None:
    argv = ["audit", "export", "--stdout", "--format", name, "--config", str(EXAMPLE_CONFIG)]
    module = next(f.module for f in SNAPSHOT_FORMATS if f.name == name)
    assert f"peak_trade.{module}" in _modules_before_the_guard(argv)


def test_a_findings_format_is_one_module_and_one_entry(
    cli: Callable[..., CliResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new findings format (say, a CSV of the policy's violations) needs its module and one
    `FindingsFormat` entry: the parser offers it where it serves, the command renders it."""
    import sys
    import types

    from peak_trade import formats

    module = types.ModuleType("peak_trade.formats.csvcheck")

    def render_check(report: CheckReport) -> str:
        return "code,keys\n" + "".join(f"{v.code},{' '.join(v.keys)}\n" for v in report.violations)

    module.render_check = render_check  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "peak_trade.formats.csvcheck", module)
    entry = formats.FindingsFormat("csvcheck", module="formats.csvcheck", reports=("check",))
    monkeypatch.setattr(formats, "FINDINGS_FORMATS", (*formats.FINDINGS_FORMATS, entry))
    write(tmp_path / "config.toml", toml_config())
    result = cli(
        "audit", "check", "--config", str(tmp_path / "config.toml"), "--format", "csvcheck"
    )
    assert result.code == 1
    assert result.out.startswith("code,keys\nconfig_armed,environment.mode ")
    # it serves check only: fleet does not offer it
    refused = cli("audit", "fleet", str(tmp_path), "--format", "csvcheck")
    assert refused.code == 2 and "invalid choice: 'csvcheck'" in refused.err


def test_a_format_an_output_file_would_ignore_is_refused(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    config = write(tmp_path / "config.toml", toml_config(mode="paper"))
    out = tmp_path / "snap.json"
    refused = cli(
        "audit", "export", "--config", config, "--format", "json", "--output-json", str(out)
    )
    assert refused.code == 2 and "chooses what --stdout prints" in refused.err
    assert not out.exists()
    both = cli(
        "audit",
        "export",
        "--config",
        config,
        "--format",
        "json",
        "--output-json",
        str(out),
        "--stdout",
    )
    assert both.code == 0 and json.loads(both.out)["schema_version"] == 3 and out.exists()
    plain = cli("audit", "export", "--config", config, "--stdout")
    assert plain.out.startswith("# Peak_Trade - Live Audit Snapshot")
