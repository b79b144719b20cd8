"""One assessment of one config: every derived fact, computed once. Pure.

`export`, `status`, `drills`, `check` and `fleet` read an `Assessment`; `history` and `diff`
read the snapshots built from one. `real_orders_possible`, `config_armed`, the effective caps
and the verdict exist here and nowhere else, so no two commands can disagree about them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import msgspec

from peak_trade.core.caps import EffectiveCaps, effective_caps
from peak_trade.core.config import LoadedConfig
from peak_trade.live.drills import DrillRun, run_drills
from peak_trade.live.execution import REAL_ORDER_TRANSPORT
from peak_trade.live.safety import SafetyGuard, Verdict, evaluate_bot_gates


class Assessment(msgspec.Struct, frozen=True, kw_only=True):
    loaded: LoadedConfig
    environment_id: str
    verdict: Verdict
    config_armed: bool
    effective: EffectiveCaps
    drills: DrillRun
    real_orders_possible: bool

    @property
    def limits_effective(self) -> bool:
        """Risk limits bind: enabled and blocking (not only warning)."""
        return self.loaded.risk.enabled and self.loaded.risk.block_on_violation


def assess(
    loaded: LoadedConfig,
    *,
    environment_id: str | None = None,
    scenario_ids: Sequence[str] | None = None,
) -> Assessment:
    """Gates, caps, drills and derived facts of one loaded config."""
    if loaded.bot is not None:
        return _assess_bot(loaded, environment_id)
    verdict = SafetyGuard(loaded.environment).verdict
    return Assessment(
        loaded=loaded,
        environment_id=environment_id or loaded.default_environment_id,
        verdict=verdict,
        config_armed=loaded.environment.is_armed(),
        effective=effective_caps(loaded.caps, loaded.bounded_live_enabled),
        drills=run_drills(loaded, scenario_ids=scenario_ids),
        # this build has no exchange transport: even an allowed verdict simulates
        real_orders_possible=REAL_ORDER_TRANSPORT and verdict.allowed,
    )


DRILLS_NOT_APPLICABLE: Final = (
    "the seed's drills A-G exercise Peak_Trade's gates; not applicable to a freqtrade config"
)


def _assess_bot(loaded: LoadedConfig, environment_id: str | None) -> Assessment:
    """A bot with its own exchange transport (freqtrade): it can send real orders."""
    bot = loaded.bot
    if bot is None:
        raise ValueError("not a bot dialect")
    verdict = evaluate_bot_gates(bot)
    return Assessment(
        loaded=loaded,
        environment_id=environment_id or loaded.default_environment_id,
        verdict=verdict,
        config_armed=bot.dry_run is False,
        effective=effective_caps(loaded.caps, False),
        drills=DrillRun(executable=False, results=(), reason=DRILLS_NOT_APPLICABLE),
        real_orders_possible=verdict.allowed and not bot.sandbox,
    )
