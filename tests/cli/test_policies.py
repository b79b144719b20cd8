"""Policies that cannot be fooled (issue 12): each hole reproduced, each now a finding or a
refusal naming what to change."""

from __future__ import annotations

import json
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_CONFIG, CliResult, toml_config, write

Cli = Callable[..., CliResult]
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_an_armed_config_fails_check_without_a_token(cli: Cli, workdir: Path) -> None:
    armed = write(workdir / "armed.toml", toml_config())  # every gate the file controls open
    result = cli("audit", "check", "--config", armed)
    assert result.code == 1
    assert "config_armed: the config opens every gate it controls" in result.out
    assert "environment.live_mode_armed = false" in result.out  # the key that fixes it


def test_the_shipped_pre_commit_hook_fails_on_an_armed_config(cli: Cli, workdir: Path) -> None:
    hooks = (REPO / ".pre-commit-hooks.yaml").read_text()
    block = hooks.split("\n- id: peak-trade-audit-check\n", 1)[1].split("\n- id:", 1)[0]
    (entry,) = [
        line.split(":", 1)[1].strip()
        for line in block.splitlines()
        if line.strip().startswith("entry:")
    ]
    argv = shlex.split(entry)
    assert argv[0] == "peak-trade"
    (workdir / "config").mkdir()
    write(workdir / "config" / "config.toml", toml_config())
    assert cli(*argv[1:]).code == 1
    write(workdir / "config" / "config.toml", toml_config(mode="paper"))
    assert cli(*argv[1:]).code == 0


@pytest.mark.parametrize("command", ["check", "archive"])
def test_check_and_archive_refuse_the_embedded_default(
    cli: Cli, workdir: Path, command: str
) -> None:
    result = cli("audit", command)
    assert result.code == 2
    assert result.err.startswith(
        "peak-trade: no config at $PEAK_TRADE_CONFIG_PATH, else config/config.toml"
    )
    assert "--allow-default" in result.err
    assert not (workdir / "audit").exists()
    assert cli("audit", command, "--allow-default").code == 0


@pytest.mark.parametrize(
    ("risk", "code"),
    [
        ("enabled = false", "risk_limits_disabled"),
        ("block_on_violation = false", "risk_limits_warn_only"),
    ],
)
def test_weakened_limits_while_live_are_a_finding(
    cli: Cli, workdir: Path, risk: str, code: str
) -> None:
    if risk == "enabled = false":
        text = toml_config(dry_run=True, limits_enabled=False)
    else:
        text = toml_config(dry_run=True).replace("[live_risk]\n", f"[live_risk]\n{risk}\n")
    result = cli("audit", "check", "--config", write(workdir / "c.toml", text))
    assert result.code == 1
    assert f"  {code}: " in result.out


def test_an_inline_credential_is_a_finding(cli: Cli, workdir: Path) -> None:
    text = toml_config(mode="paper") + '\n[exchange.kraken]\napi_key = "abc123abc123"\n'
    result = cli("audit", "check", "--config", write(workdir / "c.toml", text))
    assert result.code == 1
    assert (
        "inline_credential: credential(s) stored in the config file: exchange.kraken.api_key"
        in (result.out)
    )
    assert "abc123" not in result.out


def test_diff_sees_a_venue_switched_to_mainnet(cli: Cli, workdir: Path) -> None:
    venue = (
        '\n[exchange.okx]\nenabled = true\nsandbox = true\nbase_url = "https://demo.okx.invalid"\n'
    )
    config = workdir / "c.toml"
    write(config, toml_config(mode="paper") + venue)
    old = cli("audit", "export", "--config", str(config), "--format", "json").out
    write(
        config,
        toml_config(mode="paper")
        + venue.replace("sandbox = true", "sandbox = false").replace("demo.okx", "www.okx"),
    )
    new = cli("audit", "export", "--config", str(config), "--format", "json").out
    assert (
        json.loads(old)["config"]["sha256_redacted"] != json.loads(new)["config"]["sha256_redacted"]
    )
    write(workdir / "old.json", old)
    write(workdir / "new.json", new)
    result = cli("audit", "diff", "old.json", "new.json")
    assert result.code == 1
    assert "# less safe: sandbox/testnet flag switched off; endpoint host changed" in result.out


def test_a_credential_becoming_present_is_less_safe(
    cli: Cli, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(
        workdir / "c.toml",
        toml_config(mode="paper") + '\n[exchange.okx]\napi_key_env_var = "OKX_TEST_KEY"\n',
    )
    write(workdir / "old.json", cli("audit", "export", "--config", config, "--format", "json").out)
    monkeypatch.setenv("OKX_TEST_KEY", "set-now")
    write(workdir / "new.json", cli("audit", "export", "--config", config, "--format", "json").out)
    result = cli("audit", "diff", "old.json", "new.json")
    assert result.code == 1
    assert "credential exchange.okx.api_key_env_var became present" in result.out
    assert "set-now" not in result.out


def test_the_seeds_weekly_move_can_be_adopted(cli: Cli, workdir: Path) -> None:
    (workdir / "config").mkdir()
    shutil.copy(EXAMPLE_CONFIG, workdir / "config" / "config.toml")
    (workdir / "audit" / "archive").mkdir(parents=True)
    assert cli("audit", "archive").code == 0
    exported = cli(
        "audit",
        "export",
        "--output-json",
        "audit/live_audit_20251207.json",
        "--output-markdown",
        "audit/live_audit_20251207.md",
    )
    assert exported.code == 0
    for suffix in ("json", "md"):  # the seed's `mv audit/live_audit_*.json audit/archive/`
        (workdir / "audit" / f"live_audit_20251207.{suffix}").rename(
            workdir / "audit" / "archive" / f"live_audit_20251207.{suffix}"
        )
    tampered = cli("audit", "verify")
    assert tampered.code == 1
    remedy = "peak-trade audit archive --adopt audit/archive/live_audit_20251207.json"
    assert f"{remedy})" in tampered.out
    # the remedy runs as printed, from the working directory
    adopted = cli(*shlex.split(remedy)[1:])
    assert adopted.code == 0 and adopted.out.startswith("adopted seq 2: live_audit_000002_")
    assert cli("audit", "verify").code == 0
    ledger = (workdir / "audit" / "archive" / "ledger.jsonl").read_text().splitlines()
    assert '"adopted":true' in ledger[1] and '"adopted"' not in ledger[0]
    # on a signed chain in another directory, the remedy names both
    assert cli("audit", "keygen", "--out", "k.pem").code == 0
    other = workdir / "elsewhere"
    assert cli("audit", "archive", "--archive-dir", str(other), "--sign-key", "k.pem").code == 0
    assert cli("audit", "export", "--output-json", str(other / "moved.json")).code == 0
    printed = cli("audit", "verify", "--archive-dir", str(other)).out
    signed_remedy = (
        f"peak-trade audit archive --archive-dir {other} --adopt {other / 'moved.json'}"
        " --sign-key KEYFILE"
    )
    assert f"{signed_remedy})" in printed
    argv = shlex.split(signed_remedy.replace("KEYFILE", "k.pem"))[1:]
    assert cli(*argv).code == 0
    assert (
        cli("audit", "verify", "--archive-dir", str(other), "--public-key", "k.pem.pub").code == 0
    )
    bad = write(workdir / "notes.json", '{"hello": 1}')
    refused = cli("audit", "archive", "--adopt", bad)
    assert refused.code == 2 and "not a JSON audit snapshot" in refused.err


@pytest.mark.parametrize(
    "argv", [["audit", "verify"], ["audit", "history"], ["audit", "diff", "latest~1", "latest"]]
)
def test_an_empty_archive_gives_one_answer(cli: Cli, workdir: Path, argv: list[str]) -> None:
    (workdir / "audit" / "archive").mkdir(parents=True)
    result = cli(*argv)
    assert (result.code, result.err) == (
        2,
        "peak-trade: audit/archive/ledger.jsonl: no ledger (nothing archived yet?)\n",
    )


def test_verify_says_when_signatures_were_not_checked(cli: Cli, workdir: Path) -> None:
    (workdir / "config").mkdir()
    shutil.copy(EXAMPLE_CONFIG, workdir / "config" / "config.toml")
    assert cli("audit", "keygen", "--out", "k.pem").code == 0
    assert cli("audit", "archive", "--sign-key", "k.pem").code == 0
    unsigned_try = cli("audit", "archive")
    assert unsigned_try.code == 2 and "the chain is signed (entry 1)" in unsigned_try.err
    result = cli("audit", "verify")
    assert "signatures: 1 entries signed, NOT checked (pass --public-key to check)" in result.out
    assert "signatures: checked" in cli("audit", "verify", "--public-key", "k.pem.pub").out


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", 0),  # an empty config: every default, paper
        ('[environment]\nmode = "paper"\n', 0),
        ('[environment]\nmode = "testnet"\n', 0),
        ('[environment]\nmode = "paper"\n[live_risk]\nenabled = false\n', 0),
        ('[environment]\nmode = "live"\n', 1),  # live-capable: drill E must prove its caps
    ],
)
def test_a_config_that_cannot_trade_passes_without_caps(
    cli: Callable[..., CliResult], tmp_path: Path, text: str, code: int
) -> None:
    path = write(tmp_path / "config.toml", text)
    result = cli("audit", "check", "--config", path)
    assert result.code == code, result.out
    if code:
        assert "drill_failed: drill(s) failing: E" in result.out


def test_an_armed_config_without_caps_still_fails_drill_e(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    text = toml_config(mode="paper").replace(
        "max_live_notional_per_order = 1000.0\nmax_live_notional_total = 5000.0\n", ""
    )
    path = write(tmp_path / "config.toml", text)
    assert "drill_failed" not in cli("audit", "check", "--config", path).out
    armed = write(tmp_path / "armed.toml", text.replace('mode = "paper"', 'mode = "live"'))
    assert "drill_failed: drill(s) failing: E" in cli("audit", "check", "--config", armed).out


@pytest.mark.parametrize(
    ("tables", "key"),
    [
        ('[exchange.kraken.sub]\napi_key = "AAAA1111"\n', "exchange.kraken.sub.api_key"),
        (
            '[[exchange.kraken.accounts]]\napi_secret = "BBBB2222"\n',
            "exchange.kraken.accounts[0].api_secret",
        ),
        ('[[exchange.accounts]]\npassphrase = "CCCC3333"\n', "exchange.accounts[0].passphrase"),
    ],
)
def test_a_credential_stored_deeper_in_a_venue_is_a_finding(
    cli: Callable[..., CliResult], tmp_path: Path, tables: str, key: str
) -> None:
    text = '[environment]\nmode = "paper"\n[exchange.kraken]\nenabled = true\n' + tables
    path = write(tmp_path / "config.toml", text)
    result = cli("audit", "check", "--config", path)
    assert (
        result.code == 1
        and f"inline_credential: credential(s) stored in the config file: {key}" in result.out
    )
    assert "1111" not in result.out and "2222" not in result.out and "3333" not in result.out


@pytest.mark.parametrize("value", ["sk_live_51Habc/def+xyz", "abc def", "1STARTS_WITH_DIGIT", "é"])
def test_a_secret_pasted_into_an_env_var_key_is_redacted_and_a_finding(
    cli: Callable[..., CliResult], tmp_path: Path, value: str
) -> None:
    text = f'[environment]\nmode = "paper"\n[exchange.kraken]\napi_key_env_var = "{value}"\n'
    path = write(tmp_path / "config.toml", text)
    check = cli("audit", "check", "--config", path)
    assert check.code == 1 and "exchange.kraken.api_key_env_var" in check.out
    exported = cli("audit", "export", "--config", path, "--format", "json").out
    assert value not in exported and value not in check.out


def test_a_variable_name_in_an_env_var_key_is_shown(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    text = '[environment]\nmode = "paper"\n[exchange.kraken]\napi_key_env_var = "KRAKEN_KEY"\n'
    path = write(tmp_path / "config.toml", text)
    assert cli("audit", "check", "--config", path).code == 0
    data = json.loads(cli("audit", "export", "--config", path, "--format", "json").out)
    venue = next(v for v in data["venues"] if v["name"] == "exchange.kraken")
    assert venue["credentials"] == [
        {"key": "exchange.kraken.api_key_env_var", "kind": "env_var", "present": False}
    ]
    assert "exchange.kraken.api_key_env_var" not in data["config"]["redacted_keys"]
