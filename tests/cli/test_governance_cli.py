"""The seed's governance workflow (§5) end to end: archive, history, diff, verify, check."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings

from tests.conftest import EXAMPLE_CONFIG, PASSING_CONFIG, CliResult, toml_config, write
from tests.secret_strategies import (
    ENV_CREDENTIAL,
    assert_no_leak,
    config_with_secrets,
    secrets_text,
)

Cli = Callable[..., CliResult]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "config").mkdir()
    shutil.copy(EXAMPLE_CONFIG, tmp_path / "config" / "config.toml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _set(config: Path, old: str, new: str) -> None:
    text = config.read_text()
    assert old in text
    config.write_text(text.replace(old, new))


def test_weekly_workflow(cli: Cli, workdir: Path) -> None:
    config = workdir / "config" / "config.toml"
    assert cli("audit", "keygen", "--out", "signing.pem").code == 0
    first = cli("audit", "archive", "--sign-key", "signing.pem")
    assert first.code == 0 and first.out.startswith("archived seq 1 (signed): live_audit_000001_")
    _set(config, "live_mode_armed = false", "live_mode_armed = true")
    assert cli("audit", "archive", "--sign-key", "signing.pem").code == 0
    _set(config, "max_live_notional_per_order = 1000.0", "max_live_notional_per_order = 500.0")
    assert cli("audit", "archive", "--sign-key", "signing.pem").code == 0

    history = cli("audit", "history")
    assert history.code == 0
    rows = history.out.splitlines()
    assert rows[0].split() == [
        "seq",
        "time",
        "(UTC)",
        "environment",
        "effective",
        "verdict",
        "blockers",
        "drills",
        "signed",
    ]
    # each row, then what changed since the row before it
    assert [r.split()[0] for r in rows[1::2]] == ["1", "2", "3"]
    # signed, but history has no public key: it cannot tell whose signature it is
    assert [r.split()[-1] for r in rows[1::2]] == ["unchecked", "unchecked", "unchecked"]
    assert rows[2] == "    first snapshot"
    assert rows[4].startswith("    [LESS SAFE] !live_mode_armed false->true;")
    assert rows[6] == (
        "    max_live_notional_per_order 1000.0->500.0;"
        " limits.live_risk.max_live_notional_per_order 1000.0->500.0"
    )
    rows_json = json.loads(cli("audit", "history", "--format", "json").out)
    assert [r["blockers"] for r in rows_json] == [3, 2, 2]

    opened = cli("audit", "diff", "latest~2", "latest~1")
    assert opened.code == 1
    assert opened.out.splitlines()[0] == (
        "LESS SAFE: 2 change(s) make the system less safe: gating.live_mode_armed, safety.blockers"
    )
    assert (
        "- live_mode_armed: false\n+ live_mode_armed: true    # less safe: Gate 2 became true\n"
        in opened.out
    )
    tightened = cli("audit", "diff", "latest~1", "latest")
    assert tightened.code == 0
    assert (
        "+ max_live_notional_per_order: 500.0    # safer: Phase 71 per-order cap tightened"
        in tightened.out
    )
    assert json.loads(cli("audit", "diff", "1", "2", "--format", "json").out)["less_safe"] is True

    verified = cli("audit", "verify", "--public-key", "signing.pem.pub")
    assert verified.code == 0
    assert verified.out.splitlines()[0] == "OK: 3 entries, every file and link verified"
    head = verified.out.splitlines()[1].split()
    assert head[:3] == ["head:", "seq", "3"]

    snapshot = sorted((workdir / "audit" / "archive").glob("live_audit_000002_*.json"))[0]
    raw = bytearray(snapshot.read_bytes())
    raw[100] ^= 0x01
    snapshot.write_bytes(bytes(raw))
    tampered = cli("audit", "verify", "--head", f"3:{head[-1]}")
    assert tampered.code == 1
    assert tampered.out.splitlines()[:2] == [
        "TAMPERED: 1 problem(s) in audit/archive",
        f"  {snapshot.name}: content differs from the hash recorded by ledger.jsonl:2",
    ]
    # a snapshot that no longer matches its ledger hash is not compared silently
    assert cli("audit", "diff", "latest~1", "latest").code == 1


def test_check_for_ci(cli: Cli, workdir: Path) -> None:
    example = cli("audit", "check")  # the seed's state, in mode live: its caps bind nothing
    assert example.code == 1 and "drill_failed: drill(s) failing: E" in example.out
    shutil.copy(PASSING_CONFIG, workdir / "config" / "config.toml")
    ok = cli("audit", "check")
    assert (ok.code, ok.out) == (0, "OK: config meets --expect blocked\n")
    risky = write(workdir / "risky.toml", toml_config(require_token=False))
    failed = cli("audit", "check", "--config", risky)
    assert failed.code == 1
    disarm = (
        'environment.mode = "paper" or environment.enable_live_trading = false or'
        " environment.live_mode_armed = false or environment.live_dry_run_mode = true"
    )
    kill_switch = workdir / "risk" / "kill_switch.toml"
    assert failed.out.splitlines() == [
        "FAIL: risky violates --expect blocked (5 problem(s))",
        f"  live_allowed: live execution is allowed; expected blocked (fix: {disarm})",
        "  config_armed: the config opens every gate it controls (armed): only a run-time token"
        f" stands between it and live orders (fix: {disarm})",
        "  drill_failed: drill(s) failing: E (fix: Peak_Trade's live path checks no cap"
        " (src/execution/live_session.py, LiveSessionRunner._build_pipeline): set"
        ' environment.mode = "paper" or "testnet" until it does)',
        "  confirm_token_not_required: mode is live but environment.require_confirm_token is"
        " false (fix: environment.require_confirm_token = true)",
        f"  kill_switch_missing: no kill switch: {kill_switch} does not exist, while mode is live"
        f" or the config is armed (fix: configure {kill_switch} with [kill_switch] enabled ="
        ' true and mode = "active")',
    ]
    assert cli("audit", "check", "--expect", "allowed").code == 1
    data = json.loads(cli("audit", "check", "--config", risky, "--format", "json").out)
    assert data["ok"] is False and len(data["violations"]) == 5


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["audit", "verify", "--archive-dir", "nope"], "nope: archive directory does not exist"),
        (["audit", "history", "--archive-dir", "nope"], "nope: archive directory does not exist"),
        (
            ["audit", "diff", "latest~1", "latest", "--archive-dir", "nope"],
            "nope: archive directory does not exist",
        ),
        (
            ["audit", "diff", "missing.json", "latest"],
            "missing.json: no such snapshot file or archive reference",
        ),
        (
            ["audit", "diff", "config/config.toml", "config/config.toml"],
            "config/config.toml: not a JSON audit snapshot",
        ),
        (["audit", "verify", "--head", "3:xyz"], "argument --head: expected SEQ:SHA256"),
        (["audit", "verify", "--public-key", "missing.pub"], "missing.pub: cannot read public key"),
        (
            ["audit", "verify", "--public-key", "config/config.toml"],
            "config/config.toml: not a PEM public key",
        ),
        (
            ["audit", "archive", "--sign-key", "config/config.toml"],
            "not an unencrypted PEM private key",
        ),
        (
            ["audit", "archive", "--archive-dir", "config/config.toml"],
            "exists and is not a directory",
        ),
        (["audit", "check", "--expect", "maybe"], "argument --expect: invalid choice"),
        (["audit", "keygen"], "the following arguments are required: --out"),
    ],
)
def test_bad_governance_input_is_exit_2(
    cli: Cli, workdir: Path, argv: list[str], message: str
) -> None:
    before = sorted(p.name for p in workdir.rglob("*"))
    result = cli(*argv)
    assert result.code == 2, result
    assert result.err.startswith("peak-trade: ") and result.err.count("\n") == 1
    assert message in result.err
    assert sorted(p.name for p in workdir.rglob("*")) == before


def test_archive_with_invalid_config_creates_nothing(cli: Cli, workdir: Path) -> None:
    bad = write(workdir / "bad.toml", "[environment]\nmode = 'LIVE'\n")
    result = cli("audit", "archive", "--config", bad)
    assert result.code == 2
    assert not (workdir / "audit").exists()


def test_diff_refs_beyond_the_archive(cli: Cli, workdir: Path) -> None:
    cli("audit", "archive")
    result = cli("audit", "diff", "latest~5", "latest")
    assert result.code == 2
    assert result.err == "peak-trade: latest~5: the archive holds only 1 snapshot(s)\n"


def test_keygen_refuses_to_overwrite(cli: Cli, workdir: Path) -> None:
    assert cli("audit", "keygen", "--out", "k.pem").code == 0
    again = cli("audit", "keygen", "--out", "k.pem")
    assert again.code == 2
    assert again.err == "peak-trade: k.pem: exists; refusing to overwrite without --force\n"
    assert cli("audit", "keygen", "--out", "k.pem", "--force").code == 0


@settings(max_examples=15)
@given(api_key=secrets_text, token=secrets_text, extra=secrets_text)
def test_no_secret_reaches_the_archive_or_any_governance_output(
    cli: Cli,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    api_key: str,
    token: str,
    extra: str,
) -> None:
    secrets = [api_key, token, extra]
    tmp = tmp_path_factory.mktemp("leak")
    config = tmp / "acct.toml"
    config.write_text(config_with_secrets(api_key, api_key, token, extra, extra))
    monkeypatch.setenv("PEAK_TRADE_CONFIRM_TOKEN", token)
    monkeypatch.setenv(ENV_CREDENTIAL, extra)
    archive_dir = str(tmp / "archive")
    results = [cli("audit", "archive", "--config", str(config), "--archive-dir", archive_dir)]
    _set(config, "live_mode_armed = false", "live_mode_armed = true")
    results += [
        cli("audit", "archive", "--config", str(config), "--archive-dir", archive_dir),
        cli("audit", "history", "--archive-dir", archive_dir),
        cli("audit", "history", "--archive-dir", archive_dir, "--format", "json"),
        cli("audit", "diff", "1", "2", "--archive-dir", archive_dir),
        cli("audit", "diff", "1", "2", "--archive-dir", archive_dir, "--format", "json"),
        cli("audit", "verify", "--archive-dir", archive_dir, "--format", "json"),
        cli("audit", "check", "--config", str(config), "--format", "json"),
        cli("audit", "fleet", str(config), "--format", "json"),
    ]
    # check and fleet: the inline credentials are a finding
    assert [r.code for r in results] == [0, 0, 0, 0, 1, 1, 0, 1, 1]
    for result in results:
        assert_no_leak(result.out, secrets, "stdout")
        assert_no_leak(result.err, secrets, "stderr")
    for path in (tmp / "archive").iterdir():
        assert_no_leak(path.read_text(), secrets, path.name)


def test_history_checks_signatures_with_the_public_key(
    cli: Callable[..., CliResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "config.toml", toml_config(mode="paper"))
    assert cli("audit", "keygen", "--out", "k").code == 0
    assert cli("audit", "keygen", "--out", "other").code == 0
    archived = cli(
        "audit", "archive", "--config", "config.toml", "--archive-dir", "arc", "--sign-key", "k"
    )
    assert archived.code == 0, archived.err
    unchecked = cli("audit", "history", "--archive-dir", "arc", "--format", "json")
    assert unchecked.code == 0 and json.loads(unchecked.out)[0]["signature"] == "unchecked"
    good = cli("audit", "history", "--archive-dir", "arc", "--public-key", "k.pub")
    assert good.code == 0, good.out
    bad = cli("audit", "history", "--archive-dir", "arc", "--public-key", "other.pub")
    assert bad.code == 1


def test_archive_notes_when_one_archive_changes_config_or_dialect(cli: Cli, workdir: Path) -> None:
    first = cli("audit", "archive")
    assert first.code == 0 and first.err == ""
    again = cli("audit", "archive")
    assert again.code == 0 and again.err == ""  # the same config: nothing to say
    other = write(workdir / "other.toml", toml_config(mode="paper"))
    moved = cli("audit", "archive", "--config", other)
    assert moved.code == 0
    assert moved.err == (
        "peak-trade: note: seq 2 of this archive audited config/config.toml (peak_trade); this"
        f" entry audits {other} (peak_trade): history and diff will compare the two as one"
        " system (one archive per config: --archive-dir)\n"
    )
    bot = write(
        workdir / "bot.json",
        '{"dry_run": true, "exchange": {"name": "binance"}, "stake_currency": "USDT"}',
    )
    switched = cli("audit", "archive", "--config", bot)
    assert switched.code == 0 and "(peak_trade); this entry audits" in switched.err
    assert switched.err.rstrip().endswith("--archive-dir)") and "(freqtrade)" in switched.err
