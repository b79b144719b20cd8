"""The dialect is the unit of extension: one list, one interface, rules as objects."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from peak_trade import dialects
from peak_trade.dialects import DIALECT_NAMES, DIALECTS, detect, file_patterns, interface, named
from peak_trade.errors import ConfigError
from peak_trade.live.rules import Expectation, Policy, PolicyViolation
from tests.conftest import toml_config


def test_the_one_list_names_each_dialect_once() -> None:
    assert DIALECT_NAMES == tuple(d.name for d in DIALECTS)
    assert len(set(DIALECT_NAMES)) == len(DIALECT_NAMES)
    assert dialects.HINT.endswith("use --dialect " + "|".join(DIALECT_NAMES))
    assert file_patterns() == tuple(dict.fromkeys(p for d in DIALECTS for p in d.file_patterns))
    for dialect in DIALECTS:
        assert named(dialect.name) is dialect
    with pytest.raises(ConfigError, match="unknown dialect 'zorro'"):
        named("zorro")


def test_every_dialect_implements_the_interface() -> None:
    wanted = {
        name for name, member in inspect.getmembers(interface.Dialect) if not name.startswith("_")
    }
    for dialect in DIALECTS:
        missing = {name for name in wanted if not hasattr(dialect, name)}
        assert not missing, (dialect.name, missing)


def test_detection_follows_the_list() -> None:
    assert detect("a.toml", b"[environment]\nmode = 'paper'\n").name == "peak_trade"
    assert detect("b.json", b'{"dry_run": true, "stake_currency": "USDT"}').name == "freqtrade"
    with pytest.raises(ConfigError, match="cannot tell which system"):
        detect("c.json", b'{"name": "x"}')
    with pytest.raises(ConfigError, match="cannot tell which system"):
        detect("d.json", b"{ not json")


def test_an_empty_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="would pass everything"):
        Policy()


def test_rule_codes_are_unique_and_stable_per_dialect() -> None:
    for dialect in DIALECTS:
        codes = dialect.policy().codes
        assert len(codes) == len(set(codes)), dialect.name
        assert {"live_allowed", "live_blocked", "real_orders_possible", "inline_credential"} <= set(
            codes
        )


def test_a_violation_names_the_keys_that_fix_it(tmp_path: Path) -> None:
    # an armed Peak_Trade config: the rule names the gates that disarm it, as data
    from peak_trade.live.snapshot import LiveAuditVersions, snapshot_of

    (tmp_path / "config.toml").write_text(toml_config())
    loaded = dialects.load([str(tmp_path / "config.toml")], environ={})
    versions = LiveAuditVersions(peak_trade="0", python="3", git_commit=None)
    snapshot = snapshot_of(dialects.assess(loaded), timestamp_utc="t", versions=versions)
    violations = (
        named("peak_trade")
        .policy()
        .check(snapshot, Expectation.BLOCKED, named("peak_trade").policy_words(snapshot))
    )
    armed = [v for v in violations if v.code == "config_armed"]
    assert armed and "environment.enable_live_trading" in armed[0].keys
    assert all(isinstance(v, PolicyViolation) for v in violations)


@pytest.mark.parametrize(
    ("raw", "claimed"),
    [
        (b"[environment]\nmode = 'paper'\n", True),
        (b"# a comment\n\nmode = 1\n", True),
        (b'a . "b c" = 1\n', True),
        (b"", True),  # an empty file: every default
        (b"toybot mode=live\n", False),  # another system's file is left to its dialect
        (b'{"a": 1}', False),
    ],
)
def test_peak_trade_claims_only_toml(raw: bytes, claimed: bool) -> None:
    assert named("peak_trade").claims("x", raw) is claimed


def test_a_dialect_report_naming_an_unknown_snapshot_field_is_a_bug(tmp_path: Path) -> None:
    import msgspec

    from peak_trade.live.snapshot import LiveAuditVersions, snapshot_of

    (tmp_path / "config.toml").write_text(toml_config(mode="paper"))
    assessment = dialects.assess(dialects.load([str(tmp_path / "config.toml")], environ={}))
    typo = msgspec.structs.replace(
        assessment,
        report=msgspec.structs.replace(
            assessment.report, gating={**assessment.report.gating, "config_armd": True}
        ),
    )
    versions = LiveAuditVersions(peak_trade="0", python="3", git_commit=None)
    with pytest.raises(ValueError, match="config_armd"):
        snapshot_of(typo, timestamp_utc="t", versions=versions)
