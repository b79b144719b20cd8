"""Hummingbot's assessment of one loaded instance: its gates (a connector that is not a
paper-trade one, and the keys it needs), no seed drills, and the facts the views report. Pure.

Each config that may run is judged on its own; when the files do not say which one runs, the
instance is as open as its most open candidate (fail closed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from peak_trade.core.caps import effective_caps
from peak_trade.core.facts import GateState
from peak_trade.core.loaded import LoadedConfig
from peak_trade.core.registry import CONFIG_INVALID_REMEDY, BlockerCode
from peak_trade.core.venues import REAL_REACH, OrdersReach, Venue
from peak_trade.dialects.hummingbot import runtime
from peak_trade.dialects.hummingbot.config import HummingbotFacts, facts_of
from peak_trade.live.assessment import Assessment, DialectReport
from peak_trade.live.drills import DrillRun
from peak_trade.live.safety import Blocker, EffectiveMode, Verdict

PAPER_GATE: Final = "paper_trade"
KEYS_GATE: Final = "connector_keys"
ALLOWED_REASON: Final = (
    "a live (or testnet) connector with its keys in conf/connectors/: the bot places real orders"
    " (on a testnet domain, test orders); only a start-time switch the files cannot show could"
    " change that"
)
#: how each way of choosing the config that runs is named in the verdict's reason
CHOSEN: Final = {
    "option": "named by --config",
    "data/bot/loaded.json": "loaded for hbot start (data/bot/loaded.json)",
    "the instance's only config": "the instance's only config",
    "unknown": "one of several configs; the files do not say which runs",
}
SAFETY_GUARANTEE: Final = (
    "not applicable: this bot has its own exchange connectors; see real_orders_possible"
)
DRILLS_NOT_APPLICABLE: Final = (
    "the seed's drills A-G exercise Peak_Trade's gates; not applicable to a Hummingbot instance"
)
REMEDY: Final = {
    BlockerCode.DRY_RUN_ACTIVE: "name a live connector (no _paper_trade suffix) in the config",
    BlockerCode.CREDENTIALS_MISSING: (
        "add the connector's keys with Hummingbot's `connect <connector>` (hbot connect), which"
        " encrypts them into conf/connectors/"
    ),
    BlockerCode.CONFIG_INVALID: CONFIG_INVALID_REMEDY,
}


def _plan_verdict(
    connectors: Sequence[str], venues: dict[str, Venue], config: str, chosen: str
) -> Verdict:
    reaches = [venues[n].orders_reach for n in connectors if n in venues]
    if not connectors:  # a script that chooses its connectors in code
        reaches = [OrdersReach.UNKNOWN]
    blockers: list[Blocker] = []
    if all(r is OrdersReach.SIMULATED for r in reaches):
        blockers.append(
            Blocker(
                code=BlockerCode.DRY_RUN_ACTIVE,
                gate=PAPER_GATE,
                message=f"{config}: every connector is a paper-trade connector: Hummingbot"
                " fills its orders in memory",
            )
        )
    missing = [
        n
        for n in connectors
        if runtime.needs_keys(n) and not any(c.present for c in venues[n].credentials)
    ]
    if missing:
        blockers.append(
            Blocker(
                code=BlockerCode.CREDENTIALS_MISSING,
                gate=KEYS_GATE,
                message=f"{config}: no keys in conf/connectors/ for {', '.join(missing)}:"
                " Hummingbot refuses to start a live connector without them",
            )
        )
    allowed = not blockers
    if all(r is OrdersReach.SIMULATED for r in reaches):
        mode = EffectiveMode.PAPER
    elif not allowed:
        mode = EffectiveMode.BLOCKED
    elif any(r in REAL_REACH for r in reaches):
        mode = EffectiveMode.LIVE
    else:
        mode = EffectiveMode.TESTNET
    how = CHOSEN.get(chosen, f"chosen by {chosen.removeprefix('env:')}")
    return Verdict(
        allowed=allowed,
        effective_mode=mode,
        blockers=tuple(blockers),
        allowed_reason=f"{config} ({how}): {ALLOWED_REASON}",
    )


_MODE_ORDER: Final = (
    EffectiveMode.PAPER,
    EffectiveMode.BLOCKED,
    EffectiveMode.TESTNET,
    EffectiveMode.LIVE,
)


def evaluate_gates(loaded: LoadedConfig) -> tuple[Verdict, bool]:
    """The instance's verdict and whether real orders can leave."""
    facts = facts_of(loaded)
    venues = {v.name: v for v in loaded.venues}
    verdicts = []
    real = False
    for config, connectors in zip(facts.configs, facts.plan_connectors, strict=True):
        names = list(connectors)
        if not names:
            names_for_reach = [n for n in venues if n.startswith("<")]
        else:
            names_for_reach = names
        verdict = _plan_verdict(names, venues, config, facts.selected_by)
        verdicts.append(verdict)
        real = real or (
            verdict.allowed
            and any(venues[n].orders_reach in REAL_REACH for n in names_for_reach if n in venues)
        )
    open_ones = [v for v in verdicts if v.allowed]
    if open_ones:
        worst = max(open_ones, key=lambda v: _MODE_ORDER.index(v.effective_mode))
        return worst, real
    blockers = tuple(dict.fromkeys(b for v in verdicts for b in v.blockers))
    mode = max((v.effective_mode for v in verdicts), key=_MODE_ORDER.index)
    return Verdict(allowed=False, effective_mode=mode, blockers=blockers), real


def armed(facts: HummingbotFacts, loaded: LoadedConfig) -> bool:
    """The files alone name a connector that is not a paper-trade one (its keys aside: they
    are often mounted at run time)."""
    return any(v.orders_reach not in _NO_ORDERS for v in loaded.venues)


#: venues whose orders go nowhere: paper-trade connectors, and the remote-control bridge
_NO_ORDERS: Final = frozenset({OrdersReach.SIMULATED, OrdersReach.NONE})


def assess(loaded: LoadedConfig, *, environment_id: str | None = None) -> Assessment:
    facts = facts_of(loaded)
    verdict, real = evaluate_gates(loaded)
    return Assessment(
        loaded=loaded,
        environment_id=environment_id or loaded.default_environment_id,
        verdict=verdict,
        config_armed=armed(facts, loaded),
        effective=effective_caps(loaded.caps),
        drills=DrillRun(executable=False, results=(), reason=DRILLS_NOT_APPLICABLE),
        real_orders_possible=real,
        report=DialectReport(
            gates=_gates(loaded, facts, verdict.closed_gates),
            remedies=tuple(REMEDY[b.code] for b in verdict.blockers),
            gating={"api_server_unprotected": facts.remote_control.unprotected},
            risk={},
            status={},
            safety_guarantee=SAFETY_GUARANTEE,
        ),
    )


def _gates(
    loaded: LoadedConfig, facts: HummingbotFacts, closed: frozenset[str]
) -> tuple[GateState, ...]:
    trading = [v for v in loaded.venues if v.orders_reach is not OrdersReach.NONE]
    connectors = ", ".join(v.name for v in trading) or "none"
    keyed = [v.name for v in trading if any(c.present for c in v.credentials)]
    return (
        GateState(
            gate="Connectors",
            key=", ".join(v.label or v.name for v in trading) or "connector keys",
            value=connectors,
            open=PAPER_GATE not in closed,
        ),
        GateState(
            gate="Connector keys",
            key="conf/connectors/*.yml",
            value=", ".join(keyed) if keyed else "none present",
            open=KEYS_GATE not in closed,
        ),
    )
