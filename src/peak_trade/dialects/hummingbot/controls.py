"""Which Hummingbot settings evidence which regulatory control (DESIGN §11). Data and the
judges that need Hummingbot's own rules; docs/controls.md lists the rows.

A cap evidences a control when `config.py` reports it enforced, set in a file (a default
Hummingbot applies when the key is absent is no evidence: its `source` then names the default,
not a file) and not at its "off" value (`-1` for a price band: reported unlimited). The kill
switch is `kill_switch_mode` in conf_client.yml (`ClientConfigMap.validate_kill_switch_mode`):
present only when it is enabled with a negative rate (a rate of 0 never triggers, a positive
one never stops a loss). The remote interface is the MQTT bridge (`remote_iface/mqtt.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from peak_trade.core.caps import ConfiguredCap
from peak_trade.core.kinds import CapKind
from peak_trade.dialects.hummingbot.config import facts_of
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
from peak_trade.live.evidence import EvidenceTable, Facts, Judgement, Location, NotExpressible

KILL_SWITCH_KEY: Final = "kill_switch_mode"


def key_in_file(key: str) -> str:
    """The key path as its file spells it: the report's `client.` or `<kind>.<config>.` prefix
    (which config file holds it) dropped."""
    head, _, rest = key.partition(".")
    if head == "client":
        return rest
    return rest.partition(".")[2] or key


def _from_file(cap: ConfiguredCap) -> bool:
    """Set in a file: a default Hummingbot applies names its config class, not a file."""
    return bool(cap.source) and not (cap.source or "").startswith("default")


class CapsOfKind:
    """Present when a cap of one of `kinds` is enforced, set in a file and not at its off
    value; else absent, naming `key` (where to set one) and `fix`."""

    def __init__(
        self, kinds: Sequence[CapKind], key: str, fix: str, note: str | None = None
    ) -> None:
        self._kinds, self._key, self._fix, self._note = frozenset(kinds), key, fix, note

    def judge(self, facts: Facts) -> Judgement:
        found = [
            Location(key=key_in_file(cap.key), file=cap.source)
            for cap in facts.loaded.caps
            if cap.kind in self._kinds
            and cap.enforced is True
            and not cap.unlimited
            and _from_file(cap)
        ]
        if found:
            return Judgement(status=PRESENT, evidence=tuple(found), note=self._note)
        unenforced = [
            f"{c.key}: {c.enforcement}"
            for c in facts.loaded.caps
            if c.kind in self._kinds and c.enforced is not True
        ]
        return Judgement(
            status=ABSENT,
            keys=(Location(key=self._key, file=None),),
            fix=self._fix,
            note="; ".join(unenforced) or self._note,
        )


class KillSwitch:
    """Art. 12: `kill_switch_mode` enabled with a negative rate."""

    def judge(self, facts: Facts) -> Judgement:
        ks = facts.loaded.kill_switch
        rate = next((t.threshold for t in ks.triggers), None) if ks is not None else None
        if ks is not None and ks.protects and rate is not None and rate < 0:
            return Judgement(
                status=PRESENT,
                evidence=(Location(key=KILL_SWITCH_KEY, file=ks.source),),
                note="it measures the loss since the bot started, not a drawdown from a peak",
            )
        return Judgement(
            status=ABSENT,
            keys=(Location(key=KILL_SWITCH_KEY, file=ks.source if ks else None),),
            fix="set kill_switch_mode: {kill_switch_rate: -N} in conf/conf_client.yml",
            note=None if ks is None else ks.problem,
        )


class MqttAccess:
    """Art. 18: the MQTT bridge, when it starts with the bot and takes commands, connects with
    a username and a password; no bridge started: not applicable."""

    def judge(self, facts: Facts) -> Judgement:
        remote = facts_of(facts.loaded).remote_control
        if not (remote.autostart and remote.commands):
            return Judgement(
                status=NOT_APPLICABLE,
                note="the MQTT bridge does not start with the bot, or takes no commands",
            )
        source = next(
            (f.path for f in facts.loaded.files if f.path.endswith("conf_client.yml")), None
        )
        if remote.unprotected:
            return Judgement(
                status=ABSENT,
                keys=(Location(key="mqtt_bridge.mqtt_username", file=source),),
                fix="set mqtt_bridge.mqtt_username and mqtt_password in conf/conf_client.yml",
            )
        return Judgement(
            status=PRESENT,
            evidence=(
                Location(key="mqtt_bridge.mqtt_username", file=source),
                Location(key="mqtt_bridge.mqtt_password", file=source),
            ),
        )


EVIDENCE: Final = EvidenceTable(
    {
        KILL_FUNCTIONALITY: KillSwitch(),
        PRICE_COLLAR: CapsOfKind(
            (CapKind.PRICE_CEILING, CapKind.PRICE_FLOOR),
            "price_ceiling",
            "set price_ceiling and price_floor in the strategy config",
        ),
        MAX_ORDER_VALUE: NotExpressible(
            "Hummingbot sizes each order in base units (order_amount): no per-order notional cap"
        ),
        MAX_ORDER_VOLUME: CapsOfKind(
            (CapKind.ORDER_SIZE,), "order_amount", "set order_amount in the strategy config"
        ),
        MAX_MESSAGE_RATE: CapsOfKind(
            (CapKind.RATE_SHARE,),
            "rate_limits_share_pct",
            "set rate_limits_share_pct in conf/conf_client.yml",
            note="a share of the venue's API rate limits: it paces every request, orders too",
        ),
        EXECUTION_THROTTLE: CapsOfKind(
            (CapKind.COOLDOWN, CapKind.EXECUTORS_PER_SIDE),
            "cooldown_time",
            "set cooldown_time (and max_executors_per_side) in the controller config",
        ),
        CREDIT_THRESHOLDS: CapsOfKind(
            (CapKind.BALANCE_LIMIT, CapKind.BUDGET),
            "balance_asset_limit",
            "set balance_asset_limit in conf/conf_client.yml, or total_amount_quote (V2)",
        ),
        DUPLICATE_ORDERS: NotExpressible("Hummingbot has no duplicate-order setting"),
        REAL_TIME_ALERTS: NotExpressible(
            "the audit reads no alerting setting of Hummingbot's (its notifiers are not judged)"
        ),
        POST_TRADE_CONTROLS: CapsOfKind(
            (CapKind.DRAWDOWN,),
            "max_global_drawdown_quote",
            "set max_global_drawdown_quote in the V2 script config",
        ),
        ACCESS_CONTROL: MqttAccess(),
    }
)
