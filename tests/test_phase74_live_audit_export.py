"""Phase 74: the audit snapshot, its JSON and Markdown forms, and the read-only export CLI."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings

from peak_trade import __version__
from peak_trade.dialects.peak_trade.config import decode_config, load_config
from peak_trade.formats import OutputFormat, render
from peak_trade.live.audit import (
    LiveAuditSnapshot,
    LiveAuditVersions,
    audit_loaded_config,
    live_audit_snapshot_from_json,
    live_audit_snapshot_to_dict,
    live_audit_snapshot_to_markdown,
)
from peak_trade.schema import generate_schema_text, schema_text
from tests.conftest import EXAMPLE_CONFIG, EXAMPLE_TOKEN, CliResult, write
from tests.secret_strategies import (
    ENV_CREDENTIAL,
    assert_no_leak,
    config_with_secrets,
    secrets_text,
)

Cli = Callable[..., CliResult]
ASSETS = Path(__file__).parent / "assets"
SEED_REPORT = (ASSETS / "seed_example_report.md").read_text().splitlines()
VERSIONS = LiveAuditVersions(peak_trade="0.0.0-test", python="3.11.0", git_commit=None)
STAMP = "2025-12-07T12:00:00+00:00"


def example_snapshot(token: str | None = EXAMPLE_TOKEN) -> LiveAuditSnapshot:
    environ = {"PEAK_TRADE_CONFIRM_TOKEN": token} if token else {}
    loaded = load_config(str(EXAMPLE_CONFIG), environ=environ)
    return audit_loaded_config(loaded, timestamp_utc=STAMP, versions=VERSIONS)


# --------------------------------------------------------------------------- the snapshot


class TestSeedConformance:
    def test_every_seed_line_appears_except_the_reasons_wording(self) -> None:
        markdown = live_audit_snapshot_to_markdown(example_snapshot()).splitlines()
        reasons_start = SEED_REPORT.index("**Reasons:**")
        reasons_end = SEED_REPORT.index("---")
        expected = SEED_REPORT[: reasons_start + 1] + SEED_REPORT[reasons_end:]
        missing = [line for line in expected if line not in markdown]
        assert missing == []

    def test_lines_keep_the_seeds_order(self) -> None:
        markdown = live_audit_snapshot_to_markdown(example_snapshot()).splitlines()
        seed_lines = [line for line in SEED_REPORT if line.strip() and not line.startswith("  - ")]
        positions = [markdown.index(line) for line in seed_lines if line in markdown]
        assert positions == sorted(positions)
        assert markdown[-3:] == SEED_REPORT[-3:]  # the read-only footer closes the report

    def test_reasons_are_one_per_blocker_without_duplicates(self) -> None:
        snapshot = example_snapshot()
        reasons = snapshot.safety.reasons
        assert len(reasons) == len(set(reasons)) == len(snapshot.safety.blockers) == 2
        assert [b.code.value for b in snapshot.safety.blockers] == [
            "gate2_not_armed",
            "dry_run_active",
        ]
        markdown = live_audit_snapshot_to_markdown(snapshot)
        for reason in reasons:
            assert f"  - {reason}\n" in markdown

    def test_seed_json_keys_are_kept(self) -> None:
        data = live_audit_snapshot_to_dict(example_snapshot())
        assert list(data) == [
            "schema_version",
            "timestamp_utc",
            "environment_id",
            "gating",
            "risk",
            "venues",
            "kill_switch",
            "drills",
            "safety",
            "config",
            "versions",
        ]
        assert set(data["gating"]) == {
            "mode",
            "effective_mode",
            "enable_live_trading",
            "live_mode_armed",
            "live_dry_run_mode",
            "confirm_token_present",
            "require_confirm_token",
            "confirm_token_valid",
            "config_armed",
            "testnet_dry_run",
            "bounded_pilot_mode",
            "log_all_orders",
            "knowledge_readonly",
            "api_server_unprotected",
            "confirm_token_source",
            "nautilus_version",
            "risk_checks_bypassed",
        }
        assert set(data["risk"]) == {
            "max_live_notional_per_order",
            "max_live_notional_total",
            "live_trade_min_size",
            "limits_enabled",
            "limits_source",
            "base_currency",
            "block_on_violation",
            "warning_threshold_factor",
            "bounded_live_enabled",
            "limits",
            "effective",
        }
        assert set(data["risk"]["effective"]) == {
            "per_order",
            "total",
            "per_symbol",
            "open_positions",
            "daily_loss_abs",
            "daily_loss_pct",
            "min_order",
        }
        assert set(data["drills"]) == {
            "available_scenarios",
            "num_scenarios",
            "drills_executable",
            "results",
        }
        assert set(data["safety"]) == {
            "is_live_execution_allowed",
            "reasons",
            "safety_guarantee_v1_0",
            "blockers",
            "real_orders_possible",
        }
        assert set(data["config"]) == {
            "source",
            "resolved_from",
            "dialect",
            "path",
            "sha256_redacted",
            "redacted_keys",
            "files",
            "env_overrides",
        }
        assert set(data["versions"]) == {"peak_trade", "python", "git_commit", "schema"}
        assert data["safety"]["real_orders_possible"] is False
        assert data["drills"]["num_scenarios"] == 7
        assert data["risk"]["limits_source"] == "config.toml"
        assert data["environment_id"] == "config"


def test_building_is_reproducible_with_an_injected_clock() -> None:
    assert example_snapshot() == example_snapshot()
    a = render(example_snapshot(), OutputFormat.JSON)
    assert a == render(example_snapshot(), OutputFormat.JSON)


def test_round_trip_dict_json_snapshot() -> None:
    snapshot = example_snapshot()
    text = json.dumps(live_audit_snapshot_to_dict(snapshot))
    assert live_audit_snapshot_from_json(text) == snapshot
    assert live_audit_snapshot_from_json(render(snapshot, OutputFormat.JSON)) == snapshot


def test_exported_json_validates_against_the_shipped_schema(tmp_path: Path) -> None:
    schema = json.loads(schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    for token in (EXAMPLE_TOKEN, None):
        data = json.loads(render(example_snapshot(token), OutputFormat.JSON))
        jsonschema.validate(data, schema)
    broken = json.loads(render(example_snapshot(), OutputFormat.JSON))
    broken["gating"]["enable_live_trading"] = "yes"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_shipped_schema_is_generated_from_the_types() -> None:
    assert schema_text() == generate_schema_text()


def test_the_schema_does_not_depend_on_how_msgspec_dedents_docstrings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """msgspec 0.19 kept a docstring's indentation in a description, later versions dedent it:
    the generated schema is the same under both."""
    from peak_trade.live import snapshot

    real = snapshot.live_audit_snapshot_schema
    indented_some = []

    def as_msgspec_019() -> dict[str, object]:
        schema = real()
        for component in schema["$defs"].values():
            if "\n" in component.get("description", ""):
                component["description"] = component["description"].replace("\n", "\n    ")
                indented_some.append(component["title"])
        return schema

    monkeypatch.setattr(snapshot, "live_audit_snapshot_schema", as_msgspec_019)
    assert generate_schema_text() == schema_text()
    assert indented_some  # the patch really changed descriptions


def test_the_schema_script_writes_only_the_path_it_is_given(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = Path(__file__).resolve().parent.parent / "scripts" / "generate_schema.py"
    target = tmp_path / "schema.json"
    done = subprocess.run(
        [sys.executable, str(script), str(target)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert target.read_text() == schema_text()
    usage = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True, text=True, check=False
    )
    assert usage.returncode == 2 and usage.stderr.startswith("usage:")


def test_every_output_format_renders() -> None:
    snapshot = example_snapshot()
    for fmt in OutputFormat:
        assert render(snapshot, fmt).endswith("\n")


def test_token_state_without_token() -> None:
    snapshot = example_snapshot(token=None)
    assert snapshot.gating.confirm_token_present is False
    assert snapshot.gating.confirm_token_valid is None
    assert "confirm_token_missing" in [b.code.value for b in snapshot.safety.blockers]
    assert (
        "- **confirm_token_present:** False (Wert nicht exportiert)"
        in live_audit_snapshot_to_markdown(snapshot)
    )


def test_markdown_cannot_be_broken_by_an_identifier() -> None:
    loaded = decode_config(b"", origin="c.toml")
    snapshot = audit_loaded_config(
        loaded, timestamp_utc=STAMP, versions=VERSIONS, environment_id="x\n## Safety Summary"
    )
    markdown = live_audit_snapshot_to_markdown(snapshot)
    lines = markdown.splitlines()
    assert lines.count("## Safety Summary") == 1
    assert "**Environment ID:** x\ufffd## Safety Summary" in lines


# --------------------------------------------------------------------------- the CLI


def files_in(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()}


class TestExportCli:
    def test_no_output_flag_prints_markdown(
        self, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        result = cli("audit", "export", "--config", str(EXAMPLE_CONFIG))
        assert result.code == 0
        assert result.out.startswith("# Peak_Trade - Live Audit Snapshot\n")
        assert files_in(tmp_path) == set()

    def test_stdout_json(self, cli: Cli) -> None:
        result = cli(
            "audit", "export", "--config", str(EXAMPLE_CONFIG), "--stdout", "--format", "json"
        )
        data = json.loads(result.out)
        assert data["gating"]["effective_mode"] == "live_dry_run"
        assert data["versions"]["peak_trade"] == __version__
        assert data["timestamp_utc"].endswith("+00:00")

    def test_embedded_default_when_no_config(
        self, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        data = json.loads(cli("audit", "export", "--stdout", "--format", "json").out)
        assert data["config"]["source"] == "embedded-default"
        assert data["environment_id"] == data["risk"]["limits_source"] == "embedded-default"
        assert data["gating"]["effective_mode"] == "paper"

    def test_both_files_and_nothing_else(self, cli: Cli, tmp_path: Path) -> None:
        config = tmp_path / "live.toml"
        config.write_bytes(EXAMPLE_CONFIG.read_bytes())
        stat_before = config.stat()
        out_json, out_md = tmp_path / "a.json", tmp_path / "a.md"
        result = cli(
            "audit",
            "export",
            "--config",
            str(config),
            "--output-json",
            str(out_json),
            "--output-markdown",
            str(out_md),
            "--environment-id",
            "prod-eu",
        )
        assert result.code == 0
        assert result.out == ""
        assert files_in(tmp_path) == {"live.toml", "a.json", "a.md"}
        assert config.read_bytes() == EXAMPLE_CONFIG.read_bytes()
        assert (config.stat().st_mtime_ns, config.stat().st_size) == (
            stat_before.st_mtime_ns,
            stat_before.st_size,
        )
        assert json.loads(out_json.read_text())["environment_id"] == "prod-eu"
        assert "**Environment ID:** prod-eu" in out_md.read_text()
        assert json.loads(out_json.read_text())["risk"]["limits_source"] == "live.toml"

    def test_stdout_and_file_together(self, cli: Cli, tmp_path: Path) -> None:
        out_json = tmp_path / "a.json"
        result = cli(
            "audit",
            "export",
            "--config",
            str(EXAMPLE_CONFIG),
            "--stdout",
            "--output-json",
            str(out_json),
        )
        assert result.out.startswith("# Peak_Trade")
        assert json.loads(out_json.read_text())["schema_version"] == 3

    def test_refuses_to_overwrite_and_force_replaces(self, cli: Cli, tmp_path: Path) -> None:
        target = tmp_path / "a.json"
        target.write_text("keep me")
        result = cli(
            "audit", "export", "--config", str(EXAMPLE_CONFIG), "--output-json", str(target)
        )
        assert result.code == 2
        assert (
            result.err == f"peak-trade: {target}: exists; refusing to overwrite without --force\n"
        )
        assert target.read_text() == "keep me"
        result = cli(
            "audit",
            "export",
            "--config",
            str(EXAMPLE_CONFIG),
            "--output-json",
            str(target),
            "--force",
        )
        assert result.code == 0
        assert json.loads(target.read_text())["environment_id"] == "config"
        assert files_in(tmp_path) == {"a.json"}  # no temporary file left behind

    def test_undeclared_write_inside_the_export_is_stopped(
        self, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import peak_trade.versions as versions

        sneaky = tmp_path / "sneaky.txt"
        real = versions.collect_versions

        def collect_and_write(start_dir: str) -> LiveAuditVersions:
            sneaky.write_text("x")
            return real(start_dir)

        monkeypatch.setattr(versions, "collect_versions", collect_and_write)
        declared = tmp_path / "a.json"
        result = cli(
            "audit", "export", "--config", str(EXAMPLE_CONFIG), "--output-json", str(declared)
        )
        assert result.code == 3
        assert (
            result.err
            == f"peak-trade: read-only violation: read-only run tried to write {sneaky}\n"
        )
        assert files_in(tmp_path) == set()

    def test_a_failed_second_write_removes_the_first(
        self, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import peak_trade.outputs as outputs
        from peak_trade.errors import OutputError

        real = outputs.write_atomic

        def fail_on_markdown(path: str, data: bytes, *, force: bool) -> None:
            if path.endswith(".md"):
                raise OutputError(f"{path}: cannot write (No space left on device)")
            real(path, data, force=force)

        monkeypatch.setattr(outputs, "write_atomic", fail_on_markdown)
        result = cli(
            "audit",
            "export",
            "--config",
            str(EXAMPLE_CONFIG),
            "--output-json",
            str(tmp_path / "a.json"),
            "--output-markdown",
            str(tmp_path / "a.md"),
        )
        assert result.code == 2
        assert "No space left on device" in result.err
        assert files_in(tmp_path) == set()


def _bad_inputs(tmp: Path) -> list[tuple[list[str], str]]:
    existing = tmp / "exists.json"
    existing.write_text("{}")
    (tmp / "adir").mkdir()
    cfg = lambda name, text: write(tmp / name, text)  # noqa: E731
    non_utf8 = tmp / "latin1.toml"
    non_utf8.write_bytes(b'[environment]\nmode = "p\xe4per"\n')
    example = str(EXAMPLE_CONFIG)
    out = str(tmp / "out.json")
    return [
        (["--config", str(tmp / "missing.toml")], "missing.toml: config file not found"),
        (["--config", str(tmp / "adir")], "is a directory, not a config file"),
        (["--config", cfg("t1.toml", "[environment\n")], "invalid TOML"),
        (
            ["--config", cfg("t2.toml", '[environment]\nlive_mode_armed = "true"\n')],
            "environment.live_mode_armed: expected bool, got str",
        ),
        (["--config", str(non_utf8)], "not valid UTF-8"),
        (
            [
                "--config",
                cfg(
                    "t3.toml",
                    "[live_risk]\nmax_live_notional_per_order = 2.0\n"
                    "max_live_notional_total = 1.0\n",
                ),
            ],
            "exceeds live_risk.max_live_notional_total",
        ),
        (
            ["--config", cfg("t4.toml", "[environment]\nlive = true\n")],
            "environment.live: unknown key",
        ),
        (["--config", example, "--output-json", str(tmp / "nodir" / "a.json")], "does not exist"),
        (
            ["--config", example, "--output-json", str(existing)],
            "exists; refusing to overwrite without --force",
        ),
        (["--config", example, "--output-json", str(tmp / "adir")], "is a directory"),
        (
            ["--config", example, "--output-json", out, "--output-markdown", out],
            "named twice as an output",
        ),
        (
            ["--config", example, "--output-markdown", example, "--force"],
            "is the config being audited",
        ),
        (
            ["--config", example, "--stdout", "--format", "xml"],
            "argument --format: invalid choice: 'xml'",
        ),
        (
            ["--config", example, "--environment-id", "a b"],
            "argument --environment-id: must be 1-128 characters",
        ),
        (["--config", example, "--environment-id", ""], "argument --environment-id"),
        (["--config", example, "--bogus"], "unrecognized arguments: --bogus"),
        (["--config", example, "extra-positional"], "unrecognized arguments: extra-positional"),
        (["--config"], "argument -c/--config: expected one argument"),
        (
            ["--config", example, "--output-json", out, "--output-markdown", str(existing)],
            "exists; refusing",
        ),
    ]


@pytest.mark.parametrize("index", range(19))
def test_bad_input_exits_2_with_one_line_and_creates_nothing(
    cli: Cli, tmp_path: Path, index: int
) -> None:
    args, fragment = _bad_inputs(tmp_path)[index]
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    result = cli("audit", "export", *args)
    assert result.code == 2, result
    assert result.out == ""
    assert result.err.startswith("peak-trade: ") and result.err.count("\n") == 1
    assert fragment in result.err
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == before


# --------------------------------------------------------------------------- secrets


@settings(max_examples=40)
@given(
    api_key=secrets_text,
    api_secret=secrets_text,
    token=secrets_text,
    passphrase=secrets_text,
    extra=secrets_text,
)
def test_no_secret_reaches_any_output(
    cli: Cli,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    api_key: str,
    api_secret: str,
    token: str,
    passphrase: str,
    extra: str,
) -> None:
    secrets = [api_key, api_secret, token, passphrase, extra]
    tmp = tmp_path_factory.mktemp("leak")
    config = write(
        tmp / "secret.toml", config_with_secrets(api_key, api_secret, token, passphrase, extra)
    )
    monkeypatch.setenv("PEAK_TRADE_CONFIRM_TOKEN", token)
    monkeypatch.setenv(ENV_CREDENTIAL, api_secret)  # presence may show, the value never
    out_json, out_md = tmp / "a.json", tmp / "a.md"
    results = [
        cli(
            "audit",
            "export",
            "--config",
            config,
            "--stdout",
            "--output-json",
            str(out_json),
            "--output-markdown",
            str(out_md),
        ),
        cli("audit", "export", "--config", config, "--stdout", "--format", "json"),
        cli("status", "--config", config),
        cli("status", "--config", config, "--format", "json"),
        cli("drills", "--config", config, "--format", "json"),
        cli("audit", "check", "--config", config),  # inline credentials: a finding
        cli("audit", "check", "--config", config, "--format", "json"),
        # a failing run with the secret in the config must not quote it either
        cli("audit", "export", "--config", config, "--output-json", str(out_json)),
    ]
    # drills: no total cap, so drill E cannot give its proof; check: inline credentials
    assert [r.code for r in results] == [0, 0, 0, 0, 1, 1, 1, 2]
    for r in results:
        assert_no_leak(r.out, secrets, "stdout")
        assert_no_leak(r.err, secrets, "stderr")
    assert_no_leak(out_json.read_text(), secrets, "JSON file")
    assert_no_leak(out_md.read_text(), secrets, "Markdown file")
    data = json.loads(out_json.read_text())
    assert data["gating"]["confirm_token_present"] is True
    assert data["gating"]["confirm_token_valid"] is True
    assert hashlib.sha256(token.encode()).hexdigest() not in out_json.read_text()
    (leaky,) = [v for v in data["venues"] if v["name"] == "exchange.leaky"]
    assert leaky["endpoints"] == ["https://api.leaky.invalid:8443", "wss://ws.leaky.invalid"]
    assert leaky["credentials"] == [
        {"key": "exchange.leaky.api_key_env_var", "kind": "env_var", "present": True}
    ]


def test_git_commit_is_read_from_the_checkout(tmp_path: Path) -> None:
    from peak_trade.versions import collect_versions, git_commit

    sha = "0123456789abcdef0123456789abcdef01234567"
    git = tmp_path / "repo" / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    nested = tmp_path / "repo" / "config"
    nested.mkdir()
    assert git_commit(str(nested)) is None  # a branch without commits
    (git / "packed-refs").write_text(f"# pack-refs with: peeled\n{sha} refs/heads/main\n")
    assert git_commit(str(nested)) == sha
    loose = "fedcba9876543210fedcba9876543210fedcba98"
    (git / "refs" / "heads" / "main").write_text(loose + "\n")
    assert git_commit(str(nested)) == loose
    (git / "HEAD").write_text(sha + "\n")  # detached
    assert git_commit(str(nested)) == sha
    assert collect_versions(str(nested)).git_commit == sha
    assert git_commit(str(tmp_path)) is None or os.path.exists(tmp_path / ".git")


def test_version_is_the_installed_distributions() -> None:
    from importlib.metadata import version

    assert version("peak-trade") == __version__
