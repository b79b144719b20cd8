"""All 288 gate combinations, decoded from TOML, against an oracle written from DESIGN.md §3."""

from __future__ import annotations

import hashlib
import itertools

import pytest

from peak_trade.dialects.peak_trade.config import decode_config
from peak_trade.live.safety import SafetyGuard, evaluate_gates, is_live_execution_allowed
from tests.conftest import toml_config

TOKEN = "valid-token-7f3a"
DIGEST = hashlib.sha256(TOKEN.encode()).hexdigest()
TOKENS = {"none": None, "valid": TOKEN, "invalid": "wrong-token-00"}

CASES = list(
    itertools.product(
        ("paper", "testnet", "live"),
        (False, True),  # enable_live_trading
        (False, True),  # live_mode_armed
        (False, True),  # live_dry_run_mode
        (False, True),  # require_confirm_token
        tuple(TOKENS),  # token supplied
        (False, True),  # digest configured
    )
)


def oracle(
    mode: str, gate1: bool, gate2: bool, dry: bool, require: bool, token: str, digest: bool
) -> tuple[bool, list[str], str]:
    """The specification, spelled out once more without the code under test."""
    codes = []
    if mode != "live":
        codes.append("mode_not_live")
    if not gate1:
        codes.append("gate1_disabled")
    if not gate2:
        codes.append("gate2_not_armed")
    if dry:
        codes.append("dry_run_active")
    if require:
        if token == "none":
            codes.append("confirm_token_missing")
        elif not digest:
            codes.append("confirm_token_unverifiable")
        elif token == "invalid":
            codes.append("confirm_token_invalid")
    allowed = not codes
    if mode == "paper":
        effective = "paper"
    elif mode == "testnet":
        effective = "testnet_dry_run"
    elif dry:
        effective = "live_dry_run"
    else:
        effective = "live" if allowed else "blocked"
    return allowed, codes, effective


Case = tuple[str, bool, bool, bool, bool, str, bool]


def case_config(case: Case) -> str:
    """The config text of one case (the token is supplied separately, at run time)."""
    mode, gate1, gate2, dry, require, _token, digest = case
    return toml_config(
        mode=mode,
        gate1=gate1,
        gate2=gate2,
        dry_run=dry,
        require_token=require,
        digest=DIGEST if digest else None,
    )


def test_case_count() -> None:
    assert len(CASES) == 288
    # the oracle allows exactly the fully open live states: token not required (3 tokens x 2
    # digests) plus token required with a valid token and a digest (1)
    assert sum(oracle(*case)[0] for case in CASES) == 7


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c)))
def test_gate_combination(case: Case) -> None:
    mode, gate1, gate2, dry, require, token, digest = case
    loaded = decode_config(
        case_config(case).encode(), origin="t.toml", token_from_env=TOKENS[token]
    )
    verdict = evaluate_gates(loaded.environment)
    want_allowed, want_codes, want_mode = oracle(*case)

    assert verdict.allowed is want_allowed
    assert [c.value for c in verdict.codes] == want_codes  # every blocker, in the stable order
    assert verdict.effective_mode.value == want_mode
    assert is_live_execution_allowed(loaded.environment)[0] is want_allowed
    guard = SafetyGuard(loaded.environment)
    assert guard.is_live_execution_allowed() is want_allowed
    assert guard.effective_mode.value == want_mode
    # the snapshot's token validity is reported whether or not the token is required
    want_valid = None if token == "none" or not digest else token == "valid"
    assert loaded.environment.confirm_token_valid is want_valid
    # one reason per blocker, never duplicated
    assert len(verdict.reasons) == len(set(verdict.reasons)) == max(1, len(want_codes))
