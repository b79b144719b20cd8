"""freqtrade's gates, exhaustively against an independent oracle (DESIGN §8)."""

from __future__ import annotations

import itertools

import pytest

from peak_trade.core.registry import BlockerCode
from peak_trade.dialects.freqtrade.assessment import ALLOWED_REASON as BOT_ALLOWED_REASON
from peak_trade.dialects.freqtrade.assessment import evaluate_gates as evaluate_bot_gates
from peak_trade.dialects.freqtrade.config import FreqtradeFacts as BotFacts
from peak_trade.live.safety import EffectiveMode


def oracle(dry_run: bool, credentials: bool) -> tuple[bool, str, list[str]]:
    """Written from the contract, not from the code: live needs dry_run off AND credentials."""
    blockers = [
        code
        for code, closed in (("dry_run_active", dry_run), ("credentials_missing", not credentials))
        if closed
    ]
    if dry_run:
        mode = "paper"
    elif credentials:
        mode = "live"
    else:
        mode = "blocked"
    return (not blockers, mode, blockers)


@pytest.mark.parametrize(
    ("dry_run", "credentials", "sandbox", "api"),
    list(itertools.product([False, True], repeat=4)),
)
def test_every_combination_matches_the_oracle(
    dry_run: bool, credentials: bool, sandbox: bool, api: bool
) -> None:
    facts = BotFacts(
        dry_run=dry_run,
        dry_run_variable=None,
        credentials_present=credentials,
        sandbox=sandbox,
        api_server_unprotected=api,
    )
    verdict = evaluate_bot_gates(facts)
    allowed, mode, codes = oracle(dry_run, credentials)
    assert verdict.allowed is allowed
    assert verdict.effective_mode == mode
    assert [c.value for c in verdict.codes] == codes
    assert verdict.reasons == ((BOT_ALLOWED_REASON,) if allowed else verdict.reasons)
    if not allowed:
        assert len(verdict.reasons) == len(codes)
    gates = {b.gate for b in verdict.blockers}
    assert ("dry_run" in gates) is dry_run and ("credentials" in gates) is (not credentials)


@pytest.mark.parametrize("dry_run", [None, 0, 1, "false"])
def test_anything_but_exactly_false_keeps_the_dry_run_gate_closed(dry_run: object) -> None:
    facts = BotFacts(
        dry_run=dry_run,  # type: ignore[arg-type]
        dry_run_variable=None,
        credentials_present=True,
        sandbox=False,
        api_server_unprotected=False,
    )
    verdict = evaluate_bot_gates(facts)
    assert verdict.allowed is False
    assert verdict.codes == (BlockerCode.DRY_RUN_ACTIVE,)
    assert verdict.effective_mode is EffectiveMode.PAPER


@pytest.mark.parametrize("credentials", [None, 1, "yes"])
def test_anything_but_exactly_true_means_no_credentials(credentials: object) -> None:
    facts = BotFacts(
        dry_run=False,
        dry_run_variable=None,
        credentials_present=credentials,  # type: ignore[arg-type]
        sandbox=False,
        api_server_unprotected=False,
    )
    verdict = evaluate_bot_gates(facts)
    assert verdict.codes == (BlockerCode.CREDENTIALS_MISSING,)
    assert verdict.effective_mode is EffectiveMode.BLOCKED
