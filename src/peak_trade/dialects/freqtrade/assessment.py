"""freqtrade's assessment of one loaded config: its gates (dry_run, exchange credentials), no
seed drills, and the facts the views report in neutral form. Pure.

A freqtrade bot has its own exchange transport: when its gates are open, real orders leave unless
its order client talks to a sandbox (`config.py`'s sandbox rule).
"""

from __future__ import annotations

from typing import Final

from peak_trade.core.caps import effective_caps
from peak_trade.core.facts import GateState
from peak_trade.core.loaded import LoadedConfig
from peak_trade.core.registry import BlockerCode
from peak_trade.core.venues import REAL_REACH
from peak_trade.dialects.freqtrade.config import FreqtradeFacts, facts_of
from peak_trade.dialects.freqtrade.rows import REMEDY
from peak_trade.live.assessment import Assessment, DialectReport
from peak_trade.live.drills import DrillRun
from peak_trade.live.safety import Blocker, EffectiveMode, Verdict

DRY_RUN_GATE: Final = "dry_run"
CREDENTIALS_GATE: Final = "credentials"
ALLOWED_REASON: Final = (
    "dry_run=false and exchange credentials present: the bot places real orders"
    " (on a sandbox venue, test orders)"
)
#: the seed's guarantee is Peak_Trade's v1.0 build's; a bot with a transport has none
SAFETY_GUARANTEE: Final = (
    "not applicable: this bot has its own exchange transport; see real_orders_possible"
)
DRILLS_NOT_APPLICABLE: Final = (
    "the seed's drills A-G exercise Peak_Trade's gates; not applicable to a freqtrade config"
)
_DRY_RUN: Final = Blocker(
    code=BlockerCode.DRY_RUN_ACTIVE,
    gate=DRY_RUN_GATE,
    message="dry_run=true: the bot simulates every order (freqtrade)",
)
_CREDENTIALS: Final = Blocker(
    code=BlockerCode.CREDENTIALS_MISSING,
    gate=CREDENTIALS_GATE,
    message="No exchange key and secret (inline or FREQTRADE__EXCHANGE__KEY/SECRET): the bot"
    " cannot sign orders",
)


def evaluate_gates(facts: FreqtradeFacts) -> Verdict:
    """freqtrade's gates: dry-run, and credentials it can sign orders with."""
    blockers = []
    if facts.dry_run is not False:
        blockers.append(_DRY_RUN)
    if facts.credentials_present is not True:
        blockers.append(_CREDENTIALS)
    allowed = not blockers
    if facts.dry_run is not False:
        mode = EffectiveMode.PAPER
    else:
        mode = EffectiveMode.LIVE if allowed else EffectiveMode.BLOCKED
    return Verdict(
        allowed=allowed,
        effective_mode=mode,
        blockers=tuple(blockers),
        allowed_reason=ALLOWED_REASON,
    )


def assess(loaded: LoadedConfig, *, environment_id: str | None = None) -> Assessment:
    facts = facts_of(loaded)
    verdict = evaluate_gates(facts)
    return Assessment(
        loaded=loaded,
        environment_id=environment_id or loaded.default_environment_id,
        verdict=verdict,
        config_armed=facts.dry_run is False,
        effective=effective_caps(loaded.caps),
        drills=DrillRun(executable=False, results=(), reason=DRILLS_NOT_APPLICABLE),
        real_orders_possible=verdict.allowed
        and any(v.orders_reach in REAL_REACH for v in loaded.venues),
        report=DialectReport(
            gates=_gates(facts, verdict.closed_gates),
            remedies=tuple(REMEDY[b.code] for b in verdict.blockers),
            gating={"api_server_unprotected": facts.api_server_unprotected},
            risk={},
            status={},
            safety_guarantee=SAFETY_GUARANTEE,
        ),
    )


def _gates(facts: FreqtradeFacts, closed: frozenset[str]) -> tuple[GateState, ...]:
    source = f" ({facts.dry_run_variable})" if facts.dry_run_variable else ""
    return (
        GateState(
            gate="Dry-run",
            key=f"dry_run{source}",
            value=facts.dry_run,
            open=DRY_RUN_GATE not in closed,
        ),
        GateState(
            gate="Credentials",
            key="exchange.key + exchange.secret",
            value="present" if facts.credentials_present else "absent",
            open=CREDENTIALS_GATE not in closed,
        ),
    )
