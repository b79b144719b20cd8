"""Which freqtrade settings evidence which regulatory control (DESIGN §11). Pure data and the
judges that need freqtrade's own rules; docs/controls.md argues each row.

Read from freqtrade's code (docs/freqtrade.md cites the loader): every cap freqtrade reads it
applies, so a cap evidences a control when it is set in a file (or a `FREQTRADE__…` variable)
and not at freqtrade's "no limit" value; a value freqtrade applies when the key is absent
(`custom_price_max_distance_ratio` 0.02, `tradable_balance_ratio` 0.99) is no evidence. The RPC
modules start only when their table says `enabled: true` (`rpc/rpc_manager.py`,
`RPCManager.__init__`). A secret's value is never read: a token, chat id or URL that is set
counts as set unless it is empty.
"""

from __future__ import annotations

from typing import Final

from peak_trade.core.loaded import LoadedConfig
from peak_trade.dialects.freqtrade.config import facts_of, variable_setting
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
    EnforcedCaps,
    EvidenceTable,
    Facts,
    Judgement,
    Location,
    NotExpressible,
    locate_in_files,
)

#: the channels that reach a person, and the keys each needs to send anything
#: (`rpc/telegram.py`, `rpc/discord.py`, `rpc/webhook.py`)
ALERT_CHANNELS: Final = (
    ("telegram", ("token", "chat_id")),
    ("discord", ("webhook_url",)),
    ("webhook", ("url",)),
)
#: what an enabled API server needs so that only its operator gets in
#: (`rpc/api_server/api_auth.py`: HTTP basic login, then tokens signed with the JWT key)
API_SERVER_KEYS: Final = ("username", "password", "jwt_secret_key")
LOCAL_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "::1"})


def locate(loaded: LoadedConfig, key: str, source: str | None) -> Location | None:
    """A `FREQTRADE__…` variable that sets the key wins over every file (freqtrade applies them
    last); else the file that holds it."""
    variable = variable_setting(tuple(key.split(".")), loaded.env_overrides)
    if variable is not None:
        return Location(key=key, file=None, variable=variable)
    return locate_in_files(loaded, key, None if source == "environment" else source)


def _set(facts: Facts, key: str) -> bool:
    """Set to something: not absent, null or empty (an empty secret is caught before
    redaction, in `FreqtradeFacts.empty_secrets`)."""
    value = facts.value(key)
    return value not in (None, "") and key not in facts_of(facts.loaded).empty_secrets


class AlertChannels:
    """Art. 16: an enabled Telegram, Discord or webhook channel with what it sends to."""

    def judge(self, facts: Facts) -> Judgement:
        found: list[Location] = []
        reasons: list[str] = []
        for table, needs in ALERT_CHANNELS:
            enabled = facts.value(f"{table}.enabled")
            if enabled is not True:
                if facts.has(f"{table}.enabled"):
                    reasons.append(f"{table}.enabled is {enabled!r}")
                continue
            missing = [f"{table}.{k}" for k in needs if not _set(facts, f"{table}.{k}")]
            if missing:
                reasons.append(f"{table} is enabled without {', '.join(missing)}: it sends nothing")
                continue
            places = [facts.locate(f"{table}.{k}") for k in ("enabled", *needs)]
            found += [p for p in places if p is not None]
        if found:
            return Judgement(status=PRESENT, evidence=tuple(found), note="; ".join(reasons) or None)
        return Judgement(
            status=ABSENT,
            keys=(facts.place("telegram.enabled"),),
            fix="enable a channel that reaches a person: telegram (enabled, token, chat_id),"
            " discord (enabled, webhook_url) or webhook (enabled, url)",
            note="; ".join(reasons) or "no telegram, discord or webhook channel is enabled",
        )


class RemoteAccess:
    """Art. 18: every enabled remote interface admits only its operator: the REST API with a
    username, a password and a usable JWT key; Telegram answers only its `chat_id`
    (`rpc/telegram.py`, `authorized_only`). No remote interface: not applicable."""

    def judge(self, facts: Facts) -> Judgement:
        evidence: list[Location | None] = []
        missing: list[str] = []
        notes: list[str] = []
        interfaces = []
        if facts.value("api_server.enabled") is True:
            interfaces.append("api_server")
            unset = [
                f"api_server.{k}" for k in API_SERVER_KEYS if not _set(facts, f"api_server.{k}")
            ]
            if (
                facts_of(facts.loaded).api_server_unprotected
                and "api_server.jwt_secret_key" not in unset
            ):
                unset.append("api_server.jwt_secret_key")
                notes.append(
                    "api_server.jwt_secret_key is a sample key or shorter than 32 characters"
                )
            missing += unset
            if not unset:
                evidence += [facts.locate(f"api_server.{k}") for k in ("enabled", *API_SERVER_KEYS)]
            host = facts.value("api_server.listen_ip_address")
            if isinstance(host, str) and host not in LOCAL_HOSTS:
                notes.append(f"the API server listens on {host}: reachable beyond this host")
        if facts.value("telegram.enabled") is True:
            interfaces.append("telegram")
            if _set(facts, "telegram.chat_id"):
                evidence += [facts.locate("telegram.enabled"), facts.locate("telegram.chat_id")]
            else:
                missing.append("telegram.chat_id")
        if not interfaces:
            return Judgement(
                status=NOT_APPLICABLE,
                note="no remote interface is enabled (api_server.enabled, telegram.enabled)",
            )
        note = "; ".join(notes) or None
        if missing:
            return Judgement(
                status=ABSENT,
                keys=tuple(facts.place(k) for k in missing),
                fix="set " + ", ".join(missing),
                note=note,
            )
        located = tuple(p for p in evidence if p is not None)
        if not located:  # set, yet in no file or variable the audit can name: no evidence
            return Judgement(status=ABSENT, keys=(facts.place("api_server.enabled"),), note=note)
        return Judgement(status=PRESENT, evidence=located, note=note)


EVIDENCE: Final = EvidenceTable(
    {
        KILL_FUNCTIONALITY: NotExpressible(
            "freqtrade's config has no kill switch: its stop commands (Telegram /stop and"
            " /stopentry, the REST API's /stop) exist only at run time"
        ),
        PRICE_COLLAR: EnforcedCaps(
            ("custom_price_max_distance_ratio",),
            "custom_price_max_distance_ratio",
            note="it bounds only the prices a strategy's custom_entry_price or custom_exit_price"
            " returns (freqtradebot.py, FreqtradeBot.get_valid_price)",
        ),
        MAX_ORDER_VALUE: EnforcedCaps(("stake_amount",), "stake_amount"),
        MAX_ORDER_VOLUME: NotExpressible(
            "freqtrade stakes an amount of the stake currency: no per-order quantity limit"
        ),
        MAX_MESSAGE_RATE: NotExpressible(
            "freqtrade has no order-rate limit; ccxt's enableRateLimit paces requests for the"
            " venue's sake and limits no order"
        ),
        EXECUTION_THROTTLE: NotExpressible(
            "nothing latches trading off until a person re-enables it:"
            " max_entry_position_adjustment bounds additional entries per trade, and the"
            " protections are strategy code"
        ),
        CREDIT_THRESHOLDS: EnforcedCaps(
            ("max_open_trades", "available_capital", "tradable_balance_ratio"),
            "max_open_trades",
            off={"tradable_balance_ratio": (1.0,)},
            unused={
                "tradable_balance_ratio": (
                    "available_capital",
                    "wallets.py, Wallets.get_total_stake_amount uses available_capital instead",
                )
            },
        ),
        DUPLICATE_ORDERS: NotExpressible("freqtrade has no duplicate-order setting"),
        REAL_TIME_ALERTS: AlertChannels(),
        POST_TRADE_CONTROLS: EnforcedCaps(
            ("stoploss",),
            "stoploss",
            off={"stoploss": (-1.0,)},
            note="a per-trade stop loss; freqtrade's config has no daily loss limit (its"
            " protections are strategy code)",
        ),
        ACCESS_CONTROL: RemoteAccess(),
    },
    locate=locate,
)
