"""NautilusTrader's assessment of one loaded config: its gates, no seed drills, and the facts the
views report in neutral form. Pure.

A TradingNode has no dry-run switch: what sends orders is each execution client the node builds
(`live/node_builder.py` `build_exec_clients`). Live execution is allowed when some client reaches
a real venue (or one the files cannot prove is not real) and can sign orders there: its
credentials are in the file or in the variables its adapter reads (presence only).
"""

from __future__ import annotations

from typing import Final

from peak_trade.core.caps import effective_caps
from peak_trade.core.facts import GateState
from peak_trade.core.loaded import LoadedConfig
from peak_trade.core.registry import BlockerCode
from peak_trade.core.venues import REAL_REACH, OrdersReach, Venue
from peak_trade.dialects.nautilus.config import NautilusFacts, facts_of
from peak_trade.live.assessment import Assessment, DialectReport
from peak_trade.live.drills import DrillRun
from peak_trade.live.safety import Blocker, EffectiveMode, Verdict

CLIENTS_GATE: Final = "exec_clients"
CREDENTIALS_GATE: Final = "credentials"
ALLOWED_REASON: Final = (
    "an execution client reaches a production venue (or one the file cannot prove is not) and"
    " can sign orders there: the node places real orders (NautilusTrader has no dry-run switch)"
)
RUST_ALLOWED_REASON: Final = (
    "the Rust node builds its execution clients in code: nothing in this file keeps orders"
    " from a production venue (fail closed)"
)
SAFETY_GUARANTEE: Final = (
    "not applicable: a NautilusTrader node has its own venue clients; see real_orders_possible"
)
DRILLS_NOT_APPLICABLE: Final = (
    "the seed's drills A-G exercise Peak_Trade's gates; not applicable to a NautilusTrader config"
)
REMEDY_NO_CLIENT: Final = (
    "none needed for safety; to trade live the node needs an execution client to a production"
    " venue (exec_clients.NAME with its adapter's config)"
)


def _no_live_client(venues: tuple[Venue, ...]) -> Blocker:
    if not venues:
        why = "no execution client: the node sends no order"
    elif all(v.orders_reach is OrdersReach.SIMULATED for v in venues):
        why = "every execution client is simulated (Sandbox): no order leaves the node"
    elif any(v.orders_reach is OrdersReach.TEST for v in venues):
        why = "every execution client reaches a test environment (testnet, demo or paper)"
    else:
        why = "no execution client can send an order to a venue"
    return Blocker(code=BlockerCode.MODE_NOT_LIVE, gate=CLIENTS_GATE, message=why)


def _credentials_blocker(live: list[Venue]) -> Blocker:
    names = ", ".join(v.name for v in live)
    return Blocker(
        code=BlockerCode.CREDENTIALS_MISSING,
        gate=CREDENTIALS_GATE,
        message=f"no credentials for {names} (in the file or the variables its adapter reads):"
        " the node cannot sign orders",
    )


def _credentials_remedy(live: list[Venue]) -> str:
    wanted = [c.key for v in live for c in v.credentials if c.kind == "env_var" and not c.present]
    if wanted:
        return f"set {', '.join(dict.fromkeys(wanted))} in the node's environment"
    return "supply the client's credentials (preferably in the variables its adapter reads)"


def live_venues(loaded: LoadedConfig) -> list[Venue]:
    return [v for v in loaded.venues if v.orders_reach in REAL_REACH]


def evaluate_gates(loaded: LoadedConfig, facts: NautilusFacts) -> tuple[Verdict, tuple[str, ...]]:
    """The verdict and the remedy of each blocker."""
    live = live_venues(loaded)
    blockers: list[Blocker] = []
    remedies: list[str] = []
    if not live:
        blockers.append(_no_live_client(loaded.venues))
        remedies.append(REMEDY_NO_CLIENT)
        test = any(v.orders_reach is OrdersReach.TEST for v in loaded.venues)
        mode = EffectiveMode.TESTNET if test else EffectiveMode.PAPER
    else:
        signing = {c.name for c in facts.clients if c.signs is not False}
        if not any(v.name.removeprefix("exec_clients.") in signing for v in live) and not (
            facts.runtime == "rust"
        ):
            blockers.append(_credentials_blocker(live))
            remedies.append(_credentials_remedy(live))
        mode = EffectiveMode.BLOCKED if blockers else EffectiveMode.LIVE
    verdict = Verdict(
        allowed=not blockers,
        effective_mode=mode,
        blockers=tuple(blockers),
        allowed_reason=RUST_ALLOWED_REASON if facts.runtime == "rust" else ALLOWED_REASON,
    )
    return verdict, tuple(remedies)


def assess(loaded: LoadedConfig, *, environment_id: str | None = None) -> Assessment:
    facts = facts_of(loaded)
    verdict, remedies = evaluate_gates(loaded, facts)
    live = live_venues(loaded)
    return Assessment(
        loaded=loaded,
        environment_id=environment_id or loaded.default_environment_id,
        verdict=verdict,
        config_armed=bool(live),
        effective=effective_caps(loaded.caps),
        drills=DrillRun(executable=False, results=(), reason=DRILLS_NOT_APPLICABLE),
        real_orders_possible=verdict.allowed and bool(live),
        report=DialectReport(
            gates=_gates(loaded, facts, verdict.closed_gates),
            remedies=remedies,
            gating={
                "nautilus_version": facts.version,
                "risk_checks_bypassed": facts.bypass,
            },
            risk={},
            status={},
            safety_guarantee=SAFETY_GUARANTEE,
        ),
    )


def _gates(
    loaded: LoadedConfig, facts: NautilusFacts, closed: frozenset[str]
) -> tuple[GateState, ...]:
    clients = ", ".join(
        f"{v.name.removeprefix('exec_clients.')} {v.orders_reach.value}" for v in loaded.venues
    )
    live = live_venues(loaded)
    if facts.runtime == "rust":
        signs = "in code (not in the file)"
    elif not live:
        signs = "not needed (no client to a real venue)"
    else:
        signs = "present" if CREDENTIALS_GATE not in closed else "absent"
    version = facts.version or "not told by a Rust LiveNodeConfig"
    return (
        GateState(
            gate="Execution clients",
            key=f"exec_clients (NautilusTrader {version})",
            value=clients or "none",
            open=CLIENTS_GATE not in closed,
        ),
        GateState(
            gate="Credentials",
            key="exec_clients.*.config, else the adapters' variables",
            value=signs,
            open=CREDENTIALS_GATE not in closed,
        ),
        # open: nothing stands between the strategy and the venue (no check, no throttle)
        GateState(
            gate="Risk checks bypassed",
            key="risk_engine.bypass",
            value=facts.bypass,
            open=facts.bypass,
        ),
    )
