"""Hummingbot's policy: the generic rules in Hummingbot's words, plus its own: a live connector
named (whatever the keys), a live-capable instance without a kill switch that stops losses, and
remote control over MQTT without broker credentials. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Final

from peak_trade.core.venues import OrdersReach
from peak_trade.dialects.hummingbot.config import KILL_SWITCH_KEY, stops_losses
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

DISARM_FIX: Final = (
    "name only paper-trade connectors (<exchange>_paper_trade) in the config that runs"
)
KILL_SWITCH_FIX: Final = (
    "set kill_switch_mode: {kill_switch_rate: -5} (a loss from start, in percent) in"
    " conf/conf_client.yml"
)
MQTT_KEYS: Final = ("client.mqtt_bridge.mqtt_username", "client.mqtt_bridge.mqtt_password")


class HummingbotRule(StrEnum):
    """Codes of the rules only Hummingbot has (stable ids)."""

    LIVE_CONNECTOR = "live_connector"
    KILL_SWITCH_MISSING = "kill_switch_missing"
    REMOTE_CONTROL_UNPROTECTED = "remote_control_unprotected"


_NO_ORDERS: Final = frozenset({OrdersReach.SIMULATED, OrdersReach.NONE})


def _live_keys(snapshot: LiveAuditSnapshot) -> tuple[str, ...]:
    return tuple(v.label or v.name for v in snapshot.venues if v.orders_reach not in _NO_ORDERS)


def words(snapshot: LiveAuditSnapshot) -> PolicyWords:
    return PolicyWords(
        live_allowed="the bot can trade live",
        blocked="the bot cannot trade live",
        disarm_fix=DISARM_FIX,
        disarm_keys=_live_keys(snapshot),
        real_orders="real orders are possible: a live connector with its keys",
        real_orders_fix=DISARM_FIX,
        inline_fix=(
            "delete them and add the keys with Hummingbot's `connect` command, which encrypts"
            " them with the keystore password"
        ),
    )


class LiveConnector:
    """`--expect blocked`, and the config that may run names a connector that is not a
    paper-trade one: with its keys the bot sends orders (the keys are often mounted at run
    time, so their absence here proves nothing)."""

    code = HummingbotRule.LIVE_CONNECTOR

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        if expect is not Expectation.BLOCKED or not snapshot.gating.config_armed:
            return ()
        names = [v.name for v in snapshot.venues if v.orders_reach not in _NO_ORDERS]
        message = (
            f"the config names connector(s) that are not paper-trade ones ({', '.join(names)}):"
            " with their keys the bot sends orders to them"
        )
        return (PolicyViolation(self.code, message, DISARM_FIX, _live_keys(snapshot)),)


class KillSwitchMissing:
    """A live-capable instance whose kill switch does not stop a loss: off, unreadable, a rate
    of 0 (never triggers) or a positive rate (a profit target only)."""

    code = HummingbotRule.KILL_SWITCH_MISSING

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        ks = snapshot.kill_switch
        if not snapshot.gating.config_armed or stops_losses(ks):
            return ()
        if ks is None or not ks.enabled:
            why = f"kill_switch_mode is off ({ks.source if ks else 'conf/conf_client.yml'})"
        else:
            rate = next((t.threshold for t in ks.triggers), None)
            why = (
                "kill_switch_rate is 0: the kill switch never triggers"
                if rate == 0
                else f"kill_switch_rate is {rate:g} %: it stops only a profit, never a loss"
            )
        message = f"{why}, while the config names a live connector"
        return (
            PolicyViolation(self.code, message, KILL_SWITCH_FIX, (f"client.{KILL_SWITCH_KEY}",)),
        )


class RemoteControlUnprotected:
    code = HummingbotRule.REMOTE_CONTROL_UNPROTECTED

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        if not snapshot.gating.api_server_unprotected:
            return ()
        return (
            PolicyViolation(
                self.code,
                "mqtt_bridge starts with the bot and takes commands (mqtt_autostart and"
                " mqtt_commands true) without a broker username and password: whoever can"
                " publish to that broker can start, stop, import and configure the bot",
                "set mqtt_bridge.mqtt_username and mqtt_password (and mqtt_ssl: true), or"
                " mqtt_commands: false",
                MQTT_KEYS,
            ),
        )


POLICY: Final = Policy(
    LiveAllowed(),
    LiveConnector(),
    ExpectedAllowed(),
    RealOrdersPossible(),
    InlineCredential(),
    KillSwitchMissing(),
    RemoteControlUnprotected(),
)
