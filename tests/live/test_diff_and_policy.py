"""Diff judges each change; the policy check lists every violated expectation."""

from __future__ import annotations

from typing import Any

import pytest

from peak_trade.dialects.peak_trade.config import decode_config
from peak_trade.live.audit import LiveAuditSnapshot, LiveAuditVersions, audit_loaded_config
from peak_trade.live.diff import Risk, diff_snapshots
from peak_trade.live.policy import Expectation, check_snapshot
from tests.conftest import EXAMPLE_TOKEN, toml_config

VERSIONS = LiveAuditVersions(peak_trade="t", python="3", git_commit=None)
# the closed baseline: live mode, both gates closed, dry-run on, token required (and supplied)
BASE: dict[str, Any] = {"mode": "live", "gate1": False, "gate2": False, "dry_run": True}


def snap(
    stamp: str = "2025-12-07T12:00:00+00:00", token: str | None = EXAMPLE_TOKEN, **changes: Any
) -> LiveAuditSnapshot:
    text = toml_config(**{**BASE, **changes})
    loaded = decode_config(text.encode(), origin="c.toml", token_from_env=token)
    return audit_loaded_config(loaded, timestamp_utc=stamp, versions=VERSIONS)


LESS_SAFE = {
    "gate 1 opens": {"gate1": True},
    "gate 2 opens": {"gate2": True},
    "dry-run off": {"dry_run": False},
    "token no longer required": {"require_token": False},
    "per-order limit raised": {"per_order": 2000.0},
    "total limit raised": {"total": 9000.0},
    "min size lowered": {"min_size": 1.0},
    "limits disabled": {"limits_enabled": False},
}
NOT_LESS_SAFE = {
    "per-order limit lowered": {"per_order": 500.0},
    "total limit lowered": {"total": 2000.0},
    "min size raised": {"min_size": 50.0},
    "mode to paper": {"mode": "paper"},
}


@pytest.mark.parametrize("name", sorted(LESS_SAFE))
def test_each_loosening_alone_is_less_safe(name: str) -> None:
    diff = diff_snapshots(snap(), snap("2025-12-08T12:00:00+00:00", **LESS_SAFE[name]))
    assert diff.less_safe, name
    assert diff.summary().startswith("LESS SAFE:")


@pytest.mark.parametrize("name", sorted(NOT_LESS_SAFE))
def test_tightening_is_not_less_safe(name: str) -> None:
    diff = diff_snapshots(snap(), snap(**NOT_LESS_SAFE[name]))
    assert diff.changes
    assert not diff.less_safe, [c for c in diff.changes if c.risk is Risk.LESS_SAFE]
    assert diff.summary().startswith("NOT LESS SAFE:")


def test_identical_snapshots() -> None:
    diff = diff_snapshots(snap(), snap())
    assert diff.changes == ()
    assert diff.summary() == "NO CHANGE: the snapshots agree"


def test_a_new_timestamp_alone_is_no_change() -> None:
    diff = diff_snapshots(snap(), snap("2026-01-01T00:00:00+00:00"))
    assert diff.changes == ()
    assert diff.summary() == "NO CHANGE: the snapshots agree"


def test_opening_every_gate_turns_the_verdict() -> None:
    opened = snap(gate1=True, gate2=True, dry_run=False)
    diff = diff_snapshots(snap(), opened)
    risky = {(c.section, c.key) for c in diff.less_safe}
    assert {
        ("safety", "is_live_execution_allowed"),
        ("gating", "effective_mode"),
        ("safety", "blockers"),
    } <= risky
    blockers = next(c for c in diff.changes if c.key == "blockers")
    assert (
        blockers.old == ["gate1_disabled", "gate2_not_armed", "dry_run_active"]
        and blockers.new == []
    )


def test_a_drill_turning_failing_is_less_safe() -> None:
    import msgspec

    before = snap()
    results = list(before.drills.results)
    results[1] = msgspec.structs.replace(results[1], passed=False)
    after = msgspec.structs.replace(
        before, drills=msgspec.structs.replace(before.drills, results=tuple(results))
    )
    diff = diff_snapshots(before, after)
    (change,) = diff.less_safe
    assert (change.key, change.why) == ("results", "drill(s) no longer passing: B")


class TestPolicy:
    def test_a_closed_paper_or_testnet_config_meets_blocked(self) -> None:
        assert check_snapshot(snap(mode="paper"), Expectation.BLOCKED) == ()
        assert check_snapshot(snap(mode="testnet"), Expectation.BLOCKED) == ()

    def test_a_closed_live_config_fails_on_caps_its_live_path_never_checks(self) -> None:
        (violation,) = check_snapshot(snap(), Expectation.BLOCKED)
        assert (violation.code, violation.keys) == ("drill_failed", ("environment.mode",))
        assert "live path checks no cap" in violation.fix

    def test_every_violation_is_listed(self) -> None:
        risky = snap(
            gate1=True, gate2=True, dry_run=False, require_token=False, limits_enabled=False
        )
        codes = [v.code for v in check_snapshot(risky, Expectation.BLOCKED)]
        assert codes == [
            "live_allowed",
            "config_armed",
            "drill_failed",
            "risk_limits_disabled",
            "confirm_token_not_required",
        ]

    def test_allowed_expectation(self) -> None:
        opened = snap(gate1=True, gate2=True, dry_run=False)
        # a deliberate live release is still told that its caps bind nothing
        assert [v.code for v in check_snapshot(opened, Expectation.ALLOWED)] == ["drill_failed"]
        violation, drill = check_snapshot(snap(), Expectation.ALLOWED)
        assert (violation.code, drill.code) == ("live_blocked", "drill_failed")
        assert "gate1_disabled, gate2_not_armed, dry_run_active" in violation.message
