"""Strict, fail-closed config decoding: what decodes, what does not, and what the error says."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from peak_trade.core.environment import TradingEnvironment
from peak_trade.dialects.peak_trade.config import EMBEDDED_DEFAULT, decode_config, load_config
from peak_trade.errors import ConfigError
from peak_trade.files import MAX_CONFIG_BYTES
from peak_trade.live.safety import EffectiveMode, evaluate_gates
from tests.conftest import EXAMPLE_CONFIG, EXAMPLE_TOKEN, toml_config

HEX64 = "ab" * 32

# (config text, fragment the one-line message must contain)
BAD_CONFIGS: list[tuple[str, str]] = [
    (
        '[environment]\nenable_live_trading = "false"',
        "environment.enable_live_trading: expected bool, got str",
    ),
    (
        "[environment]\nenable_live_trading = 1",
        "environment.enable_live_trading: expected bool, got integer",
    ),
    (
        "[environment]\nlive_mode_armed = [true]",
        "environment.live_mode_armed: expected bool, got array",
    ),
    (
        "[environment]\nlive_dry_run_mode = 0",
        "environment.live_dry_run_mode: expected bool, got integer",
    ),
    (
        '[environment]\nrequire_confirm_token = "true"',
        "environment.require_confirm_token: expected bool",
    ),
    (
        '[environment]\nmode = "LIVE"',
        "environment.mode: must be one of paper, testnet, live (mode is lowercase: write 'live')",
    ),
    ('[environment]\nmode = "prod"', "environment.mode: must be one of paper, testnet, live"),
    ("[environment]\nmode = 1", "environment.mode: expected str, got integer"),
    ("[environment]\nmode = 1979-05-27", "environment.mode: expected str, got"),
    (
        "[environment]\nenable_live = true",
        "environment.enable_live: unknown key (known keys: mode, enable_live_trading",
    ),
    ("[live_risk]\nmax_notional = 1.0", "live_risk.max_notional: unknown key"),
    (
        "[live_risk]\nmax_live_notional_per_order = -1.0",
        "live_risk.max_live_notional_per_order: expected number >= 0",
    ),
    (
        "[live_risk]\nmax_live_notional_total = -inf",
        "live_risk.max_live_notional_total: expected number >= 0",
    ),
    ("[live_risk]\nmax_live_notional_per_order = nan", "live_risk.max_live_notional_per_order"),
    (
        "[live_risk]\nmax_live_notional_total = inf",
        "live_risk.max_live_notional_total: must be a finite number, got inf",
    ),
    (
        '[live_risk]\nlive_trade_min_size = "10"',
        "live_risk.live_trade_min_size: expected number, got str",
    ),
    (
        "[live_risk]\nmax_live_notional_per_order = 6000.0\nmax_live_notional_total = 5000.0",
        "live_risk.max_live_notional_per_order (6000.0) exceeds"
        " live_risk.max_live_notional_total (5000.0)",
    ),
    (
        "[live_risk]\nmax_order_notional = 1000.0\nlive_trade_min_size = 2000.0",
        "live_risk.live_trade_min_size (2000.0) exceeds live_risk.max_order_notional (1000.0):"
        " no order could pass",
    ),
    ('[live_risk]\nenabled = "yes"', "live_risk.enabled: expected bool, got str"),
    (
        '[live_risk]\nbase_currency = "eur"',
        "live_risk.base_currency: expected an upper-case currency code",
    ),
    (
        '[environment]\nconfirm_token_sha256 = "abc"',
        "environment.confirm_token_sha256: expected a SHA-256 hex digest",
    ),
    (
        f'[environment]\nconfirm_token_sha256 = "{"zz" * 32}"',
        "environment.confirm_token_sha256: expected a SHA-256 hex digest",
    ),
    ("[environment]\nconfirm_token_sha256 = 123", "environment.confirm_token_sha256: expected str"),
    (
        "[environment]\nconfirm_token = 12345",
        "environment.confirm_token: expected str, got integer",
    ),
    ("environment = 5", "environment: expected table, got integer"),
    ('live_risk = "strict"', "live_risk: expected table, got str"),
    ("[[environment]]\nmode = 'live'", "environment: expected table, got array"),
    ("[environment\nmode = 'live'", "invalid TOML"),
    ("[environment]\nmode = 'live'\nmode = 'paper'", "invalid TOML"),
    ("[environment]\nmode = ", "invalid TOML"),
]


@pytest.mark.parametrize(("text", "fragment"), BAD_CONFIGS)
def test_bad_config_is_a_config_error_naming_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        decode_config(text.encode(), origin="bad.toml")
    message = str(info.value)
    assert message.startswith("bad.toml: ")
    assert fragment in message
    assert "\n" not in message
    assert "`" not in message  # msgspec's markup is rewritten, not passed through


def test_table_has_at_least_25_cases() -> None:
    assert len(BAD_CONFIGS) >= 25


def test_non_utf8_bytes_name_the_offset() -> None:
    with pytest.raises(ConfigError, match=r"bad.toml: not valid UTF-8 \(byte 0xff at offset 14\)"):
        decode_config(b"[environment]\n\xff", origin="bad.toml")


def test_missing_keys_take_the_safe_values() -> None:
    loaded = decode_config(b"", origin="empty.toml")
    env = loaded.environment
    assert env.mode is TradingEnvironment.PAPER
    assert (env.enable_live_trading, env.live_mode_armed) == (False, False)
    assert env.live_dry_run_mode is True
    assert env.require_confirm_token is True
    assert loaded.risk.enabled is True
    assert loaded.limits_source == "not_set"  # no cap in the file: nothing is invented
    assert loaded.caps == ()
    assert loaded.risk.max_live_notional_per_order is None
    assert evaluate_gates(env).allowed is False


def test_int_limits_are_accepted_as_numbers() -> None:
    loaded = decode_config(b"[live_risk]\nmax_live_notional_per_order = 100", origin="c.toml")
    assert loaded.risk.max_live_notional_per_order == 100.0
    assert loaded.limits_source == "c.toml"


def test_unknown_top_level_tables_are_allowed() -> None:
    loaded = decode_config(b"[strategy]\nname = 'ma_cross'\nwindow = 20\n", origin="c.toml")
    assert loaded.redacted["strategy"] == {"name": "ma_cross", "window": 20}


def test_uppercase_digest_is_accepted() -> None:
    text = toml_config(digest=HEX64.upper())
    loaded = decode_config(text.encode(), origin="c.toml")
    assert loaded.environment.confirm_token_sha256 is not None


def test_token_from_environment_wins_over_config_key() -> None:
    text = toml_config(extra="").replace(
        "[live_risk]", 'confirm_token = "from-file"\n\n[live_risk]'
    )
    loaded = decode_config(text.encode(), origin="c.toml", token_from_env=EXAMPLE_TOKEN)
    assert loaded.environment.confirm_token_valid is True
    from_file = decode_config(text.encode(), origin="c.toml")
    assert from_file.environment.confirm_token_present is True
    assert from_file.environment.confirm_token_valid is False


def test_empty_token_counts_as_absent() -> None:
    loaded = decode_config(toml_config().encode(), origin="c.toml", token_from_env="")
    assert loaded.environment.confirm_token_present is False


def test_example_config_is_the_seed_state() -> None:
    loaded = load_config(str(EXAMPLE_CONFIG), environ={"PEAK_TRADE_CONFIRM_TOKEN": EXAMPLE_TOKEN})
    env = loaded.environment
    assert env.mode is TradingEnvironment.LIVE
    assert (env.enable_live_trading, env.live_mode_armed, env.live_dry_run_mode) == (
        True,
        False,
        True,
    )
    assert env.require_confirm_token is True
    assert env.confirm_token_valid is True
    risk = loaded.risk
    assert (
        risk.max_live_notional_per_order,
        risk.max_live_notional_total,
        risk.live_trade_min_size,
    ) == (1000.0, 5000.0, 10.0)
    verdict = evaluate_gates(env)
    assert verdict.effective_mode is EffectiveMode.LIVE_DRY_RUN
    assert [c.value for c in verdict.codes] == ["gate2_not_armed", "dry_run_active"]
    assert loaded.default_environment_id == "config"
    assert loaded.limits_source == "config.toml"


class TestLoading:
    def test_missing_explicit_file(self, tmp_path: Path) -> None:
        path = tmp_path / "nope.toml"
        with pytest.raises(ConfigError, match="nope.toml: config file not found$"):
            load_config(str(path), environ={})

    def test_directory(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match="is a directory, not a config file$"):
            load_config(str(tmp_path), environ={})

    def test_too_large(self, tmp_path: Path) -> None:
        path = tmp_path / "big.toml"
        path.write_bytes(b"#" * (MAX_CONFIG_BYTES + 1))
        with pytest.raises(ConfigError, match="larger than"):
            load_config(str(path), environ={})

    def test_default_path_falls_back_to_embedded_default(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        loaded = load_config(None, environ={})
        assert loaded.source == "embedded-default"
        assert loaded.path is None
        assert loaded.default_environment_id == loaded.limits_source == EMBEDDED_DEFAULT
        assert evaluate_gates(loaded.environment).effective_mode is EffectiveMode.PAPER

    def test_embedded_default_still_sees_the_token(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        loaded = load_config(None, environ={"PEAK_TRADE_CONFIRM_TOKEN": "t"})
        assert loaded.environment.confirm_token_present is True

    def test_default_path_is_used_when_present(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        (tmp_path / "config").mkdir()
        (tmp_path / "config" / "config.toml").write_text('[environment]\nmode = "testnet"\n')
        monkeypatch.chdir(tmp_path)
        loaded = load_config(None, environ={})
        assert loaded.source == "file"
        assert loaded.path == os.path.join("config", "config.toml")
        assert loaded.environment.mode is TradingEnvironment.TESTNET

    def test_broken_default_path_is_an_error_not_the_embedded_default(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        (tmp_path / "config").mkdir()
        (tmp_path / "config" / "config.toml").write_text("[environment\n")
        monkeypatch.chdir(tmp_path)
        with pytest.raises(ConfigError, match="invalid TOML"):
            load_config(None, environ={})
