"""Which NautilusTrader settings evidence which regulatory control (DESIGN §11). Pure data and
the judges that need NautilusTrader's own rules; docs/nautilus.md cites the code.

A node's pre-trade controls are its risk engine's (`risk/engine.pyx`, `RiskEngine`): a
per-instrument notional cap (enforced only where `config.py` says so: not on a margin account
of the Python engine, not while bypassed) and the submit and modify throttles. A default the
engine applies when the file sets no rate (100 per second) is no evidence: only what a file
configures is. Everything else a control asks for has no setting in the node's config.
"""

from __future__ import annotations

from typing import Any, Final

from peak_trade.core.keys import key_parts
from peak_trade.core.kinds import CapKind
from peak_trade.core.loaded import LoadedConfig
from peak_trade.live.controls import (
    ABSENT,
    ACCESS_CONTROL,
    CREDIT_THRESHOLDS,
    DUPLICATE_ORDERS,
    EXECUTION_THROTTLE,
    KILL_FUNCTIONALITY,
    MAX_MESSAGE_RATE,
    MAX_ORDER_VALUE,
    MAX_ORDER_VOLUME,
    NOT_APPLICABLE,
    POST_TRADE_CONTROLS,
    PRESENT,
    PRICE_COLLAR,
    REAL_TIME_ALERTS,
)
from peak_trade.live.evidence import (
    EvidenceTable,
    Facts,
    Judgement,
    Location,
    NotExpressible,
)

_MISSING: Final = object()


def _lookup(data: Any, key: str) -> Any:
    node = data
    for part in key_parts(key):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def locate(loaded: LoadedConfig, key: str, source: str | None) -> Location | None:
    """The one file a node config is (its keys may be quoted): where the key is set, or None."""
    for info in loaded.files:
        if _lookup(info.redacted, key) is not _MISSING:
            return Location(key=key, file=info.path)
    return None


class CapsInFile:
    """Present when a cap of one of these kinds is set in the file and enforced by the engine."""

    def __init__(self, kinds: tuple[CapKind, ...], fix_key: str, fix: str) -> None:
        self.kinds, self.fix_key, self.fix = kinds, fix_key, fix

    def judge(self, facts: Facts) -> Judgement:
        found: list[Location] = []
        reasons: list[str] = []
        for cap in facts.loaded.caps:
            if cap.kind not in self.kinds:
                continue
            where = facts.locate(cap.key)
            if where is None:
                reasons.append(f"{cap.key} is not in the file (the engine's default applies)")
            elif cap.enforced is not True:
                reasons.append(f"{cap.key} is not enforced: {cap.enforcement}")
            else:
                found.append(where)
        if found:
            return Judgement(status=PRESENT, evidence=tuple(found), note="; ".join(reasons) or None)
        return Judgement(
            status=ABSENT,
            keys=(facts.place(self.fix_key),),
            fix=self.fix,
            note="; ".join(reasons) or f"{self.fix_key} is not set",
        )


class NoRemoteInterface:
    """A node's config opens no remote control interface (it is driven by its own code)."""

    def judge(self, facts: Facts) -> Judgement:
        return Judgement(
            status=NOT_APPLICABLE,
            note="a NautilusTrader node's config opens no remote control interface",
        )


EVIDENCE: Final = EvidenceTable(
    {
        KILL_FUNCTIONALITY: NotExpressible(
            "NautilusTrader's config has no kill switch: stopping the node, or"
            " RiskEngine.set_trading_state(HALTED) at run time, is the operator's switch"
        ),
        PRICE_COLLAR: NotExpressible(
            "the risk engine checks an order's price for its instrument's precision and sign,"
            " no band the config sets"
        ),
        MAX_ORDER_VALUE: CapsInFile(
            (CapKind.PER_ORDER,),
            "risk_engine.max_notional_per_order",
            "set risk_engine.max_notional_per_order for each instrument traded, on a cash"
            " account (the Python engine skips it on a margin account) or on the Rust node",
        ),
        MAX_ORDER_VOLUME: NotExpressible(
            "no per-order quantity setting: the engine checks only the instrument's own"
            " max_quantity, which the venue defines"
        ),
        MAX_MESSAGE_RATE: CapsInFile(
            (CapKind.ORDER_RATE,),
            "risk_engine.max_order_submit_rate",
            "set risk_engine.max_order_submit_rate and max_order_modify_rate"
            " (limit/HH:MM:SS); the engine's default of 100 per second is no evidence",
        ),
        EXECUTION_THROTTLE: NotExpressible(
            "nothing in the config latches trading off after repeated executions"
        ),
        CREDIT_THRESHOLDS: NotExpressible(
            "no exposure or capital threshold in the config; on a cash account the engine"
            " checks the free balance, which no setting changes"
        ),
        DUPLICATE_ORDERS: NotExpressible(
            "the engine refuses a duplicate client order id whatever the config (even"
            " bypassed): no setting"
        ),
        REAL_TIME_ALERTS: NotExpressible("the audit reads no alerting setting of a node"),
        POST_TRADE_CONTROLS: NotExpressible(
            "no loss limit in the config; a strategy or controller in code may stop trading"
        ),
        ACCESS_CONTROL: NoRemoteInterface(),
    },
    locate=locate,
)
