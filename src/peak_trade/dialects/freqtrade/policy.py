"""freqtrade's policy (DESIGN §8): the generic rules in freqtrade's words, plus its own: dry_run
off (whatever the credentials), an API server without a usable JWT secret, and while live an
unlimited stake or number of trades. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Final

from peak_trade.dialects.freqtrade.config import variable_setting
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


class FreqtradeRule(StrEnum):
    """Codes of the rules only freqtrade has (stable ids)."""

    DRY_RUN_OFF = "dry_run_off"
    API_SERVER_UNPROTECTED = "api_server_unprotected"
    UNLIMITED_STAKE_AMOUNT = "unlimited_stake_amount"
    UNLIMITED_MAX_OPEN_TRADES = "unlimited_max_open_trades"


def _dry_run_variable(snapshot: LiveAuditSnapshot) -> str | None:
    return variable_setting(("dry_run",), snapshot.config.env_overrides)


def _dry_run_fix(snapshot: LiveAuditSnapshot) -> str:
    variable = _dry_run_variable(snapshot)
    return 'set "dry_run": true' + (f" and remove {variable}" if variable else "")


def words(snapshot: LiveAuditSnapshot) -> PolicyWords:
    fix = _dry_run_fix(snapshot)
    return PolicyWords(
        live_allowed="the bot can trade live",
        blocked="the bot cannot trade live",
        disarm_fix=fix,
        disarm_keys=("dry_run",),
        real_orders="real orders are possible: live, credentials present, no sandbox",
        real_orders_fix=fix,
        inline_fix=("remove them; supply FREQTRADE__EXCHANGE__KEY and FREQTRADE__EXCHANGE__SECRET"),
    )


class DryRunOff:
    code = FreqtradeRule.DRY_RUN_OFF
    help = "dry_run is false: with credentials the bot sends real orders."

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        if expect is not Expectation.BLOCKED or not snapshot.gating.config_armed:
            return ()
        variable = _dry_run_variable(snapshot)
        source = f" ({variable} overrides the file)" if variable else ""
        message = f"dry_run is false{source}: with credentials the bot sends real orders"
        return (PolicyViolation(self.code, message, words.disarm_fix, ("dry_run",)),)


class ApiServerUnprotected:
    code = FreqtradeRule.API_SERVER_UNPROTECTED
    help = (
        "The REST API server is enabled without a usable jwt_secret_key (absent, a sample key or"
        " shorter than 32 characters)."
    )

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        if not snapshot.gating.api_server_unprotected:
            return ()
        return (
            PolicyViolation(
                self.code,
                "api_server is enabled without a usable jwt_secret_key (absent, a sample key"
                " from freqtrade's docs, or shorter than the 32 characters freqtrade asks for):"
                " anyone who guesses it can log into the bot",
                "set api_server.jwt_secret_key to a long random value (at least 32 characters)",
                ("api_server.jwt_secret_key",),
            ),
        )


class UnlimitedWhileLive:
    """While the bot trades live (dry_run off), a cap left at freqtrade's "no limit" value."""

    def __init__(self, code: FreqtradeRule, key: str) -> None:
        self.code, self._key = code, key
        self.help = f"While the bot trades live, {key} is left at freqtrade's unlimited value."

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        if not snapshot.gating.config_armed:
            return ()
        return tuple(
            PolicyViolation(
                self.code,
                f"{cap.key} is unlimited while the bot trades live",
                f"set {cap.key} to a number",
                (cap.key,),
            )
            for cap in snapshot.risk.limits
            if cap.unlimited and cap.key == self._key
        )


POLICY: Final = Policy(
    LiveAllowed(),
    DryRunOff(),
    ExpectedAllowed(),
    RealOrdersPossible(),
    InlineCredential(),
    ApiServerUnprotected(),
    UnlimitedWhileLive(FreqtradeRule.UNLIMITED_STAKE_AMOUNT, "stake_amount"),
    UnlimitedWhileLive(FreqtradeRule.UNLIMITED_MAX_OPEN_TRADES, "max_open_trades"),
)
