"""One assessment of one config: every derived fact, computed once. Pure.

`export`, `status`, `drills`, `check` and `fleet` read an `Assessment`; `history` and `diff`
read the snapshots built from one. `real_orders_possible`, `config_armed`, the effective caps
and the verdict exist here and nowhere else, so no two commands can disagree about them.

Each dialect computes its assessment (`peak_trade.dialects.assess` dispatches); what differs
between systems reaches the views as neutral facts in `DialectReport`, never as a branch on the
dialect's name.
"""

from __future__ import annotations

from typing import Any

import msgspec

from peak_trade.core.caps import EffectiveCaps
from peak_trade.core.facts import GateState
from peak_trade.core.loaded import LoadedConfig
from peak_trade.live.drills import DrillRun
from peak_trade.live.safety import Verdict


class DialectReport(msgspec.Struct, frozen=True, kw_only=True):
    """What one dialect says about one config, in neutral terms.

    `gates`: its gates as the operator sees them. `remedies`: what clears each blocker of the
    verdict, in the same order. `gating` and `risk`: the snapshot fields of those sections this
    dialect sets (every other field is null: it does not apply). `status`: the status fields
    only some dialects have (a confirm token, ...). `safety_guarantee`: the sentence the
    snapshot's `safety_guarantee_v1_0` carries.
    """

    gates: tuple[GateState, ...]
    remedies: tuple[str, ...]
    gating: dict[str, Any]
    risk: dict[str, Any]
    status: dict[str, bool | None]
    safety_guarantee: str


class Assessment(msgspec.Struct, frozen=True, kw_only=True):
    loaded: LoadedConfig
    environment_id: str
    verdict: Verdict
    config_armed: bool
    effective: EffectiveCaps
    drills: DrillRun
    real_orders_possible: bool
    report: DialectReport
