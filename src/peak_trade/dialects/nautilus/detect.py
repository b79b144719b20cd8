"""Which files are NautilusTrader node configs (DESIGN §8): content rules only, light enough
for every detection (the standard TOML parser, through `core.tomldoc`, which keeps the parse
for the dialect that claims the file, and msgspec's JSON decoder).

A JSON object is a `TradingNodeConfig` when it holds a key only a node config has (`trader_id`,
`exec_clients`, `data_clients`, `risk_engine`) and none of freqtrade's (`dry_run`,
`stake_currency`, `add_config_files`): `TradingNodeConfig` refuses unknown fields, so no node
config holds freqtrade's keys. A TOML document is a Rust `LiveNodeConfig` when it has a string
`environment` or `trader_id` (Peak_Trade's `[environment]` is a table) or one of the node's own
sections, and none of Peak_Trade's tables (`live_risk`, `bounded_live`, `exchange`, `live`).
"""

from __future__ import annotations

from typing import Any, Final

_FREQTRADE_KEYS: Final = frozenset({"dry_run", "stake_currency", "add_config_files"})
_NODE_MARKERS: Final = frozenset({"trader_id", "exec_clients", "data_clients", "risk_engine"})
_RUST_SECTIONS: Final = frozenset(
    {"exec_clients", "data_clients", "risk_engine", "exec_engine", "data_engine", "plugins"}
)
_PEAK_TRADE_TABLES: Final = frozenset({"live_risk", "bounded_live", "exchange", "live"})


def _json(raw: bytes) -> Any:
    import msgspec

    try:
        return msgspec.json.decode(raw)
    except (msgspec.DecodeError, RecursionError):
        return None


def _toml(raw: bytes) -> dict[str, Any] | None:
    from peak_trade.core import tomldoc  # the claiming dialect decodes the same parse

    try:
        return tomldoc.parse(raw)
    except (ValueError, RecursionError):  # a decode error, or an integer beyond int limits
        return None


def claims_json(raw: bytes) -> bool:
    data = _json(raw)
    if not isinstance(data, dict) or _FREQTRADE_KEYS & data.keys():
        return False
    return bool(_NODE_MARKERS & data.keys())


def claims_toml(raw: bytes) -> bool:
    data = _toml(raw)
    if data is None or _PEAK_TRADE_TABLES & data.keys():
        return False
    if isinstance(data.get("environment"), str) or isinstance(data.get("trader_id"), str):
        return True
    return any(isinstance(data.get(k), dict | list) for k in _RUST_SECTIONS)


def claims(path: str, raw: bytes) -> bool:
    """A node config of either runtime, by its content (the name says nothing)."""
    if raw.lstrip()[:1] == b"{":
        return claims_json(raw)
    return claims_toml(raw)
