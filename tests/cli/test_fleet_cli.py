"""`peak-trade audit fleet`: many configs in one run."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from peak_trade.live.fleet import FleetReport
from tests.conftest import CliResult, toml_config, write

Cli = Callable[..., CliResult]


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    directory = tmp_path / "fleet"
    directory.mkdir()
    write(directory / "a-paper.toml", toml_config(mode="paper"))
    write(directory / "b-dry.toml", toml_config(mode="testnet", dry_run=True))
    write(directory / "notes.txt", "not a config")
    return directory


def test_all_blocked_is_ok(cli: Cli, fleet: Path) -> None:
    result = cli("audit", "fleet", str(fleet))
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split() == ["config", "system", "mode", "verdict", "drills", "blockers"]
    # drill E: Peak_Trade's total cap sees one order, never the open exposure
    assert lines[1].split() == [
        str(fleet / "a-paper.toml"),
        "peak_trade",
        "paper",
        "blocked",
        "6/7",
        "2",
    ]
    assert lines[2].split() == [
        str(fleet / "b-dry.toml"),
        "peak_trade",
        "testnet_dry_run",
        "blocked",
        "6/7",
        "3",  # mode_not_live, dry_run_active, confirm_token_missing
    ]
    # the summary, split where it would pass 80 columns
    assert " ".join(lines[-2:]) == (
        "2 config(s): 0 live-allowed, 0 armed, 2 blocked, 0 invalid; drills failing in 2;"
        " policy violated by 0"
    )


def test_the_text_report_fits_80_columns_for_paths_up_to_24_characters(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for account in ("acct-a", "acct-b"):
        (tmp_path / account).mkdir()
        write(tmp_path / account / "config.toml", toml_config(require_token=False))
    result = cli("audit", "fleet", "acct-a", "acct-b")
    assert result.code == 1
    assert max(len(line) for line in result.out.splitlines()) <= 80
    assert "acct-a/config.toml" in result.out and "acct-b/config.toml" in result.out
    flowing = " ".join(result.out.split())  # wrapped at spaces, never inside a word
    assert "acct-a/config.toml: live_allowed: live execution is allowed" in flowing


def test_a_live_allowed_config_is_a_finding(cli: Cli, fleet: Path) -> None:
    write(fleet / "c-open.toml", toml_config(require_token=False))
    result = cli("audit", "fleet", str(fleet / "*.toml"))
    assert result.code == 1
    assert [
        str(fleet / "c-open.toml"),
        "peak_trade",
        "live",
        "ALLOWED",
        "6/7",  # drill E: Peak_Trade's live path checks no cap
        "0",
    ] in [line.split() for line in result.out.splitlines()]
    assert f"{fleet / 'c-open.toml'}: live_allowed: " in " ".join(result.out.split())
    assert result.out.splitlines()[-2].startswith("3 config(s): 1 live-allowed, 1 armed, 2 blocked")


def test_a_finding_outranks_an_invalid_config(cli: Cli, fleet: Path) -> None:
    write(fleet / "c-armed.toml", toml_config())  # armed; no token in this environment
    write(fleet / "z-bad.toml", "[environment]\nmode = 'LIVE'\n")
    result = cli("audit", "fleet", str(fleet))
    assert result.code == 1  # the armed config, not the invalid one, decides
    rows = [line.split()[0] for line in result.out.splitlines()[1:5]]
    assert rows == [
        str(fleet / n) for n in ("a-paper.toml", "b-dry.toml", "c-armed.toml", "z-bad.toml")
    ]
    assert f"{fleet / 'c-armed.toml'}: config_armed: " in " ".join(result.out.split())


def test_same_file_names_in_two_folders_are_told_apart(cli: Cli, tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        write(tmp_path / name / "config.toml", toml_config(mode="paper"))
    result = cli("audit", "fleet", str(tmp_path / "one"), str(tmp_path / "two"))
    assert result.code == 0
    firsts = [line.split()[0] for line in result.out.splitlines()[1:3]]
    assert firsts == [str(tmp_path / "one" / "config.toml"), str(tmp_path / "two" / "config.toml")]


def test_invalid_config_is_reported_and_the_rest_still_audited(
    cli: Cli, fleet: Path, tmp_path: Path
) -> None:
    write(fleet / "z-bad.toml", "[environment]\nenable_live_trading = 'yes'\n")
    out = tmp_path / "fleet.json"
    result = cli("audit", "fleet", str(fleet), "--format", "json", "--output-json", str(out))
    assert result.code == 2
    data = json.loads(result.out)
    assert data == json.loads(out.read_text())
    assert [r["environment_id"] for r in data["rows"]] == ["a-paper", "b-dry", "z-bad"]
    bad = data["rows"][2]
    assert bad["blockers"] == ["config_invalid"] and bad["effective_mode"] == "blocked"
    assert "environment.enable_live_trading: expected bool, got str" in bad["error"]
    assert (data["invalid"], data["allowed"]) == (1, 0)


def test_failing_drills_are_a_finding(cli: Cli, fleet: Path) -> None:
    write(fleet / "c-nolimits.toml", toml_config(dry_run=True, limits_enabled=False))
    result = cli("audit", "fleet", str(fleet))
    assert result.code == 1
    assert "drills failing in 3; policy violated by 1" in result.out
    assert f"{fleet / 'c-nolimits.toml'}: drill_failed: " in " ".join(result.out.split())


def test_target_matching_nothing_is_bad_input(cli: Cli, tmp_path: Path) -> None:
    result = cli("audit", "fleet", str(tmp_path / "*.toml"))
    assert result.code == 2
    assert result.err == f"peak-trade: {tmp_path / '*.toml'}: matches no config file\n"


def _accounts(root: Path) -> None:
    for name, mode in (("acct-a", "paper"), ("acct-b", "live")):
        (root / name / "config").mkdir(parents=True)
        text = toml_config(mode="paper") if mode == "paper" else toml_config()
        write(root / name / "config" / "config.toml", text)
    (root / "bot" / "user_data").mkdir(parents=True)
    write(
        root / "bot" / "user_data" / "config.json",
        json.dumps({"dry_run": True, "stake_currency": "USDT", "exchange": {}}),
    )
    # what a directory search must pass by
    write(root / "pyproject.toml", "[tool.x]\n")
    (root / ".venv" / "lib").mkdir(parents=True)
    write(root / ".venv" / "lib" / "config.json", "{}")
    (root / "node_modules" / "pkg").mkdir(parents=True)
    write(root / "node_modules" / "pkg" / "config.json", '{"name": "pkg"}')
    (root / "docs").mkdir()
    write(root / "docs" / "config.json", '{"theme": "dark"}')  # not a bot's: skipped


def test_fleet_searches_a_directory_recursively_and_tells_accounts_apart(
    cli: Callable[..., CliResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _accounts(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = cli("audit", "fleet", ".", "--format", "json")
    assert result.code == 1  # acct-b is armed
    rows = json.loads(result.out)["rows"]
    assert sorted(r["path"] for r in rows) == [
        "./acct-a/config/config.toml",
        "./acct-b/config/config.toml",
        "./bot/user_data/config.json",
    ]
    assert sorted(r["environment_id"] for r in rows) == ["acct-a", "acct-b", "bot"]


def test_a_file_named_explicitly_is_audited_whatever_its_name(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    path = write(tmp_path / "pyproject.toml", '[environment]\nmode = "paper"\n')
    result = cli("audit", "fleet", path, "--format", "json")
    assert [r["path"] for r in json.loads(result.out)["rows"]] == [path]


ASSETS = Path(__file__).resolve().parent.parent / "assets"


def _mixed_fleet(root: Path, count: int) -> list[str]:
    """`count` configs of every kind a fleet meets, in a directory tree: Peak_Trade configs
    blocked, allowed, armed, with failing drills or invalid; freqtrade bots, one invalid; the
    same file name in many accounts; a name with a control character."""
    kinds: list[Callable[[Path], None]] = [
        lambda p: write(p.with_suffix(".toml"), toml_config(mode="paper")),
        lambda p: write(p.with_suffix(".toml"), toml_config(dry_run=True)),
        lambda p: write(p.with_suffix(".toml"), toml_config(require_token=False)),
        lambda p: write(p.with_suffix(".toml"), toml_config()),
        lambda p: write(p.with_suffix(".toml"), "[environment]\nmode = 'LIVE'\n"),
        lambda p: write(p.with_suffix(".toml"), toml_config(dry_run=True, limits_enabled=False)),
        lambda p: write(p.with_suffix(".json"), (ASSETS / "freqtrade" / "spot.json").read_text()),
        lambda p: write(
            p.with_suffix(".json"), (ASSETS / "freqtrade" / "futures.json").read_text()
        ),
        lambda p: write(p.with_suffix(".json"), '{"dry_run": false, "exchange": {"name": 1}}'),
    ]
    (root / "flat").mkdir()
    for i in range(count - 4):
        kinds[i % len(kinds)](root / "flat" / f"bot-{i:03d}")
    for name in ("acct-a", "acct-b"):
        (root / name / "config").mkdir(parents=True)
        write(root / name / "config" / "config.toml", toml_config(mode="paper"))
    write(root / "flat" / "tab\there.toml", toml_config(mode="paper"))
    write(root / "flat" / "z-armed-too.toml", toml_config())
    return [str(root / "flat"), str(root / "acct-a"), str(root / "acct-b")]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_pooled_fleet_reports_byte_for_byte_what_the_serial_one_does(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    targets = _mixed_fleet(tmp_path, 150)
    forks: list[int] = []
    real_fork = os.fork

    def counted() -> int:
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted)
    results = {}
    for jobs in ("1", "2", "3"):
        out = tmp_path / f"report-{jobs}.json"
        results[jobs] = cli(
            "audit", "fleet", *targets, "--format", fmt, "--jobs", jobs, "--output-json", str(out)
        )
        assert out.read_bytes() == (tmp_path / "report-1.json").read_bytes()
    assert len(forks) == 2 + 3  # --jobs 1 forked nothing; 2 and 3 forked their workers
    serial = results["1"]
    assert serial.code == 1  # allowed and armed configs: a finding
    assert "1 invalid" not in serial.out  # several invalid configs of both dialects
    for pooled in (results["2"], results["3"]):
        assert (pooled.code, pooled.out, pooled.err) == (serial.code, serial.out, serial.err)
    report = json.loads((tmp_path / "report-1.json").read_text())
    assert len(report["rows"]) == 150
    assert {r["dialect"] for r in report["rows"]} == {"peak_trade", "freqtrade", "unknown"}


def _cell(text: str) -> str:
    from peak_trade.views import cell

    return cell(text)


def test_the_streamed_reports_are_the_whole_reports(tmp_path: Path) -> None:
    from peak_trade.live.fleet import audit_fleet, expand_targets
    from peak_trade.live.snapshot import LiveAuditVersions
    from peak_trade.views import to_json
    from peak_trade.views.governance import fleet_json, fleet_lines, render_fleet

    versions = LiveAuditVersions(peak_trade="t", python="3", git_commit=None)
    paths = expand_targets(_mixed_fleet(tmp_path, 40))
    report = audit_fleet(paths, timestamp_utc="2025-01-01T00:00:00+00:00", versions=versions)
    streamed_json = "".join(fleet_json(report.rows, report.tally().payload_head()))
    assert streamed_json == to_json(report.payload())
    empty = FleetReport(rows=())
    assert "".join(fleet_json((), empty.tally().payload_head())) == to_json(empty.payload())
    streamed_text = "".join(fleet_lines(report.rows, report.summary()))
    assert streamed_text == render_fleet(report)
    # every row of the table, in input order, then each finding, then the summary
    table = streamed_text.splitlines()[1 : 1 + len(report.rows)]
    assert [line.split()[0] for line in table] == [_cell(r.path) for r in report.rows]
    assert "tab\\x09here.toml" in streamed_text  # a control character, escaped
    assert "INVALID" in streamed_text  # an invalid config's verdict (its error follows the table)


@pytest.mark.parametrize("option", ["--output-json", "--output"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_pooled_fleet_never_writes_its_report_over_an_input(
    cli: Cli, tmp_path: Path, jobs: str, option: str
) -> None:
    targets = _mixed_fleet(tmp_path, 80)
    (tmp_path / "acct-b" / "config" / "bounded_live.toml").write_text(
        "[bounded_live]\nenabled = true\n"
    )
    overlay = tmp_path / "acct-b" / "config" / "bounded_live.toml"
    before = overlay.read_bytes()
    result = cli("audit", "fleet", *targets, "--jobs", jobs, option, str(overlay), "--force")
    assert result.code == 2 and "a file this run read" in result.err
    assert result.out == ""
    assert overlay.read_bytes() == before


@pytest.mark.parametrize("value", ["0", "-1", "two", "1025"])
def test_jobs_must_be_a_positive_count(cli: Cli, fleet: Path, value: str) -> None:
    result = cli("audit", "fleet", str(fleet), "--jobs", value)
    assert result.code == 2 and "--jobs" in result.err
