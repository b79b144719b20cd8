"""Properties of the gate evaluation: closing a gate never opens the system."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peak_trade.core.environment import EnvironmentConfig, TradingEnvironment
from peak_trade.core.secret import Secret
from peak_trade.errors import ConfigError
from peak_trade.live.safety import (
    BlockerCode,
    EffectiveMode,
    LiveExecutionBlocked,
    SafetyGuard,
    evaluate_gates,
)


@st.composite
def env_configs(draw: st.DrawFn) -> EnvironmentConfig:
    token_text = draw(st.text(min_size=1, max_size=20))
    digest_of = draw(st.sampled_from(["token", "other", "none"]))
    digest = {
        "token": Secret(hashlib.sha256(token_text.encode()).hexdigest()),
        "other": Secret(hashlib.sha256(b"something else").hexdigest()),
        "none": None,
    }[digest_of]
    return EnvironmentConfig(
        environment=draw(st.sampled_from(list(TradingEnvironment))),
        enable_live_trading=draw(st.booleans()),
        live_mode_armed=draw(st.booleans()),
        live_dry_run_mode=draw(st.booleans()),
        require_confirm_token=draw(st.booleans()),
        confirm_token_sha256=digest,
        confirm_token=draw(st.sampled_from([Secret(token_text), None])),
    )


def _replace(**changes: object) -> Callable[[EnvironmentConfig], EnvironmentConfig]:
    return lambda env: msgspec.structs.replace(env, **changes)


CLOSE_ONE_GATE: dict[str, Callable[[EnvironmentConfig], EnvironmentConfig]] = {
    "mode paper": _replace(environment=TradingEnvironment.PAPER),
    "mode testnet": _replace(environment=TradingEnvironment.TESTNET),
    "gate 1 off": _replace(enable_live_trading=False),
    "gate 2 off": _replace(live_mode_armed=False),
    "dry-run on": _replace(live_dry_run_mode=True),
    "token required": _replace(require_confirm_token=True),
    "token removed": _replace(confirm_token=None),
    "token wrong": _replace(confirm_token=Secret("definitely-not-it")),
    "digest removed": _replace(confirm_token_sha256=None),
}
# Closing one of these on an allowed system must block it (the token ones may be no-ops
# when the token is not required).
HARD_GATES = ("mode paper", "mode testnet", "gate 1 off", "gate 2 off", "dry-run on")


@given(env=env_configs(), gate=st.sampled_from(sorted(CLOSE_ONE_GATE)))
def test_closing_any_gate_never_turns_blocked_into_allowed(
    env: EnvironmentConfig, gate: str
) -> None:
    before = evaluate_gates(env)
    after = evaluate_gates(CLOSE_ONE_GATE[gate](env))
    if not before.allowed:
        assert not after.allowed
    if gate in HARD_GATES:
        assert not after.allowed

    # closing a gate never removes a blocker; token changes may only swap one token blocker
    # for another (missing / invalid / unverifiable)
    def non_token(codes: tuple[BlockerCode, ...]) -> set[BlockerCode]:
        return {c for c in codes if not c.value.startswith("confirm_token")}

    assert non_token(before.codes) <= non_token(after.codes)
    if gate in HARD_GATES:
        assert set(before.codes) <= set(after.codes)


@given(env=env_configs())
def test_allowed_means_no_blocker_and_effective_live(env: EnvironmentConfig) -> None:
    verdict = evaluate_gates(env)
    assert verdict.allowed == (not verdict.blockers)
    assert verdict.allowed == (verdict.effective_mode is EffectiveMode.LIVE)
    assert len(set(verdict.codes)) == len(verdict.codes)


@given(env=env_configs())
def test_guard_blocks_orders_exactly_when_effective_mode_is_blocked(env: EnvironmentConfig) -> None:
    guard = SafetyGuard(env)
    assert guard.env_config is env
    if guard.effective_mode is EffectiveMode.BLOCKED:
        with pytest.raises(LiveExecutionBlocked) as info:
            guard.ensure_may_place_order()
        assert info.value.blockers == guard.verdict.blockers
    else:
        assert guard.ensure_may_place_order() is guard.effective_mode


def test_guard_from_failed_load_blocks_with_config_invalid() -> None:
    guard = SafetyGuard(
        ConfigError("c.toml: environment.mode: must be one of paper, testnet, live")
    )
    assert guard.is_live_execution_allowed() is False
    assert guard.env_config is None  # nothing guessed in place of the failed config
    assert guard.effective_mode is EffectiveMode.BLOCKED
    assert guard.verdict.codes == (BlockerCode.CONFIG_INVALID,)
    assert guard.verdict.blockers[0].gate == "config"
    assert "environment.mode" in guard.verdict.reasons[0]
    with pytest.raises(LiveExecutionBlocked):
        guard.ensure_may_place_order()
