"""NautilusTrader's policy (DESIGN §10): the generic rules in its words, plus its own: the risk
engine bypassed (every pre-trade check and throttle skipped: a finding whatever is expected), an
execution client to a production venue (whatever the credentials), and a per-order notional cap
the engine does not apply while the node can trade live. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Final

from peak_trade.core.kinds import CapKind
from peak_trade.core.redaction import has_secret_name
from peak_trade.core.venues import REAL_REACH
from peak_trade.live.rules import (
    Expectation,
    ExpectedAllowed,
    InlineCredential,
    LiveAllowed,
    Policy,
    PolicyViolation,
    PolicyWords,
    RealOrdersPossible,
)
from peak_trade.live.snapshot import LiveAuditSnapshot


class NautilusRule(StrEnum):
    """Codes of the rules only NautilusTrader has (stable ids)."""

    RISK_CHECKS_BYPASSED = "risk_checks_bypassed"
    PRODUCTION_EXEC_CLIENT = "production_exec_client"
    NOTIONAL_CAP_NOT_ENFORCED = "notional_cap_not_enforced"


def _live_clients(snapshot: LiveAuditSnapshot) -> list[str]:
    return [v.name for v in snapshot.venues if v.orders_reach in REAL_REACH]


def words(snapshot: LiveAuditSnapshot) -> PolicyWords:
    live = _live_clients(snapshot)
    keys = tuple(live) or ("exec_clients",)
    fix = (
        "point each execution client at its adapter's test environment (its `environment`)"
        " or a SandboxExecutionClientConfig"
    )
    data_secrets = tuple(
        key
        for key in snapshot.config.redacted_keys
        if key.startswith("data_clients.") and has_secret_name(key.rsplit(".", 1)[-1])
    )
    return PolicyWords(
        live_allowed="the node can trade live",
        blocked="the node cannot trade live",
        disarm_fix=fix,
        disarm_keys=keys,
        real_orders="real orders are possible: a client reaches a production venue and can sign",
        real_orders_fix=fix,
        inline_fix="remove them; let the adapter read its environment variables instead",
        inline_extra=data_secrets,
    )


class RiskChecksBypassed:
    """`risk_engine.bypass = true`: the engine sends every order straight on (`risk/engine.pyx`
    `_handle_submit_order`), no check and no throttle. Whatever is expected: a deliberate live
    release without pre-trade checks is not safe either."""

    code = NautilusRule.RISK_CHECKS_BYPASSED

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        if snapshot.gating.risk_checks_bypassed is not True:
            return ()
        return (
            PolicyViolation(
                self.code,
                "risk_engine.bypass is true: every pre-trade risk check and both order-rate"
                " throttles are skipped",
                "set risk_engine.bypass = false",
                ("risk_engine.bypass",),
            ),
        )


class ProductionExecClient:
    """An execution client to a production venue (or one the file cannot prove is not), with
    or without credentials: the node is one variable away from real orders."""

    code = NautilusRule.PRODUCTION_EXEC_CLIENT

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        if expect is not Expectation.BLOCKED or not snapshot.gating.config_armed:
            return ()
        live = _live_clients(snapshot)
        message = (
            f"{', '.join(live)}: orders reach a production venue (or one the file cannot prove"
            " is not); with its credentials the node sends real orders"
        )
        return (PolicyViolation(self.code, message, words.disarm_fix, tuple(live)),)


class NotionalCapNotEnforced:
    """While the node can trade live, a `max_notional_per_order` the engine does not apply."""

    code = NautilusRule.NOTIONAL_CAP_NOT_ENFORCED

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        if not snapshot.gating.config_armed:
            return ()
        return tuple(
            PolicyViolation(
                self.code,
                f"{cap.key} is configured but not enforced: {cap.enforcement}",
                "cap orders where the engine applies it (a cash account, the Rust node) or in"
                " the strategy; do not count on this cap",
                (cap.key,),
            )
            for cap in snapshot.risk.limits
            if cap.kind is CapKind.PER_ORDER and cap.enforced is not True
        )


POLICY: Final = Policy(
    LiveAllowed(),
    ProductionExecClient(),
    ExpectedAllowed(),
    RealOrdersPossible(),
    InlineCredential(),
    RiskChecksBypassed(),
    NotionalCapNotEnforced(),
)
