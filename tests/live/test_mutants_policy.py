"""Policy rules at their exact boundaries (the second hostile round, item 9): tests that kill
the mutants `scripts/mutate.py` left alive in `live/rules.py` and the dialects' policies. Each
asserts the contract (an oracle written here from the rule's own words), never a copied value."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from peak_trade.dialects.peak_trade.config import decode_config
from peak_trade.live.audit import LiveAuditSnapshot, LiveAuditVersions, audit_loaded_config
from peak_trade.live.policy import check_snapshot
from peak_trade.live.rules import (
    Expectation,
    PolicyViolation,
    PolicyWords,
    check_payload,
)
from tests.conftest import EXAMPLE_TOKEN, CliResult, toml_config, write

Cli = Callable[..., CliResult]
VERSIONS = LiveAuditVersions(peak_trade="t", python="3", git_commit=None)


def snap(token: str | None = EXAMPLE_TOKEN, **changes: Any) -> LiveAuditSnapshot:
    loaded = decode_config(toml_config(**changes).encode(), origin="c.toml", token_from_env=token)
    return audit_loaded_config(loaded, timestamp_utc="2025-12-07T12:00:00+00:00", versions=VERSIONS)


WORDS = PolicyWords(
    live_allowed="l",
    blocked="b",
    disarm_fix="d",
    disarm_keys=("k",),
    real_orders="r",
    real_orders_fix="f",
    inline_fix="i",
)


# --------------------------------------------------------------------------- values


def test_a_violation_and_the_words_are_immutable_values() -> None:
    """Violations are shared between the report, SARIF and JSON: nobody may change one."""
    violation = PolicyViolation("c", "m", "f", ("k",))
    with pytest.raises(AttributeError):
        violation.message = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        WORDS.disarm_fix = "changed"  # type: ignore[misc]
    assert hash(violation) == hash(PolicyViolation("c", "m", "f", ("k",)))


def test_words_are_given_by_name_never_by_position() -> None:
    """Seven strings in a row are easy to swap; the words are keyword-only."""
    with pytest.raises(TypeError):
        PolicyWords("l", "b", "d", ("k",), "r", "f", "i")  # type: ignore[call-arg]


# --------------------------------------------------------------------------- check payload


@pytest.mark.parametrize("expect", list(Expectation))
def test_the_payload_is_ok_exactly_when_nothing_is_violated(expect: Expectation) -> None:
    snapshot = snap(mode="paper", gate1=False, gate2=False, dry_run=True)
    assert check_payload(snapshot, expect, ())["ok"] is True
    one = (PolicyViolation("c", "m"),)
    payload = check_payload(snapshot, expect, one)
    assert payload["ok"] is False and payload["violations"] == one
    assert payload["expect"] == expect.value
    assert payload["environment_id"] == snapshot.environment_id


def test_check_json_says_ok_as_the_exit_code_does(cli: Cli, tmp_path: Path) -> None:
    closed = write(tmp_path / "closed.toml", toml_config(mode="paper", gate1=False, gate2=False))
    armed = write(tmp_path / "armed.toml", toml_config())
    for path in (closed, armed):
        result = cli("audit", "check", "--config", path, "--format", "json")
        payload = json.loads(result.out)
        assert payload["ok"] is (result.code == 0) is (payload["violations"] == [])
    assert (
        json.loads(cli("audit", "check", "--config", armed, "--format", "json").out)["ok"] is False
    )


# --------------------------------------------------------------------------- freqtrade's policy


def bot_snapshot(
    tmp_path: Path,
    *,
    dry_run: bool,
    credentials: str,
    sandbox: bool,
    unlimited: bool,
    api_open: bool,
) -> LiveAuditSnapshot:
    """A freqtrade bot; `credentials` is "none", "inline" or "env" (key and secret)."""
    from peak_trade.dialects.freqtrade.config import load

    exchange: dict[str, Any] = {"name": "binance"}
    environ = {}
    if credentials == "inline":
        exchange |= {"key": "k-not-a-real-key", "secret": "s-not-a-real-secret"}
    elif credentials == "env":
        environ = {"FREQTRADE__EXCHANGE__KEY": "k-x", "FREQTRADE__EXCHANGE__SECRET": "s-x"}
    if sandbox:
        exchange["ccxt_config"] = {"options": {"sandbox": True}}
    data: dict[str, Any] = {
        "dry_run": dry_run,
        "stake_currency": "USDT",
        "exchange": exchange,
        "stake_amount": "unlimited" if unlimited else 10,
        "max_open_trades": -1 if unlimited else 3,
        "api_server": {"enabled": api_open},
    }
    path = write(tmp_path / "bot.json", json.dumps(data))
    from peak_trade.dialects import assess
    from peak_trade.live.snapshot import snapshot_of

    assessment = assess(load([path], environ))
    return snapshot_of(assessment, timestamp_utc="2025-12-07T12:00:00+00:00", versions=VERSIONS)


def bot_oracle(
    expect: Expectation,
    *,
    dry_run: bool,
    credentials: str,
    sandbox: bool,
    unlimited: bool,
    api_open: bool,
) -> list[str]:
    """freqtrade's rules, in report order, from their own descriptions: live needs dry_run off
    and a key and secret; real orders need live and no sandbox."""
    live = not dry_run and credentials != "none"
    blocked = expect is Expectation.BLOCKED
    rules = [
        ("live_allowed", blocked and live),
        ("dry_run_off", blocked and not dry_run),
        ("live_blocked", not blocked and not live),
        ("real_orders_possible", blocked and live and not sandbox),
        ("inline_credential", credentials == "inline"),
        ("api_server_unprotected", api_open),  # enabled, and no jwt_secret_key at all
        ("unlimited_stake_amount", not dry_run and unlimited),
        ("unlimited_max_open_trades", not dry_run and unlimited),
    ]
    return [code for code, fires in rules if fires]


@pytest.mark.parametrize("expect", list(Expectation))
@pytest.mark.parametrize("dry_run", [False, True])
@pytest.mark.parametrize("credentials", ["none", "inline", "env"])
@pytest.mark.parametrize("sandbox", [False, True])
def test_freqtrades_policy_fires_exactly_as_its_rules_say(
    tmp_path: Path, expect: Expectation, dry_run: bool, credentials: str, sandbox: bool
) -> None:
    for unlimited, api_open in ((False, False), (True, True)):
        facts = {
            "dry_run": dry_run,
            "credentials": credentials,
            "sandbox": sandbox,
            "unlimited": unlimited,
            "api_open": api_open,
        }
        snapshot = bot_snapshot(tmp_path, **facts)  # type: ignore[arg-type]
        codes = [v.code for v in check_snapshot(snapshot, expect)]
        assert codes == bot_oracle(expect, **facts), facts  # type: ignore[arg-type]


# --------------------------------------------------------------------------- Peak_Trade's policy


def _without(text: str, *keys: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith(keys)) + "\n"


@pytest.mark.parametrize("mode", ["live", "testnet"])
@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("blocks", [True, False])
@pytest.mark.parametrize("per_order", [True, False])
@pytest.mark.parametrize("total", [True, False])
def test_a_failing_drill_e_names_the_first_thing_that_lets_an_order_through(
    mode: str, enabled: bool, blocks: bool, per_order: bool, total: bool
) -> None:
    """Drill E (an oversized order is refused) fails while no enforced per-order or total cap
    binds. In mode live that is always so: Peak_Trade's live path checks no cap, and the fix
    says so before anything else (nothing in [live_risk] can help). A testnet config is not
    live-capable: E failing for want of caps is no finding there (nothing to protect)."""
    extra = "" if blocks else "block_on_violation = false\n"
    text = toml_config(mode=mode, limits_enabled=enabled, extra=extra)
    dropped = [k for k, keep in (("max_order_notional", per_order),) if not keep]
    dropped += [k for k, keep in (("max_total_exposure_notional", total),) if not keep]
    text = _without(text, *dropped) if dropped else text
    loaded = decode_config(text.encode(), origin="c.toml", token_from_env=EXAMPLE_TOKEN)
    snapshot = audit_loaded_config(loaded, timestamp_utc="2025-12-07T12:00:00Z", versions=VERSIONS)
    failed = {v.code: v for v in check_snapshot(snapshot, Expectation.BLOCKED)}
    e = next(r for r in snapshot.drills.results if r.id == "E")
    if mode == "testnet":
        # Peak_Trade's total cap sees one order: E never passes, and a config that cannot
        # trade live has nothing the missing total cap could protect (no finding)
        assert e.passed is False
        assert "drill_failed" not in failed
        return
    assert e.passed is False  # whatever [live_risk] says
    violation = failed["drill_failed"]
    assert violation.message == "drill(s) failing: E"
    assert violation.keys == ("environment.mode",)
    assert violation.fix.startswith("Peak_Trade's live path checks no cap")
